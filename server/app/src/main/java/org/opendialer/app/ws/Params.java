package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads typed fields from a request's params, answering {@code bad_request} on a wrong shape. */
final class Params {
    /** Longest SDP offer accepted (protocol.md part 4); a browser's audio offer is 2-5 KB. */
    static final int MAX_SDP = 16 * 1024;

    private Params() {}

    /** {@code params.sdp}: absent or null means no browser audio. */
    static String optionalSdp(ObjectNode params) {
        JsonNode sdp = params.get("sdp");
        return sdp == null || sdp.isNull() ? null : requiredString(params, "sdp", MAX_SDP);
    }

    static boolean requiredBoolean(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || !value.isBoolean()) {
            throw new MethodException(ErrorCode.BAD_REQUEST, "params." + name + " must be true or false.");
        }
        return value.booleanValue();
    }

    static String requiredString(ObjectNode params, String name, int maxLength) {
        JsonNode value = params.get(name);
        if (value == null || !value.isTextual()) {
            throw new MethodException(ErrorCode.BAD_REQUEST, "params." + name + " must be a string.");
        }
        if (value.textValue().length() > maxLength) {
            throw new MethodException(ErrorCode.BAD_REQUEST,
                    "params." + name + " is longer than " + maxLength + " characters.");
        }
        return value.textValue();
    }
}
