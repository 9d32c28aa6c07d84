package org.opendialer.app.ws;

import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;

/**
 * The WebSocket layer's view of the call engine: placing calls, acting on them, and telling it which
 * connections are signed in as whom (so events reach every dialer of a user). {@link EngineCalls} is the
 * real one.
 */
public interface CallStarter {

    /** A placed call's id, and the gateway's SDP answer to the browser's offer (null without one). */
    record Placed(String callId, String sdp) {}

    /** Starts the call, answering the browser's SDP offer (null: no browser audio); or throws {@link MethodException}. */
    Placed start(DialerConnection connection, User caller, DialTarget target, String offerSdp);

    /**
     * hangUp, answer or reject of {@code callId} (null: the user's current call). For {@code answer}, returns
     * the SDP answer to {@code offerSdp} (null without one); otherwise null.
     */
    default String act(CallAction action, DialerConnection connection, User user, String callId, String offerSdp) {
        throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
    }

    /**
     * A new SDP offer for the audio of {@code callId} from this connection's browser; returns the answer.
     * {@code take}: whether the offer may replace the call's browser leg (protocol.md part 5).
     */
    default String updateMedia(DialerConnection connection, User user, String callId, String offerSdp,
                               org.opendialer.core.calls.CallEngine.Take take) {
        throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
    }

    /** Holds or resumes the answered call {@code callId} (null: the current one). */
    default void hold(DialerConnection connection, User user, String callId, boolean held) {
        throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
    }

    /**
     * Blind transfer of the answered call {@code callId} (null: the current one) to {@code target}; completes
     * once the target rings, or fails with a MethodException (decision 0022).
     */
    default java.util.concurrent.CompletionStage<Void> transfer(DialerConnection connection, User user, String callId,
                                                               DialTarget target) {
        throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
    }

    /** Attended transfer: joins the held call {@code callId} (null: the held one) with the call {@code toCallId}. */
    default void transferToCall(DialerConnection connection, User user, String callId, String toCallId) {
        throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
    }

    /** The connection signed in (or resumed) as {@code user}. */
    default void signedIn(DialerConnection connection, User user) {
    }

    /**
     * As above, with the calls the dialer was showing and the last seq it saw of each: it is sent what it
     * missed of them (protocol.md part 5).
     */
    default void signedIn(DialerConnection connection, User user, java.util.Map<String, Long> knownCalls) {
        signedIn(connection, user);
    }

    /** The connection signed out, lost its session, or closed. */
    default void signedOut(DialerConnection connection) {
    }

    /** How many calls on this gateway have not ended (/healthz); without an engine, none. */
    default int liveCalls() {
        return 0;
    }

    /** The gateway has no call engine: every call is refused with {@code calls_unavailable}. */
    CallStarter UNAVAILABLE = (connection, caller, target, offerSdp) -> {
        throw new MethodException(ErrorCode.CALLS_UNAVAILABLE, "This gateway cannot place calls yet.");
    };

    enum CallAction { HANG_UP, ANSWER, REJECT }
}
