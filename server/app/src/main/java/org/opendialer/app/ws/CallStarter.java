package org.opendialer.app.ws;

import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;

/**
 * The WebSocket layer's view of the call engine: placing calls, acting on them, and telling it which
 * connections are signed in as whom (so events reach every dialer of a user). {@link EngineCalls} is the
 * real one.
 */
public interface CallStarter {

    /** Starts the call and returns its id, or throws {@link MethodException}. */
    String start(DialerConnection connection, User caller, DialTarget target);

    /** hangUp, answer or reject of {@code callId} (null: the user's current call). */
    default void act(CallAction action, DialerConnection connection, User user, String callId) {
        throw new MethodException(ErrorCode.CALL_NOT_FOUND, "There is no call to act on.");
    }

    /** The connection signed in (or resumed) as {@code user}. */
    default void signedIn(DialerConnection connection, User user) {
    }

    /** The connection signed out, lost its session, or closed. */
    default void signedOut(DialerConnection connection) {
    }

    /** The gateway has no call engine: every call is refused with {@code calls_unavailable}. */
    CallStarter UNAVAILABLE = (connection, caller, target) -> {
        throw new MethodException(ErrorCode.CALLS_UNAVAILABLE, "This gateway cannot place calls yet.");
    };

    enum CallAction { HANG_UP, ANSWER, REJECT }
}
