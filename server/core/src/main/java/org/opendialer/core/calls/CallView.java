package org.opendialer.core.calls;

import java.time.Instant;

/**
 * One immutable state of a call as a dialer sees it: the seed's Call fields plus {@code endReason}
 * and {@code seq} (1, 2, 3... per call, one per event), and {@code recall}: an inbound call that is the
 * user's own blind transfer coming back because the target did not take it (decision 0022).
 */
public record CallView(
        String id,
        CallState state,
        CallDirection direction,
        CallResult result,
        String from,
        String to,
        String callerDisplayName,
        Instant startTime,
        Instant answerTime,
        Instant endTime,
        EndReason endReason,
        long seq,
        boolean recall) {

    /** A view of a call that is not a transfer recall. */
    public CallView(String id, CallState state, CallDirection direction, CallResult result, String from, String to,
                    String callerDisplayName, Instant startTime, Instant answerTime, Instant endTime,
                    EndReason endReason, long seq) {
        this(id, state, direction, result, from, to, callerDisplayName, startTime, answerTime, endTime, endReason,
                seq, false);
    }

    /** This view as seen by a dialer whose ringing stopped because another dialer answered. */
    CallView answeredElsewhere() {
        return new CallView(id, CallState.DISCONNECTED, direction, CallResult.ANSWERED, from, to,
                callerDisplayName, startTime, answerTime, answerTime, EndReason.ANSWERED_ELSEWHERE, seq, recall);
    }
}
