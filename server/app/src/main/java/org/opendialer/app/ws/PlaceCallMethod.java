package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.core.numbers.InvalidNumberException;
import org.opendialer.core.numbers.NumberValidator;

/** {@code placeCall}: number rules first (so a typo is reported even when signed out), then auth. */
public final class PlaceCallMethod implements MethodHandler {
    private final NumberValidator numbers;
    private final AuthMethods auth;
    private final CallStarter calls;

    public PlaceCallMethod(NumberValidator numbers, AuthMethods auth, CallStarter calls) {
        this.numbers = numbers;
        this.auth = auth;
        this.calls = calls;
    }

    @Override
    public Object handle(DialerConnection connection, ObjectNode params) {
        DialTarget target = target(params);
        String offer = Params.optionalSdp(params);
        User caller = auth.requireSignedIn(connection);
        CallStarter.Placed placed = calls.start(connection, caller, target, offer);
        return JsonNodeFactory.instance.objectNode().put("call_id", placed.callId()).put("sdp", placed.sdp());
    }

    /**
     * {@code checkNumber { to }}: the number rules of placeCall alone, so the dialer can report a bad number
     * before it asks for the microphone (protocol.md part 4). Needs no sign-in; places nothing.
     */
    Object checkNumber(DialerConnection connection, ObjectNode params) {
        DialTarget target = target(params);
        return JsonNodeFactory.instance.objectNode().put("to", target.dialString());
    }

    private DialTarget target(ObjectNode params) {
        JsonNode to = params.get("to");
        if (to == null || !to.isTextual()) {
            throw new MethodException(ErrorCode.INVALID_PHONE_NUMBER, "params.to must be a string.");
        }
        try {
            return numbers.validate(to.textValue());
        } catch (InvalidNumberException e) {
            throw new MethodException(ErrorCode.INVALID_PHONE_NUMBER, e.getMessage());
        }
    }
}
