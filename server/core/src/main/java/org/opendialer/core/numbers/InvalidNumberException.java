package org.opendialer.core.numbers;

/** A {@code to} value that is neither an extension nor a valid phone number. */
public final class InvalidNumberException extends RuntimeException {

    public enum Reason { EMPTY, TOO_LONG, NOT_A_NUMBER, INVALID_FOR_REGION }

    private final Reason reason;

    public InvalidNumberException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
