package org.opendialer.app.ws;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds dialer connections to Javalin's WebSocket callbacks for {@code /ws}. */
public final class WsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);
    /** Jetty's own limit; frames between this and 64 KiB still get a bad_request reply. */
    public static final int JETTY_MAX_MESSAGE_BYTES = 4 * ProtocolCodec.MAX_FRAME_BYTES;

    private final ProtocolCodec codec;
    private final MethodDispatcher dispatcher;
    private final CallStarter calls;
    private final Map<String, DialerConnection> connections = new ConcurrentHashMap<>();
    private volatile WsMetrics metrics = WsMetrics.NONE;

    public WsEndpoint(ProtocolCodec codec, MethodDispatcher dispatcher, CallStarter calls) {
        this.codec = codec;
        this.dispatcher = dispatcher;
        this.calls = calls;
    }

    public void setMetrics(WsMetrics metrics) {
        this.metrics = metrics;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
            metrics.connectionOpened();
            connections.put(ctx.sessionId(), new DialerConnection(remoteIp(ctx), text -> {
                metrics.frameSent();
                ctx.send(text);
            }, codec));
        });
        ws.onMessage(ctx -> {
            metrics.frameReceived();
            DialerConnection connection = connections.get(ctx.sessionId());
            if (connection != null) {
                connection.sendText(dispatcher.handle(connection, ctx.message()));
            }
        });
        ws.onBinaryMessage(ctx -> {
            metrics.frameReceived();
            metrics.frameSent();
            ctx.send(dispatcher.binaryFrame());
        });
        ws.onClose(ctx -> {
            DialerConnection connection = connections.remove(ctx.sessionId());
            if (connection != null) {
                // The user's calls go on: a reload or another tab picks them up (docs/decisions/0003).
                calls.signedOut(connection);
            }
        });
        ws.onError(ctx -> {
            metrics.error();
            LOG.debug("websocket error: {}", String.valueOf(ctx.error()));
        });
    }

    public int openConnections() {
        return connections.size();
    }

    private static String remoteIp(WsContext ctx) {
        SocketAddress address = ctx.session.getRemoteSocketAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

}
