package org.opendialer.app.ws;

import java.util.Optional;

/**
 * Cluster mode: where a signed-in dialer belongs. A user's live call is held by one node (signalling and
 * media stay there); a dialer that signs in on another node (a reload, a second tab that HAProxy balanced
 * elsewhere) is told to reconnect to the owner: the socket closes with {@link WsEndpoint#CLOSE_MOVED} and
 * the node's name as reason, and the dialer reconnects through HAProxy with {@code ?node=<name>}
 * (docs/decisions/0021).
 */
@FunctionalInterface
public interface NodeRedirect {
    /** The live node other than this one that holds a live call of {@code userId}, if any. */
    Optional<String> nodeFor(long userId);
}
