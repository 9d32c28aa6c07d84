package org.opendialer.core.calls;

/** A call request the engine refuses; the app maps {@link Reason} to a wire error code. */
public final class CallException extends RuntimeException {
    public enum Reason {
        /** An outbound call of this user is still connecting. */
        OUTGOING_CALL_ALREADY_RINGING,
        /** Another call of this user is answered, or an inbound call is ringing. */
        CALL_IN_PROGRESS,
        /** No SIP trunk is configured for calls to E.164 numbers. */
        CALLS_UNAVAILABLE,
        /** No user has that extension, or it is the caller's own. */
        INVALID_TARGET,
        /** No call of this user matches the request. */
        CALL_NOT_FOUND,
        /** The browser's SDP offer cannot be used (protocol.md part 4). */
        INVALID_MEDIA,
        /**
         * A transfer cannot start: no answered call, a target that is invalid or the user themself, a transfer
         * already under way, or a call that is ending. The call is untouched.
         */
        TRANSFER_REFUSED,
        /** The transfer target did not take the call (busy, declined, no answer, unreachable); the caller stays. */
        TRANSFER_FAILED,
        /** An offer without {@code take} from a browser leg the call no longer uses (protocol.md part 5). */
        MEDIA_MOVED,
        /** Premium rate, shared cost, a blocked prefix or a country not allowed (DestinationPolicy). */
        DESTINATION_NOT_ALLOWED,
        /** The user placed DIALER_CALLS_PER_MINUTE or DIALER_CALLS_PER_DAY calls already. */
        CALL_RATE_LIMITED,
        /** The node drains (SIGTERM) and placed nothing: the dialer may send the call to another node. */
        NODE_DRAINING
    }

    private final Reason reason;

    public CallException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
