package org.opendialer.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The admin API's {@code call_waiting} field: {@code true} or {@code false} overrides DIALER_CALL_WAITING for the
 * user, {@code null} goes back to it; absent from an update, unchanged.
 */
final class CallWaitingJson {
    static final String FIELD = "call_waiting";

    private CallWaitingJson() {}

    /** The field as given: null when absent, else a holder whose value is null (the gateway's setting) or the flag. */
    static Field read(ObjectNode json) {
        if (!json.has(FIELD)) {
            return null;
        }
        JsonNode value = json.get(FIELD);
        if (value.isNull()) {
            return new Field(null);
        }
        if (!value.isBoolean()) {
            throw new ApiError(400, "bad_request", FIELD + " must be true, false or null (the gateway's DIALER_CALL_WAITING).");
        }
        return new Field(value.booleanValue());
    }

    record Field(Boolean value) {}

    static void write(ObjectNode user, Boolean enabled) {
        if (enabled == null) {
            user.putNull(FIELD);
        } else {
            user.put(FIELD, enabled);
        }
    }
}
