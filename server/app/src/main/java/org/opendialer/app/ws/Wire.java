package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.opendialer.core.accounts.Session;
import org.opendialer.core.calls.CallView;
import org.opendialer.core.accounts.User;

/** Builds the wire shapes of results and events (snake_case, as docs/protocol.md spells them). */
public final class Wire {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Wire() {}

    public static ObjectNode user(User user) {
        ObjectNode node = NODES.objectNode();
        node.put("username", user.username());
        node.put("display_name", user.displayName());
        node.put("extension", user.extension());
        node.put("number", user.number());
        return node;
    }

    public static ObjectNode signInResult(Session session) {
        ObjectNode node = NODES.objectNode();
        ObjectNode wireSession = node.putObject("session");
        wireSession.put("token", session.token());
        wireSession.put("expires_at", session.expiresAt().toString());
        node.set("user", user(session.user()));
        return node;
    }

    /** {@code {type:"authStateChanged", signed_in:false, user:null, reason}} for an ended session. */
    public static ObjectNode sessionEnded(String reason) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "authStateChanged");
        node.put("signed_in", false);
        node.putNull("user");
        node.put("reason", reason);
        return node;
    }

    /** {@code {type:"callStateChanged", call: WireCall}} (docs/protocol.md, part 3). */
    public static ObjectNode callStateChanged(CallView call) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "callStateChanged");
        node.set("call", call(call));
        return node;
    }

    /** {@code {type:"mediaUpdate", call_id, codec}}: re-offer with this codec first (protocol.md part 4). */
    public static ObjectNode mediaUpdate(String callId, String codec) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "mediaUpdate");
        node.put("call_id", callId);
        node.put("codec", codec);
        return node;
    }

    /** {@code {type:"callProgress", call_id, early_media}}: the far end rings (protocol.md part 4). */
    public static ObjectNode callProgress(String callId, boolean earlyMedia) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "callProgress");
        node.put("call_id", callId);
        node.put("early_media", earlyMedia);
        return node;
    }

    /** {@code {type:"mediaMoved", call_id}}: another dialer took this call's audio (protocol.md part 5). */
    public static ObjectNode mediaMoved(String callId) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "mediaMoved");
        node.put("call_id", callId);
        return node;
    }

    /** {@code {type:"transferFailed", call_id, reason}}: the target did not take the call (protocol.md part 7). */
    public static ObjectNode transferFailed(String callId, String reason) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "transferFailed");
        node.put("call_id", callId);
        node.put("reason", reason);
        return node;
    }

    /** A call log row as the dialer's recent calls show it: WireCall's fields without seq. */
    public static ObjectNode loggedCall(org.opendialer.core.accounts.CallRecord call) {
        ObjectNode node = NODES.objectNode();
        node.put("id", call.id());
        node.put("state", call.state());
        node.put("direction", call.direction());
        node.put("result", call.result());
        node.put("from", call.fromNumber());
        node.put("to", call.toNumber());
        node.putObject("caller").put("caller_display_name", call.callerDisplayName());
        node.put("start_time", iso(call.startTime()));
        node.put("answer_time", iso(call.answerTime()));
        node.put("end_time", iso(call.endTime()));
        node.put("end_reason", call.endReason());
        return node;
    }

    public static ObjectNode call(CallView call) {
        ObjectNode node = NODES.objectNode();
        node.put("id", call.id());
        node.put("state", call.state().wire());
        node.put("direction", call.direction().wire());
        node.put("result", call.result() == null ? null : call.result().wire());
        node.put("from", call.from());
        node.put("to", call.to());
        node.putObject("caller").put("caller_display_name", call.callerDisplayName());
        node.put("start_time", iso(call.startTime()));
        node.put("answer_time", iso(call.answerTime()));
        node.put("end_time", iso(call.endTime()));
        node.put("end_reason", call.endReason() == null ? null : call.endReason().wire());
        node.put("seq", call.seq());
        if (call.recall()) {
            node.put("recall", true); // additive: only on a transfer recall (protocol.md part 7)
        }
        return node;
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
