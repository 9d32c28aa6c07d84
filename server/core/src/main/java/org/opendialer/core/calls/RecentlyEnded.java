package org.opendialer.core.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of calls that ended lately, kept so that a dialer reconnecting after a blip is sent every
 * change it missed, not only the final one (protocol.md part 5). Bounded by age and count; older calls
 * are answered from the call log, which keeps only the final state. Engine thread only.
 */
final class RecentlyEnded {
    /** One ended call: whose, its events, and who answered it (for the answered-elsewhere view). */
    record Ended(long userId, List<CallView> history, Dialer answeredBy, Instant endedAt) {}

    private final Duration keep;
    private final int maxCalls;
    private final Map<String, Ended> calls = new LinkedHashMap<>();

    RecentlyEnded(Duration keep, int maxCalls) {
        this.keep = keep;
        this.maxCalls = maxCalls;
    }

    void add(Ongoing o, Instant now) {
        prune(now);
        calls.put(o.call.id, new Ended(o.call.userId, List.copyOf(o.history), o.answeredBy, now));
        if (calls.size() > maxCalls) {
            Iterator<String> oldest = calls.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The ended call {@code callId} of {@code userId}, if it is still kept. */
    Ended find(long userId, String callId, Instant now) {
        prune(now);
        Ended e = calls.get(callId);
        return e != null && e.userId() == userId ? e : null;
    }

    private void prune(Instant now) {
        Instant limit = now.minus(keep);
        for (Iterator<Ended> it = calls.values().iterator(); it.hasNext(); ) {
            if (!it.next().endedAt().isBefore(limit)) {
                return; // insertion order is end order
            }
            it.remove();
        }
    }
}
