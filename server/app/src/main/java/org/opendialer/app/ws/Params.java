package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads typed fields from a request's params, answering {@code bad_request} on a wrong shape. */
final class Params {
    private Params() {}

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
