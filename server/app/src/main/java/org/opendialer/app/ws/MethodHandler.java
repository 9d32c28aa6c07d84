package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One WebSocket method. Returns the result (serialised by Jackson; null allowed) or throws {@link MethodException}. */
@FunctionalInterface
public interface MethodHandler {
    Object handle(DialerConnection connection, ObjectNode params);
}
