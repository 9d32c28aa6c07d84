package org.opendialer.core.calls;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls that have not ended, and the one place their state changes: {@link #move} and {@link #end}
 * go through {@link Call#moveTo} (the state machine) and then {@link CallEvents#publish}. Far ends and the
 * engine both end calls here. Engine thread only.
 */
final class LiveCalls {
    private final Map<String, Ongoing> calls = new LinkedHashMap<>();
    /** How many calls have not ended, readable from any thread (/healthz, draining). */
    private volatile int count;
    private final CallEvents events;
    private final Clock clock;

    LiveCalls(CallEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    CallEvents events() {
        return events;
    }

    /** Adds a new call and publishes its first state. */
    Ongoing register(Call call) {
        Ongoing o = new Ongoing(call);
        calls.put(call.id, o);
        count = calls.size();
        events.publish(o, call.view(), now());
        return o;
    }

    void move(Ongoing o, CallState next) {
        events.publish(o, o.call.moveTo(next, null, now()), now());
        if (next == CallState.ANSWERED && o.media != null) {
            o.media.answered(); // the browser's audio must connect within DIALER_MEDIA_CONNECT_TIMEOUT_S
        }
    }

    /** Ends a call that has not ended yet; later events for it (a late SIP reply) are ignored. */
    void end(Ongoing o, EndReason reason) {
        if (o.call.state().isFinal()) {
            return;
        }
        calls.remove(o.call.id);
        count = calls.size();
        if (o.ringTimer != null) {
            o.ringTimer.cancel(false);
        }
        if (o.media != null) {
            o.media.close(); // idempotent: both calls of an extension pair share it
        }
        events.publish(o, o.call.moveTo(CallState.DISCONNECTED, reason, now()), now());
        events.ended(o, now());
        if (o.numberTransfer != null) {
            o.numberTransfer.cancel();
        }
        if (o.blind != null) {
            BlindTransfer blind = o.blind;
            o.blind = null;
            blind.callEnded();
        }
        if (o.browserTransfer != null) {
            BrowserCallerTransfer transfer = o.browserTransfer;
            o.browserTransfer = null;
            transfer.ended(o);
        }
        Ongoing target = o.transferTo;
        if (target != null) {
            o.transferTo = null;
            end(target, EndReason.CANCELED); // the call being transferred is gone: the target stops ringing
        }
    }

    /** The number of calls that have not ended; any thread. */
    int count() {
        return count;
    }

    /** The live call {@code callId}, or null. */
    Ongoing get(String callId) {
        return calls.get(callId);
    }

    Collection<Ongoing> all() {
        return calls.values();
    }

    List<Ongoing> snapshot() {
        return List.copyOf(calls.values());
    }

    /** The first call shown to {@code dialer} that matches, else CALL_NOT_FOUND. */
    Ongoing find(Dialer dialer, String callId, boolean ringingInboundOnly) {
        if (callId == null && !ringingInboundOnly) {
            // Without an id, the call the user is talking on comes first (call waiting: two calls).
            for (Ongoing o : calls.values()) {
                if (o.visibleTo(dialer) && o.call.state() == CallState.ANSWERED && !o.held) {
                    return o;
                }
            }
        }
        for (Ongoing o : calls.values()) {
            boolean matches = callId == null || o.call.id.equals(callId);
            if (matches && o.visibleTo(dialer) && (!ringingInboundOnly || o.isRingingInbound())) {
                return o;
            }
        }
        throw new CallException(CallException.Reason.CALL_NOT_FOUND,
                callId == null ? "There is no call to act on." : "No call " + callId + ".");
    }

    /** The user's other live calls. */
    List<Ongoing> ofUser(long userId, Ongoing except) {
        return calls.values().stream().filter(o -> o.call.userId == userId && o != except).toList();
    }

    boolean hasCalls(long userId, Ongoing except) {
        return calls.values().stream().anyMatch(o -> o.call.userId == userId && o != except);
    }

    Instant now() {
        // PostgreSQL keeps microseconds: milliseconds make stored and sent times equal everywhere.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
