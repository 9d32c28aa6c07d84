package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.core.accounts.User;

/** {@code hangUp}, {@code answer}, {@code reject}, {@code hold}, {@code updateMedia}: signed-in only. */
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
        String offer = Params.optionalSdp(params);
        String callId = callId(params);
        User user = auth.requireSignedIn(connection);
        String answer = calls.act(CallStarter.CallAction.ANSWER, connection, user, callId, offer);
        return JsonNodeFactory.instance.objectNode().put("sdp", answer);
    }

    Object updateMedia(DialerConnection connection, ObjectNode params) {
        String callId = Params.requiredString(params, "call_id", MAX_CALL_ID);
        String offer = Params.requiredString(params, "sdp", Params.MAX_SDP);
        boolean take = params.has("take") && Params.requiredBoolean(params, "take");
        User user = auth.requireSignedIn(connection);
        return JsonNodeFactory.instance.objectNode().put("sdp",
                calls.updateMedia(connection, user, callId, offer, take));
    }

    Object hold(DialerConnection connection, ObjectNode params) {
        boolean held = Params.requiredBoolean(params, "held");
        String callId = callId(params);
        User user = auth.requireSignedIn(connection);
        calls.hold(connection, user, callId, held);
        return null;
    }

    Object reject(DialerConnection connection, ObjectNode params) {
        return act(CallStarter.CallAction.REJECT, connection, params);
    }

    private Object act(CallStarter.CallAction action, DialerConnection connection, ObjectNode params) {
        String callId = callId(params);
        User user = auth.requireSignedIn(connection);
        calls.act(action, connection, user, callId, null);
        return null;
    }

    /** The optional {@code call_id}: null when absent. */
    private static String callId(ObjectNode params) {
        JsonNode id = params.get("call_id");
        return id == null || id.isNull() ? null : Params.requiredString(params, "call_id", MAX_CALL_ID);
    }
}
