package org.opendialer.core.calls;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.User;
import org.opendialer.core.accounts.UserSipAccount;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.sip.PbxAccount;
import org.opendialer.sip.Registration;
import org.opendialer.sip.RegistrationState;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipSettings;
import org.opendialer.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX mode: keeps a user's own SIP account registered while at least one of their dialers is connected,
 * and un-registers it {@link #DEFAULT_GRACE} after the last one went (so a page reload does not make the
 * registration flap). Opens the SIP port at the first registration when no trunk did. The call engine
 * tells it about dialers; the admin API asks it whether a user is registered and tells it about changed
 * accounts ({@link PbxStatus}). Thread-safe.
 */
public final class PbxRegistrations implements PbxStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PbxRegistrations.class);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final AccountService accounts;
    private final SipUserAgent sip;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opendialer-pbx");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, Registration> registrations = new HashMap<>();
    private final Map<Long, ScheduledFuture<?>> pendingRemovals = new HashMap<>();
    private final Set<Long> present = new HashSet<>();
    private volatile Duration grace = DEFAULT_GRACE;
    private boolean closed;
    /** Cluster mode: the users' contacts at the SIP edge, kept by the same dialer presence; else null. */
    private volatile EdgeRegistrations edge;

    /** @param sip the agent, or null when the gateway has no SIP settings at all (PBX mode then unavailable) */
    PbxRegistrations(AccountService accounts, SipUserAgent sip) {
        this.accounts = accounts;
        this.sip = sip;
    }

    /** How long a registration outlives the user's last dialer (tests shorten it). */
    public void setGracePeriod(Duration grace) {
        this.grace = grace;
    }

    /** A dialer of the user is connected: register their account (if any) unless already registered. */
    /** Cluster mode: the node's own binding at the SIP edge (/healthz checks it); null for a single gateway. */
    org.opendialer.sip.Registration edgeBinding() {
        EdgeRegistrations e = edge;
        return e == null ? null : e.nodeBinding();
    }

    /** Cluster mode: register users' contacts at the edge too (before any dialer attaches). */
    void edge(EdgeRegistrations edge) {
        this.edge = edge;
    }

    synchronized void dialerAttached(long userId) {
        if (edge != null) {
            edge.dialerAttached(userId);
        }
        present.add(userId);
        ScheduledFuture<?> removal = pendingRemovals.remove(userId);
        if (removal != null) {
            removal.cancel(false);
        }
        if (!registrations.containsKey(userId)) {
            timers.execute(() -> registerIfPresent(userId));
        }
    }

    /** The user's last dialer went away: un-register after the grace period unless one comes back. */
    synchronized void lastDialerDetached(long userId) {
        if (edge != null) {
            edge.lastDialerDetached(userId, grace);
        }
        present.remove(userId);
        if (registrations.containsKey(userId) && !pendingRemovals.containsKey(userId) && !closed) {
            pendingRemovals.put(userId, timers.schedule(() -> unregisterIfAbsent(userId),
                    grace.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** Whether the user's un-REGISTER is scheduled: their last dialer went and none has come back yet. */
    synchronized boolean removalPending(long userId) {
        return pendingRemovals.containsKey(userId);
    }

    /**
     * The account a call of {@code caller} to {@code target} goes through: the caller's PBX account, unless
     * the target is a gateway user's extension (those calls stay inside the gateway); else null.
     */
    PbxAccount accountFor(User caller, DialTarget target) {
        if (target instanceof DialTarget.Extension ext && (ext.digits().equals(caller.extension())
                || accounts.findUserByExtension(ext.digits()).isPresent())) {
            return null;
        }
        return account(caller.id());
    }

    /** The user's PBX account in the agent's terms, or null without one (or without a SIP agent). */
    PbxAccount account(long userId) {
        if (sip == null) {
            return null;
        }
        Optional<UserSipAccount> stored = accounts.sipAccount(userId);
        if (stored.isEmpty()) {
            return null;
        }
        ensureSipStarted();
        return toAgent(stored.get());
    }

    /** The gateway user whose registered Contact has this user part. */
    Optional<User> userForContact(String contactUser) {
        return accounts.sipAccountByContact(contactUser).flatMap(a -> accounts.findUserById(a.userId()));
    }

    @Override
    public synchronized Optional<RegistrationState> state(long userId) {
        Registration r = registrations.get(userId);
        return r == null ? Optional.empty() : Optional.of(r.state());
    }

    /** The live registration of the user, if any (tests look at its failure and refresh count). */
    public synchronized Optional<Registration> registration(long userId) {
        return Optional.ofNullable(registrations.get(userId));
    }

    /** The account was set, changed or removed: drop the old registration, register the new one if present. */
    @Override
    public void accountChanged(long userId) {
        Registration old;
        synchronized (this) {
            old = registrations.remove(userId);
            ScheduledFuture<?> removal = pendingRemovals.remove(userId);
            if (removal != null) {
                removal.cancel(false);
            }
        }
        if (old != null) {
            old.stop().whenComplete((ok, e) -> timers.execute(() -> registerIfPresent(userId)));
        } else {
            timers.execute(() -> registerIfPresent(userId));
        }
    }

    private void registerIfPresent(long userId) {
        PbxAccount account;
        synchronized (this) {
            if (closed || !present.contains(userId) || registrations.containsKey(userId)) {
                return;
            }
        }
        try {
            account = account(userId);
        } catch (RuntimeException e) {
            LOG.error("PBX account of user {} not registered: {}", userId, e.toString());
            return;
        }
        if (account == null) {
            return;
        }
        synchronized (this) {
            if (closed || !present.contains(userId) || registrations.containsKey(userId)) {
                return;
            }
            registrations.put(userId, sip.register(account, r -> LOG.debug("{}", r)));
        }
    }

    private void unregisterIfAbsent(long userId) {
        Registration r;
        synchronized (this) {
            pendingRemovals.remove(userId);
            if (present.contains(userId)) {
                return;
            }
            r = registrations.remove(userId);
        }
        if (r != null) {
            LOG.info("user {}: no dialer for {} s, un-registering {}", userId, grace.toSeconds(),
                    r.account().addressOfRecord());
            r.stop();
        }
    }

    private void ensureSipStarted() {
        if (!sip.isStarted()) {
            try {
                sip.start();
            } catch (SipAgentException e) {
                LOG.error("PBX mode: the SIP port cannot be opened: {}", e.getMessage());
                throw new CallException(CallException.Reason.CALLS_UNAVAILABLE,
                        "The gateway's SIP port cannot be opened.");
            }
        }
    }

    private static PbxAccount toAgent(UserSipAccount stored) {
        var a = stored.account();
        return new PbxAccount(SipSettings.Trunk.parse(a.registrar()), a.username(), a.authUsername(), a.password(),
                stored.contactToken());
    }

    /** Cancels pending un-registrations; the agent's stop() sends the Expires: 0 of live ones. */
    @Override
    public synchronized void close() {
        if (edge != null) {
            edge.close();
        }
        closed = true;
        pendingRemovals.values().forEach(f -> f.cancel(false));
        pendingRemovals.clear();
        registrations.clear();
        timers.shutdownNow();
    }
}
