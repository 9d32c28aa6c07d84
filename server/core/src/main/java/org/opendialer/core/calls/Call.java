package org.opendialer.core.calls;

import java.time.Instant;
import java.util.Objects;

/**
 * One call of one user, with the seed's fields. State changes only through {@link #moveTo}, which
 * rejects impossible moves, stamps the times, sets {@code result} exactly when the call becomes
 * {@code disconnected}, and counts {@code seq}. Not thread-safe: the {@link CallEngine} owns it.
 */
final class Call {
    final String id;
    final long userId;
    final CallDirection direction;
    final String from;
    final String to;
    final String callerDisplayName;
    final Instant startTime;
    /** A blind transfer's caller offered back to the user who transferred them (decision 0022). */
    final boolean recall;

    private CallState state = CallState.CONNECTING;
    private CallResult result;
    private Instant answerTime;
    private Instant endTime;
    private EndReason endReason;
    private long seq = 1;

    Call(String id, long userId, CallDirection direction, String from, String to, String callerDisplayName,
         Instant startTime) {
        this(id, userId, direction, from, to, callerDisplayName, startTime, false);
    }

    Call(String id, long userId, CallDirection direction, String from, String to, String callerDisplayName,
         Instant startTime, boolean recall) {
        this.recall = recall;
        this.id = Objects.requireNonNull(id);
        this.userId = userId;
        this.direction = Objects.requireNonNull(direction);
        this.from = from;
        this.to = to;
        this.callerDisplayName = callerDisplayName;
        this.startTime = Objects.requireNonNull(startTime);
    }

    CallState state() {
        return state;
    }

    /**
     * The one transition: {@code reason} is required for {@code disconnected} and forbidden otherwise,
     * and must fit the state it leaves (a hang-up ends an answered call, busy/declined/... an unanswered one).
     *
     * @throws IllegalStateException for a move the state machine does not allow
     */
    CallView moveTo(CallState next, EndReason reason, Instant now) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(id + ": " + state.wire() + " -> " + next.wire() + " is not allowed");
        }
        if ((next == CallState.DISCONNECTED) != (reason != null) || !fits(reason)) {
            throw new IllegalStateException(id + ": end reason " + reason + " does not fit "
                    + state.wire() + " -> " + next.wire());
        }
        state = next;
        if (next == CallState.ANSWERED) {
            answerTime = now;
        } else {
            endTime = now;
            endReason = reason;
            result = answerTime == null ? CallResult.NOT_ANSWERED : CallResult.ANSWERED;
        }
        seq++;
        return view();
    }

    private boolean fits(EndReason reason) {
        if (reason == null) {
            return true;
        }
        return switch (reason) {
            case LOCAL_HANGUP, REMOTE_HANGUP, MEDIA_TIMEOUT, CONNECTION_LOST, MEDIA_FAILED, TRANSFERRED,
                    SESSION_EXPIRED -> state == CallState.ANSWERED;
            case BUSY, DECLINED, NO_ANSWER, CANCELED, UNREACHABLE -> state == CallState.CONNECTING;
            case FAILED, GATEWAY_SHUTDOWN -> true;
            // Only the call log's repair at the next start writes it, never a live call.
            case GATEWAY_RESTART -> false;
            // A per-dialer view (CallView#answeredElsewhere), or the end of a ringing call whose forking
            // proxy (the cluster's SIP edge) cancelled it because another node answered.
            case ANSWERED_ELSEWHERE -> state == CallState.CONNECTING;
        };
    }

    CallView view() {
        return new CallView(id, state, direction, result, from, to, callerDisplayName, startTime, answerTime,
                endTime, endReason, seq, recall);
    }
}
