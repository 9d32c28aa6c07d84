package org.opendialer.core.calls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.User;
import org.opendialer.sip.PbxAccount;
import org.opendialer.sip.Registration;
import org.opendialer.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: while a user has a dialer on this node, the node registers a contact for the user's
 * extension and number (digits only, no "+") at the SIP edge (Kamailio, this node's trunk), so the edge
 * forks the user's inbound and extension calls to every node holding one of their dialers. The same
 * {@link Registration} (REGISTER, digest, refresh, Expires: 0) as PBX mode; the username of the digest is
 * the node's name, the password DIALER_CLUSTER_SECRET. Un-registers after the same grace as PBX mode, so a
 * reload does not make the contact flap. Thread-safe; network work runs on its own thread.
 */
final class EdgeRegistrations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeRegistrations.class);
    /** The Contact's user part: routing at the node goes by the To header (the dialled number or extension). */
    static final String CONTACT_PREFIX = "edge-";
    /**
     * The node's own binding at the edge, held while the node runs: /healthz is ok only while the edge accepts
     * it, so a node that cannot reach Kamailio (or whose secret it refuses) takes no dialers. Its address of
     * record has a dot, so no dialled number or extension (digits only) ever reaches it.
     */
    static final String NODE_AOR_PREFIX = "node.";

    private final AccountService accounts;
    private final SipUserAgent sip;
    private final String node;
    private final String secret;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opendialer-edge");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, List<Registration>> registrations = new HashMap<>();
    private final Map<Long, ScheduledFuture<?>> pendingRemovals = new HashMap<>();
    private final Set<Long> present = new HashSet<>();
    private Registration nodeBinding;
    private boolean closed;

    EdgeRegistrations(AccountService accounts, SipUserAgent sip, String node, String secret) {
        this.accounts = accounts;
        this.sip = sip;
        this.node = node;
        this.secret = secret;
    }

    synchronized void dialerAttached(long userId) {
        present.add(userId);
        ScheduledFuture<?> removal = pendingRemovals.remove(userId);
        if (removal != null) {
            removal.cancel(false);
        }
        if (!registrations.containsKey(userId) && !closed) {
            timers.execute(() -> registerIfPresent(userId));
        }
    }

    synchronized void lastDialerDetached(long userId, Duration grace) {
        present.remove(userId);
        if (registrations.containsKey(userId) && !pendingRemovals.containsKey(userId) && !closed) {
            pendingRemovals.put(userId, timers.schedule(() -> unregisterIfAbsent(userId),
                    grace.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * The node's own binding at the edge (registered on the first call, once the engine has started its SIP
     * stack), or null after close().
     */
    synchronized Registration nodeBinding() {
        if (nodeBinding == null && !closed) {
            PbxAccount account = new PbxAccount(sip.settings().trunk(), NODE_AOR_PREFIX + node, node, secret,
                    CONTACT_PREFIX + "node");
            nodeBinding = sip.register(account, r -> LOG.debug("{}", r));
        }
        return nodeBinding;
    }

    /** The addresses of record of {@code user} at the edge: extension and number, digits only. */
    static List<String> addressesOf(User user) {
        List<String> aors = new ArrayList<>();
        if (user.extension() != null && !user.extension().isBlank()) {
            aors.add(user.extension());
        }
        if (user.number() != null && !user.number().isBlank()) {
            aors.add(user.number().replace("+", ""));
        }
        return aors;
    }

    private void registerIfPresent(long userId) {
        synchronized (this) {
            if (closed || !present.contains(userId) || registrations.containsKey(userId)) {
                return;
            }
        }
        User user;
        try {
            user = accounts.findUserById(userId).orElse(null); // one indexed row, not every user per sign-in
        } catch (RuntimeException e) {
            LOG.error("user {}: contact not registered at the SIP edge: {}", userId, e.toString());
            return;
        }
        if (user == null || sip.settings().trunk() == null) {
            return;
        }
        synchronized (this) {
            if (closed || !present.contains(userId) || registrations.containsKey(userId)) {
                return;
            }
            List<Registration> regs = new ArrayList<>();
            for (String aor : addressesOf(user)) {
                PbxAccount account = new PbxAccount(sip.settings().trunk(), aor, node, secret, CONTACT_PREFIX + userId);
                regs.add(sip.register(account, r -> LOG.debug("{}", r)));
            }
            registrations.put(userId, regs);
        }
    }

    private void unregisterIfAbsent(long userId) {
        List<Registration> regs;
        synchronized (this) {
            pendingRemovals.remove(userId);
            if (present.contains(userId)) {
                return;
            }
            regs = registrations.remove(userId);
        }
        if (regs != null) {
            LOG.info("user {}: no dialer on node {}: un-registering its contacts at the SIP edge", userId, node);
            regs.forEach(Registration::stop);
        }
    }

    /** Cancels pending un-registrations; the agent's stop() sends the Expires: 0 of live ones. */
    @Override
    public synchronized void close() {
        closed = true;
        pendingRemovals.values().forEach(f -> f.cancel(false));
        pendingRemovals.clear();
        registrations.clear();
        timers.shutdownNow();
    }
}
