package org.opendialer.sandbox;

import java.time.Duration;

/** {@link Sandbox#callUser} said no: a call-me call is in progress, or the last one was too recent. */
public final class CallMeRefusedException extends IllegalStateException {
    private final Duration retryAfter;

    CallMeRefusedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before asking again (an estimate while a call is in progress). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
