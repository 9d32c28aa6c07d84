package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.core.numbers.InvalidNumberException;
import org.opendialer.core.numbers.NumberValidator;

/**
 * {@code transfer {call_id?, to}}: blind transfer of the user's answered call (protocol.md part 7). Answers
 * once the target rings, when the call has ended {@code transferred}; a target that fails before it rings
 * is a {@code transfer_failed} error and the call goes on (decision 0022). {@code transfer {call_id?, to_call_id}}: attended transfer, joining the held call
 * with the user's consultation call; both end {@code transferred}.
 */
public final class TransferMethod implements MethodHandler {
    private static final int MAX_CALL_ID = 64;

    private final NumberValidator numbers;
    private final AuthMethods auth;
    private final CallStarter calls;

    public TransferMethod(NumberValidator numbers, AuthMethods auth, CallStarter calls) {
        this.numbers = numbers;
        this.auth = auth;
        this.calls = calls;
    }

    @Override
    public Object handle(DialerConnection connection, ObjectNode params) {
        JsonNode toCall = params.get("to_call_id");
        if (toCall != null && !toCall.isNull()) {
            if (params.hasNonNull("to")) {
                throw new MethodException(ErrorCode.BAD_REQUEST, "Give params.to or params.to_call_id, not both.");
            }
            String toCallId = Params.requiredString(params, "to_call_id", MAX_CALL_ID);
            JsonNode id = params.get("call_id");
            String callId = id == null || id.isNull() ? null : Params.requiredString(params, "call_id", MAX_CALL_ID);
            calls.transferToCall(connection, auth.requireSignedIn(connection), callId, toCallId);
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode to = params.get("to");
        if (to == null || !to.isTextual()) {
            throw new MethodException(ErrorCode.INVALID_PHONE_NUMBER, "params.to must be a string.");
        }
        DialTarget target;
        try {
            target = numbers.validate(to.textValue());
        } catch (InvalidNumberException e) {
            throw new MethodException(ErrorCode.INVALID_PHONE_NUMBER, e.getMessage());
        }
        JsonNode id = params.get("call_id");
        String callId = id == null || id.isNull() ? null : Params.requiredString(params, "call_id", MAX_CALL_ID);
        User user = auth.requireSignedIn(connection);
        // Answered once the target rings (or with transfer_failed when it fails before that): decision 0022.
        return calls.transfer(connection, user, callId, target)
                .thenApply(ok -> (Object) JsonNodeFactory.instance.objectNode());
    }
}
