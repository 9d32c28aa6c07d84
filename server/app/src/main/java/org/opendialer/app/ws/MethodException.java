package org.opendialer.app.ws;

/** A request that fails with a protocol error code; the message goes to the dialer as is. */
public final class MethodException extends RuntimeException {
    private final ErrorCode code;

    public MethodException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
