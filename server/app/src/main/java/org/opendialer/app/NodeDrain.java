package org.opendialer.app;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM drains the node instead of cutting its calls: no new call starts here (placeCall is refused,
 * an INVITE gets 503 so the SIP edge tries another node, /healthz says {@code draining} with 503 so the
 * HTTP edge sends new dialers elsewhere, new WebSockets are refused), dialers without a call here are
 * asked to reconnect (close 1012), the calls that are up go on, and the node exits once they have ended
 * or after {@code DIALER_DRAIN_TIMEOUT_S}; then the shutdown hook ends what is left as
 * {@code gateway_shutdown}. A second SIGTERM stops at once. SIGINT (Ctrl-C) keeps stopping at once.
 */
final class NodeDrain {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDrain.class);
    private static final long POLL_MS = 250;
    /** How long the exit waits for the released dialers' sockets to finish closing (their 1012 sent). */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    /** What draining acts on; {@link ServeCommand} wires the call engine, /healthz and the WebSockets. */
    interface Node {
        /** Refuse new calls and new dialers from now on. */
        void stopTakingCalls();

        int liveCalls();

        Set<Long> usersWithLiveCalls();

        /** Asks every dialer not signed in as one of {@code keep} to reconnect elsewhere; returns how many. */
        int releaseDialersBut(Set<Long> keep);

        /** The WebSockets still open (released ones count until their close completed). */
        int openDialers();
    }

    /** The running gateway as draining sees it: /healthz, the WebSockets and the call engine. */
    static Node node(org.opendialer.core.calls.CallEngine engine, GatewayServer web) {
        return new Node() {
            @Override
            public void stopTakingCalls() {
                web.health().draining();
                web.webSockets().drain();
                engine.drain();
            }

            @Override
            public int liveCalls() {
                return engine.liveCallCount();
            }

            @Override
            public Set<Long> usersWithLiveCalls() {
                return engine.usersWithLiveCalls();
            }

            @Override
            public int releaseDialersBut(Set<Long> keep) {
                return web.webSockets().closeAllBut(keep);
            }

            @Override
            public int openDialers() {
                return web.webSockets().openConnections();
            }
        };
    }

    private final Node node;
    private final Duration bound;
    private final Runnable exit;
    private final Supplier<Long> nanoTime;
    private boolean started; // guarded by this

    NodeDrain(Node node, Duration bound, Runnable exit) {
        this(node, bound, exit, System::nanoTime);
    }

    NodeDrain(Node node, Duration bound, Runnable exit, Supplier<Long> nanoTime) {
        this.node = node;
        this.bound = bound;
        this.exit = exit;
        this.nanoTime = nanoTime;
    }

    /** Makes SIGTERM call {@link #signal()}; false (and SIGTERM stops at once, as before) where that is impossible. */
    boolean installOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> signal());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGTERM will stop the gateway at once, without draining: {}", e.toString());
            return false;
        }
    }

    /** The first call starts draining on a thread of its own; a second one exits at once. */
    void signal() {
        synchronized (this) {
            if (started) {
                LOG.warn("second SIGTERM while draining: stopping now, {} live call(s) end as gateway_shutdown",
                        node.liveCalls());
                new Thread(exit, "drain-exit-now").start();
                return;
            }
            started = true;
        }
        Thread t = new Thread(this::run, "drain");
        t.setDaemon(true);
        t.start();
    }

    /** Drains, waits for the calls (or the bound), then exits. */
    void run() {
        try {
            node.stopTakingCalls();
            LOG.info("SIGTERM: draining: no new calls; exiting when the {} live call(s) have ended, or in {} s",
                    node.liveCalls(), bound.toSeconds());
            long deadline = nanoTime.get() + bound.toNanos();
            // At once, and again on every look (a dialer whose call just ended, one that signed in meanwhile).
            release(node.usersWithLiveCalls());
            while (node.liveCalls() > 0 && nanoTime.get() - deadline < 0) {
                TimeUnit.MILLISECONDS.sleep(POLL_MS);
                release(node.usersWithLiveCalls());
            }
            int left = node.liveCalls();
            if (left > 0) {
                LOG.warn("draining: {} call(s) still up after {} s (DIALER_DRAIN_TIMEOUT_S): ending them", left,
                        bound.toSeconds());
            } else {
                LOG.info("draining: no call left: stopping");
                // Every dialer left gets the 1012 before the process goes: a placeCall it sent meanwhile was
                // refused unplaced, and the dialer sends it again on the node it reconnects to (protocol.md).
                // (With calls left, their dialers stay to be told gateway_shutdown by the exit.)
                // Again until all have closed: one still answering a request (the hangUp that ended the last
                // call) is closed once its answer is out.
                long closed = System.nanoTime() + CLOSE_GRACE.toNanos();
                release(Set.of());
                while (node.openDialers() > 0 && System.nanoTime() - closed < 0) {
                    TimeUnit.MILLISECONDS.sleep(50);
                    release(Set.of());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("draining failed, stopping now: {}", e.toString());
        }
        exit.run();
    }

    private void release(Set<Long> keep) {
        int released = node.releaseDialersBut(keep);
        if (released > 0) {
            LOG.debug("draining: asked {} dialer(s) without a call here to reconnect", released);
        }
    }
}
