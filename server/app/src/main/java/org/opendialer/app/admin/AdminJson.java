package org.opendialer.app.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.opendialer.core.accounts.CallRecord;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.SignInToken;
import org.opendialer.core.accounts.SipAccount;
import org.opendialer.core.accounts.User;
import org.opendialer.core.accounts.UserUpdate;

/** The admin API's JSON: snake_case field names, ISO-8601 times, strict input (unknown fields are errors). */
final class AdminJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Set<String> CREATE_FIELDS = Set.of("username", "password", "display_name", "extension", "number",
            "sip_account", DestinationPolicyJson.FIELD, WithholdCallerIdJson.FIELD);
    static final Set<String> UPDATE_FIELDS = Set.of("password", "display_name", "extension", "number",
            "sip_account", DestinationPolicyJson.FIELD, WithholdCallerIdJson.FIELD);
    private static final Set<String> SIP_ACCOUNT_FIELDS = Set.of("registrar", "username", "auth_username", "password");

    private AdminJson() {}

    /**
     * The {@code sip_account} field: null when absent; {@code remove} for JSON null; else its fields, not
     * yet validated ({@link SipAccount}'s constructor does that).
     */
    record SipAccountField(boolean remove, String registrar, String username, String authUsername, String password) {
        /** The account; a missing password is taken from {@code current} (write-only: PATCH may omit it). */
        SipAccount toAccount(SipAccount current) {
            String pass = password != null ? password : current != null ? current.password() : null;
            return new SipAccount(registrar, username, authUsername, pass);
        }
    }

    static SipAccountField readSipAccount(ObjectNode json) {
        if (!json.has("sip_account")) {
            return null;
        }
        JsonNode value = json.get("sip_account");
        if (value.isNull()) {
            return new SipAccountField(true, null, null, null, null);
        }
        if (!value.isObject()) {
            throw badRequest("sip_account must be an object or null");
        }
        ObjectNode o = (ObjectNode) value;
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SIP_ACCOUNT_FIELDS.contains(name)) {
                throw badRequest("unknown field: sip_account." + name);
            }
        }
        return new SipAccountField(false, string(o, "registrar", "sip_account."), string(o, "username", "sip_account."),
                string(o, "auth_username", "sip_account."), string(o, "password", "sip_account."));
    }

    static NewUser readNewUser(ObjectNode json) {
        return new NewUser(string(json, "username"), string(json, "password"), string(json, "display_name"),
                string(json, "extension"), string(json, "number"));
    }

    /** Absent field = unchanged; {@code "number": null} removes the number. */
    static UserUpdate readUpdate(ObjectNode json) {
        for (String field : List.of("password", "display_name", "extension")) {
            if (json.has(field) && json.get(field).isNull()) {
                throw badRequest(field + " cannot be null");
            }
        }
        boolean clearNumber = json.has("number") && json.get("number").isNull();
        return new UserUpdate(string(json, "password"), string(json, "display_name"), string(json, "extension"),
                string(json, "number"), clearNumber);
    }

    /** A user; {@code sip_account} without its password (write-only), with whether it is registered now. */
    static ObjectNode user(User user, SipAccount sip, boolean registered) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("username", user.username());
        json.put("display_name", user.displayName());
        json.put("extension", user.extension());
        json.put("number", user.number());
        if (sip == null) {
            json.putNull("sip_account");
        } else {
            ObjectNode account = json.putObject("sip_account");
            account.put("registrar", sip.registrar());
            account.put("username", sip.username());
            account.put("auth_username", sip.authUsername());
            account.put("registered", registered);
        }
        json.put("created_at", iso(user.createdAt()));
        return json;
    }

    static ObjectNode users(List<ObjectNode> users) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode array = json.putArray("users");
        users.forEach(array::add);
        return json;
    }

    static ObjectNode token(SignInToken token) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("token", token.token());
        json.put("expires_at", iso(token.expiresAt()));
        return json;
    }

    static ObjectNode calls(List<CallRecord> calls) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode array = json.putArray("calls");
        for (CallRecord c : calls) {
            ObjectNode call = array.addObject();
            call.put("id", c.id());
            call.put("username", c.username());
            call.put("direction", c.direction());
            call.put("state", c.state());
            call.put("result", c.result());
            call.put("from_number", c.fromNumber());
            call.put("to_number", c.toNumber());
            call.put("caller_display_name", c.callerDisplayName());
            call.put("start_time", iso(c.startTime()));
            call.put("answer_time", iso(c.answerTime()));
            call.put("end_time", iso(c.endTime()));
            call.put("end_reason", c.endReason());
            call.put("updated_at", iso(c.updatedAt()));
            call.set("quality", c.quality() == null ? null : org.opendialer.app.ws.QualityWire.summary(c.quality()));
        }
        return json;
    }

    static void send(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    static void sendError(Context ctx, int status, String code, String message) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("error", code);
        json.put("message", message);
        send(ctx, status, json);
    }

    static ObjectNode readObject(byte[] body, Set<String> allowed) {
        JsonNode json;
        try {
            json = body.length == 0 ? null : MAPPER.readTree(body);
        } catch (IOException e) {
            throw badRequest("the body is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw badRequest("the body must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw badRequest("unknown field: " + name);
            }
        }
        return (ObjectNode) json;
    }

    private static String string(ObjectNode json, String field) {
        return string(json, field, "");
    }

    private static String string(ObjectNode json, String field, String prefix) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw badRequest(prefix + field + " must be a string");
        }
        return value.textValue();
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }
}
