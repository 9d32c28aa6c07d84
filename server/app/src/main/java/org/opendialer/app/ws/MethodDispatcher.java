package org.opendialer.app.ws;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one text frame into one response frame: parse, find the method, run it, map failures. A method
 * may answer later by returning a {@link CompletionStage} (a password sign-in); its frame is then ready
 * when that stage completes.
 */
public final class MethodDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MethodDispatcher.class);

    private final ProtocolCodec codec;
    private final Map<String, MethodHandler> handlers;

    public MethodDispatcher(ProtocolCodec codec, Map<String, MethodHandler> handlers) {
        this.codec = codec;
        this.handlers = Map.copyOf(handlers);
    }

    /** The response frame; completed already unless the method answers later. Never completes exceptionally. */
    public CompletableFuture<String> handle(DialerConnection connection, String frame) {
        WsRequest request;
        try {
            request = codec.parse(frame);
        } catch (BadFrameException e) {
            return CompletableFuture.completedFuture(codec.error(e.id(), ErrorCode.BAD_REQUEST, e.getMessage()));
        }
        MethodHandler handler = handlers.get(request.method());
        if (handler == null) {
            return CompletableFuture.completedFuture(codec.error(request.id(), ErrorCode.UNKNOWN_METHOD,
                    "Unknown method \"" + request.method() + "\"."));
        }
        Object result;
        try {
            result = handler.handle(connection, request.params());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(request, e));
        }
        if (result instanceof CompletionStage<?> later) {
            return later.toCompletableFuture().handle((value, e) -> e == null
                    ? codec.success(request.id(), value)
                    : failure(request, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
        }
        return CompletableFuture.completedFuture(codec.success(request.id(), result));
    }

    private String failure(WsRequest request, Throwable e) {
        if (e instanceof MethodException m) {
            return codec.error(request.id(), m.code(), m.getMessage());
        }
        LOG.error("method {} failed", request.method(), e);
        return codec.error(request.id(), ErrorCode.INTERNAL_ERROR, "The gateway failed to handle the request.");
    }

    /** The answer to a frame that is not text at all. */
    public String binaryFrame() {
        return codec.error(null, ErrorCode.BAD_REQUEST, "Binary frames are not supported; send JSON text.");
    }
}
