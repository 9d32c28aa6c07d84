package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.opendialer.core.accounts.Session;
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
}
