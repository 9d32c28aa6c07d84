package org.opendialer.core.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opendialer.media.quality.QualitySummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event delivery: the dialers signed in per user, each call change saved to the call log and then sent to
 * the dialers shown the call, and the replay of missed changes to a dialer that reconnects (protocol.md
 * part 5). Knows nothing of far ends. Engine thread only.
 */
final class CallEvents {
    private static final Logger LOG = LoggerFactory.getLogger(CallEvents.class);

    private final CallStore store;
    private final Map<Long, Set<Dialer>> dialers = new HashMap<>();
    private volatile CallObserver observer = CallObserver.NONE;
    /** Ended calls' events for 10 minutes, for dialers that reconnect (protocol.md part 5). */
    private final RecentlyEnded ended = new RecentlyEnded(Duration.ofMinutes(10), 10_000);

    CallEvents(CallStore store) {
        this.store = store;
    }

    /** Metrics and webhooks: told every saved state before and after the dialers (CallObserver). */
    void observe(CallObserver observer) {
        this.observer = observer;
    }

    void attach(Dialer dialer) {
        dialers.computeIfAbsent(dialer.userId(), id -> new LinkedHashSet<>()).add(dialer);
    }

    /** Removes {@code dialer}; returns whether it was its user's last. */
    boolean detach(Dialer dialer) {
        Set<Dialer> set = dialers.get(dialer.userId());
        if (set != null && set.remove(dialer) && set.isEmpty()) {
            dialers.remove(dialer.userId());
            return true;
        }
        return false;
    }

    /** Whether any dialer of {@code userId} is attached. */
    boolean hasDialers(long userId) {
        return dialers.containsKey(userId);
    }

    boolean isAttached(Dialer d) {
        return dialers.getOrDefault(d.userId(), Set.of()).contains(d);
    }

    /** Saves, tells the observer, then delivers to every dialer of the user that is shown the call. */
    void publish(Ongoing o, CallView view, Instant now) {
        try {
            store.save(o.call.userId, view, now);
        } catch (RuntimeException e) {
            LOG.error("call {} state {} not saved to the call log", view.id(), view.state().wire(), e);
        }
        if (view.state() == CallState.DISCONNECTED) {
            saveQuality(o, view);
        }
        try {
            observer.callSaved(o.call.userId, view);
        } catch (RuntimeException e) {
            LOG.error("call {} state {}: observer failed", view.id(), view.state().wire(), e);
        }
        o.history.add(view);
        for (Dialer d : List.copyOf(dialers.getOrDefault(o.call.userId, Set.of()))) {
            CallView seen = viewFor(d, view, o.answeredBy);
            if (seen != null) {
                send(d, seen);
            }
        }
        try {
            observer.callChanged(o.call.userId, view, view.state() == CallState.ANSWERED && o.sipAnsweredAtNanos != 0
                    ? System.nanoTime() - o.sipAnsweredAtNanos : -1);
        } catch (RuntimeException e) {
            LOG.error("call {} state {}: observer failed", view.id(), view.state().wire(), e);
        }
    }

    /** The call's quality summary, before the observers (the call.ended webhook reads it). */
    private void saveQuality(Ongoing o, CallView view) {
        QualitySummary quality = o.media == null ? null : o.media.qualitySummary(o.mediaSide);
        if (quality == null) {
            return;
        }
        try {
            store.saveQuality(view.id(), quality);
        } catch (RuntimeException e) {
            LOG.error("call {}: quality summary not saved to the call log", view.id(), e);
        }
    }

    /** Tells every dialer shown {@code o} that its transfer failed. */
    void transferFailed(Ongoing o, EndReason reason) {
        for (Dialer d : List.copyOf(dialers.getOrDefault(o.call.userId, Set.of()))) {
            if (o.visibleTo(d)) {
                try {
                    d.transferFailed(o.call.id, reason);
                } catch (RuntimeException e) {
                    LOG.debug("transfer failure not delivered: {}", e.toString());
                }
            }
        }
    }

    /** The call ended: its events are kept for replay. */
    void ended(Ongoing o, Instant now) {
        ended.add(o, now);
    }

    /**
     * Sends {@code dialer} the events of call {@code callId} newer than {@code lastSeq}, in order.
     *
     * @param live the call if it has not ended, else null
     */
    void replayMissed(Dialer dialer, String callId, long lastSeq, Ongoing live, Instant now) {
        List<CallView> history;
        Dialer answeredBy;
        if (live != null && live.call.userId == dialer.userId()) {
            history = live.history;
            answeredBy = live.answeredBy;
        } else {
            RecentlyEnded.Ended recent = ended.find(dialer.userId(), callId, now);
            if (recent != null) {
                history = recent.history();
                answeredBy = recent.answeredBy();
            } else {
                // Ended long ago or before a restart: the call log has its final state and seq.
                history = store.find(dialer.userId(), callId).stream().toList();
                answeredBy = null;
            }
        }
        for (CallView view : List.copyOf(history)) {
            // Each of a call's views has the history's answeredBy only from the answer on.
            CallView seen = view.seq() <= lastSeq ? null
                    : viewFor(dialer, view, view.state() == CallState.CONNECTING ? null : answeredBy);
            if (seen != null) {
                send(dialer, seen);
            }
        }
    }

    /**
     * What {@code d} is shown of {@code view}: the view itself, or, for a dialer of another device than
     * the one that answered, the answer as answered_elsewhere (seen once) and nothing after it.
     */
    private static CallView viewFor(Dialer d, CallView view, Dialer answeredBy) {
        if (answeredBy == null || Dialer.sameDevice(answeredBy, d)) {
            return view;
        }
        return view.state() == CallState.ANSWERED ? view.answeredElsewhere() : null;
    }

    /** Sends {@code view} to every dialer of {@code userId} (a call another node held, ended in the log). */
    void sendToUser(long userId, CallView view) {
        for (Dialer d : List.copyOf(dialers.getOrDefault(userId, Set.of()))) {
            send(d, view);
        }
    }

    void send(Dialer d, CallView view) {
        try {
            d.deliver(view);
        } catch (RuntimeException e) {
            LOG.debug("call event not delivered: {}", e.toString());
        }
    }
}
