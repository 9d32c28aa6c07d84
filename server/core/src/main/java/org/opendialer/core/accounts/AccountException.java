package org.opendialer.core.accounts;

/** The one exception of the accounts boundary; {@code app} maps {@link Reason} to wire codes. */
public final class AccountException extends RuntimeException {

    public enum Reason { INVALID_INPUT, DUPLICATE_USERNAME, DUPLICATE_EXTENSION, DUPLICATE_NUMBER, NOT_FOUND }

    private final Reason reason;

    public AccountException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
