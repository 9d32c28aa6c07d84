package org.opendialer.app.ws;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opendialer.core.config.TrustedProxies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds dialer connections to Javalin's WebSocket callbacks for {@code /ws}. A connection without a
 * signed-in session is closed after the sign-in window, and one address may hold only so many of those
 * at once (docs/security.md), so anonymous sockets cannot pile up.
 */
public final class WsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);
    /** Jetty's own limit; frames between this and 64 KiB still get a bad_request reply. */
    public static final int JETTY_MAX_MESSAGE_BYTES = 4 * ProtocolCodec.MAX_FRAME_BYTES;
    /** Close code of a connection that stayed anonymous past the sign-in window (protocol.md part 2). */
    public static final int CLOSE_SIGN_IN_WINDOW = 4001;
    /** RFC 6455 7.4.1 policy violation: too many anonymous connections from the address. */
    public static final int CLOSE_POLICY = 1008;
    /** Cluster: the user's live call is on another node, named in the close reason (NodeRedirect). */
    public static final int CLOSE_MOVED = 4009;
    /** Service Restart (IANA WebSocket close code registry): the node is draining; reconnect elsewhere. */
    public static final int CLOSE_SERVICE_RESTART = 1012;

    private final ProtocolCodec codec;
    private final MethodDispatcher dispatcher;
    private final CallStarter calls;
    private final Duration signInWindow;
    private final int anonymousPerAddress;
    private final Map<String, Entry> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private volatile WsMetrics metrics = WsMetrics.NONE;
    private volatile NodeRedirect redirect;
    private volatile TrustedProxies trustedProxies = TrustedProxies.NONE;
    private volatile boolean draining;

    /** Continues the requests of a connection after a method that answered later (RequestQueue). */
    private final ExecutorService later;

    /**
     * @param node            the cluster node the dialer asked for ({@code ?node=}, set after a redirect), or null
     * @param redirectChecked whether the first response after sign-in went out (NodeRedirect is asked then)
     */
    private record Entry(DialerConnection connection, WsContext ctx, RequestQueue requests, String node,
                         java.util.concurrent.atomic.AtomicBoolean redirectChecked) {}

    public WsEndpoint(ProtocolCodec codec, MethodDispatcher dispatcher, CallStarter calls,
                      Duration signInWindow, int anonymousPerAddress) {
        this.codec = codec;
        this.dispatcher = dispatcher;
        this.calls = calls;
        this.signInWindow = signInWindow;
        this.anonymousPerAddress = anonymousPerAddress;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ws-sign-in-window");
            t.setDaemon(true);
            return t;
        });
        // Threads exist only while an answer that came later is sent and the frames behind it are handled:
        // as many at once as password checks complete, which the bounded Argon2 pool limits.
        this.later = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ws-answer-later");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(1000, signInWindow.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::closeExpiredAnonymous, period, period, TimeUnit.MILLISECONDS);
    }

    public void setMetrics(WsMetrics metrics) {
        this.metrics = metrics;
    }

    /** Behind a reverse proxy: the client address of a connection from one of these is its X-Forwarded-For. */
    public void setTrustedProxies(TrustedProxies proxies) {
        this.trustedProxies = proxies;
    }

    /** Cluster mode: dialers whose user has a live call on another node are sent there after sign-in. */
    public void setRedirect(NodeRedirect redirect) {
        this.redirect = redirect;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            String address = remoteIp(ctx);
            Entry[] self = new Entry[1];
            DialerConnection connection = new DialerConnection(address, text -> {
                metrics.frameSent();
                ctx.send(text);
                // Cluster: once the sign-in's response is out, a dialer whose user's live call is on another
                // node is sent there (NodeRedirect).
                Entry e = self[0];
                if (e != null && redirect != null && !e.redirectChecked().get() && text.contains("\"type\":\"response\"")
                        && !e.connection().anonymous() && e.redirectChecked().compareAndSet(false, true)) {
                    redirectIfElsewhere(e);
                }
            }, codec);
            RequestQueue requests = new RequestQueue(connection, dispatcher, later, () -> ctx.closeSession(CLOSE_POLICY,
                    "More than " + RequestQueue.MAX_WAITING + " requests waiting for an answer"));
            // Count and add in one step: connections of one address opened at once (on several threads)
            // each saw the others not yet added, and all passed the cap.
            boolean refused;
            synchronized (connections) {
                refused = anonymousFrom(address) >= anonymousPerAddress;
                if (!refused) {
                    self[0] = new Entry(connection, ctx, requests, ctx.queryParam("node"),
                            new java.util.concurrent.atomic.AtomicBoolean());
                    connections.put(ctx.sessionId(), self[0]);
                }
            }
            if (refused) {
                LOG.debug("websocket from {} refused: {} anonymous connections already", address, anonymousPerAddress);
                ctx.closeSession(CLOSE_POLICY, "Too many connections without sign-in from this address");
                return;
            }
            ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
            metrics.connectionOpened();
        });
        ws.onMessage(ctx -> {
            metrics.frameReceived();
            Entry entry = connections.get(ctx.sessionId());
            if (entry != null) {
                entry.requests().accept(ctx.message());
            }
        });
        ws.onBinaryMessage(ctx -> {
            metrics.frameReceived();
            metrics.frameSent();
            ctx.send(dispatcher.binaryFrame());
        });
        ws.onClose(ctx -> {
            Entry entry = connections.remove(ctx.sessionId());
            if (entry != null) {
                entry.connection().markClosed();
                // The user's calls go on: a reload or another tab picks them up (docs/decisions/0003).
                calls.signedOut(entry.connection());
            }
        });
        ws.onError(ctx -> {
            metrics.error();
            LOG.debug("websocket error: {}", String.valueOf(ctx.error()));
        });
    }

    /** After a sign-in: closes with CLOSE_MOVED when another live node holds the user's live call. */
    private void redirectIfElsewhere(Entry entry) {
        NodeRedirect r = redirect;
        if (r == null) {
            return;
        }
        try {
            entry.connection().session().flatMap(s -> r.nodeFor(s.user().id()))
                    // Asked for that node and still landed here: HAProxy found it down; stay.
                    .filter(owner -> !owner.equals(entry.node()))
                    .ifPresent(owner -> {
                        LOG.info("dialer of user {} sent to node {}, which holds the user's live call",
                                entry.connection().session().map(s -> s.user().username()).orElse("?"), owner);
                        entry.ctx().closeSession(CLOSE_MOVED, owner);
                    });
        } catch (RuntimeException e) {
            LOG.warn("cluster: the owner of a live call was not looked up: {}", e.toString());
        }
    }

    public int openConnections() {
        return connections.size();
    }

    /** Connections signed in as a user: the dialers this node serves (/healthz). */
    public int signedInConnections() {
        return (int) connections.values().stream().filter(e -> !e.connection().anonymous()).count();
    }

    /** Draining: new WebSockets are refused (503) so that dialers reconnect to another node. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Draining: closes every connection that is not signed in as one of {@code keep} (the users with a call
     * on this node) with 1012 Service Restart (RFC 6455 7.4.1, IANA registry); the dialer reconnects, through
     * the edge, to a node that takes calls. A connection whose request is still being answered is left for the
     * next call (its answer first: a hangUp that ended the node's last call must reach the dialer). Returns how
     * many it closed.
     */
    public int closeAllBut(java.util.Set<Long> keep) {
        int closed = 0;
        for (Entry entry : connections.values()) {
            Long user = entry.connection().session().map(s -> s.user().id()).orElse(null);
            if ((user == null || !keep.contains(user)) && !entry.requests().busy()) {
                entry.ctx().closeSession(CLOSE_SERVICE_RESTART, "This gateway is restarting: reconnect");
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        later.shutdownNow();
    }

    private long anonymousFrom(String address) {
        return connections.values().stream()
                .filter(e -> e.connection().anonymous() && e.connection().remoteAddress().equals(address))
                .count();
    }

    private void closeExpiredAnonymous() {
        long window = signInWindow.toNanos();
        try {
            connections.forEach((id, entry) -> {
                // Not while a request waits for its answer: a sign-in queued behind others' password
                // checks on a loaded machine must be answered, not cut off (each address has at most one).
                if (entry.connection().anonymousFor(window) && !entry.requests().busy()) {
                    // onClose removes it; until then each sweep repeats the (idempotent) close.
                    entry.ctx().closeSession(CLOSE_SIGN_IN_WINDOW,
                            "Not signed in within " + signInWindow.toSeconds() + " s");
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("closing anonymous websockets failed", e);
        }
    }

    /** The client's address: the TCP peer's, or X-Forwarded-For's when the peer is a trusted proxy. */
    private String remoteIp(WsContext ctx) {
        SocketAddress address = ctx.session.getRemoteSocketAddress();
        String peer = address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
        TrustedProxies proxies = trustedProxies;
        return proxies.isEmpty() ? peer
                : proxies.clientAddress(peer, ctx.session.getUpgradeRequest().getHeaders("X-Forwarded-For"));
    }

}
