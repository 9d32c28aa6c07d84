package org.opendialer.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The admin API's {@code withhold_caller_id} field: true = the user's trunk calls are anonymous (docs/admin-api.md). */
final class WithholdCallerIdJson {
    static final String FIELD = "withhold_caller_id";

    private WithholdCallerIdJson() {}

    /** Null when absent (unchanged); else the value, which must be a JSON boolean. */
    static Boolean read(ObjectNode json) {
        if (!json.has(FIELD)) {
            return null;
        }
        JsonNode value = json.get(FIELD);
        if (!value.isBoolean()) {
            throw new ApiError(400, "bad_request", FIELD + " must be true or false");
        }
        return value.booleanValue();
    }
}
