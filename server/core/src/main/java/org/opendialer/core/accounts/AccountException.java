package org.opendialer.core.accounts;

/** The one exception of the accounts boundary; {@code app} maps {@link Reason} to wire codes. */
public final class AccountException extends RuntimeException {

    public enum Reason { INVALID_INPUT, DUPLICATE_USERNAME, DUPLICATE_EXTENSION, DUPLICATE_NUMBER, NOT_FOUND,
        /** Too many attempts: refused before any work; {@link #retryAfter()} says when to try again. */
        RATE_LIMITED }

    private final Reason reason;
    private final java.time.Duration retryAfter;

    public AccountException(Reason reason, String message) {
        this(reason, message, java.time.Duration.ZERO);
    }

    public AccountException(Reason reason, String message, java.time.Duration retryAfter) {
        super(message);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** For {@link Reason#RATE_LIMITED}: how long until an attempt may succeed; zero otherwise. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public Reason reason() {
        return reason;
    }
}
