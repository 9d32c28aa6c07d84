package org.opendialer.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.opendialer.core.accounts.DestinationOverride;

/**
 * The admin API's {@code destination_policy} field: a user's exception to the gateway's destination
 * policy, {@code {"allow_premium": bool, "allowed_countries": ["GB", ...]}}; null = none (docs/admin-api.md).
 */
final class DestinationPolicyJson {
    static final String FIELD = "destination_policy";
    private static final Set<String> FIELDS = Set.of("allow_premium", "allowed_countries");

    /** Absent: not present; else {@code value} (null = remove the override). Validated. */
    record Field(DestinationOverride value) {}

    private DestinationPolicyJson() {}

    static Field read(ObjectNode json) {
        if (!json.has(FIELD)) {
            return null;
        }
        JsonNode value = json.get(FIELD);
        if (value.isNull()) {
            return new Field(null);
        }
        if (!value.isObject()) {
            throw badRequest(FIELD + " must be an object or null");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw badRequest("unknown field: " + FIELD + "." + name);
            }
        }
        JsonNode premium = value.get("allow_premium");
        if (premium != null && !premium.isBoolean()) {
            throw badRequest(FIELD + ".allow_premium must be true or false");
        }
        Set<String> countries = new LinkedHashSet<>();
        JsonNode list = value.get("allowed_countries");
        if (list != null && !list.isNull()) {
            if (!list.isArray() || list.size() > DestinationOverride.MAX_COUNTRIES) {
                throw badRequest(FIELD + ".allowed_countries must be an array of at most "
                        + DestinationOverride.MAX_COUNTRIES + " ISO 3166 region codes");
            }
            for (JsonNode c : list) {
                if (!c.isTextual()) {
                    throw badRequest(FIELD + ".allowed_countries must hold strings");
                }
                countries.add(c.textValue());
            }
        }
        // DestinationOverride checks each region (AccountException INVALID_INPUT, a 400).
        return new Field(new DestinationOverride(premium != null && premium.booleanValue(), countries));
    }

    static void write(ObjectNode user, DestinationOverride override) {
        if (override == null) {
            user.putNull(FIELD);
            return;
        }
        ObjectNode o = user.putObject(FIELD);
        o.put("allow_premium", override.allowPremium());
        ArrayNode countries = o.putArray("allowed_countries");
        override.allowedCountries().stream().sorted().forEach(countries::add);
    }

    private static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }
}
