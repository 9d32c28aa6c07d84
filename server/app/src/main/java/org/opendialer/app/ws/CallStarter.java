package org.opendialer.app.ws;

import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;

/** Where {@code placeCall} hands a validated, authorised call. The call engine implements this. */
@FunctionalInterface
public interface CallStarter {

    /** Starts the call and returns its id, or throws {@link MethodException}. */
    String start(DialerConnection connection, User caller, DialTarget target);

    /** The gateway has no call engine yet: every call is refused with {@code calls_unavailable}. */
    CallStarter UNAVAILABLE = (connection, caller, target) -> {
        throw new MethodException(ErrorCode.CALLS_UNAVAILABLE, "This gateway cannot place calls yet.");
    };
}
