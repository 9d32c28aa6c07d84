package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.core.accounts.User;

/** {@code hangUp}, {@code answer}, {@code reject}: signed-in only; {@code call_id} is optional. */
final class CallMethods {
    private static final int MAX_CALL_ID = 64;

    private final AuthMethods auth;
    private final CallStarter calls;

    CallMethods(AuthMethods auth, CallStarter calls) {
        this.auth = auth;
        this.calls = calls;
    }

    Object hangUp(DialerConnection connection, ObjectNode params) {
        return act(CallStarter.CallAction.HANG_UP, connection, params);
    }

    Object answer(DialerConnection connection, ObjectNode params) {
        return act(CallStarter.CallAction.ANSWER, connection, params);
    }

    Object reject(DialerConnection connection, ObjectNode params) {
        return act(CallStarter.CallAction.REJECT, connection, params);
    }

    private Object act(CallStarter.CallAction action, DialerConnection connection, ObjectNode params) {
        JsonNode id = params.get("call_id");
        String callId = null;
        if (id != null && !id.isNull()) {
            callId = Params.requiredString(params, "call_id", MAX_CALL_ID);
        }
        User user = auth.requireSignedIn(connection);
        calls.act(action, connection, user, callId);
        return null;
    }
}
