package org.opendialer.app.ws;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one text frame into one response frame: parse, find the method, run it, map failures. */
public final class MethodDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MethodDispatcher.class);

    private final ProtocolCodec codec;
    private final Map<String, MethodHandler> handlers;

    public MethodDispatcher(ProtocolCodec codec, Map<String, MethodHandler> handlers) {
        this.codec = codec;
        this.handlers = Map.copyOf(handlers);
    }

    public String handle(DialerConnection connection, String frame) {
        WsRequest request;
        try {
            request = codec.parse(frame);
        } catch (BadFrameException e) {
            return codec.error(e.id(), ErrorCode.BAD_REQUEST, e.getMessage());
        }
        MethodHandler handler = handlers.get(request.method());
        if (handler == null) {
            return codec.error(request.id(), ErrorCode.UNKNOWN_METHOD,
                    "Unknown method \"" + request.method() + "\".");
        }
        try {
            return codec.success(request.id(), handler.handle(connection, request.params()));
        } catch (MethodException e) {
            return codec.error(request.id(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("method {} failed", request.method(), e);
            return codec.error(request.id(), ErrorCode.INTERNAL_ERROR, "The gateway failed to handle the request.");
        }
    }

    /** The answer to a frame that is not text at all. */
    public String binaryFrame() {
        return codec.error(null, ErrorCode.BAD_REQUEST, "Binary frames are not supported; send JSON text.");
    }
}
