package org.opendialer.app.ws;

/** A frame that is not a well-formed request; {@code id} is the request id when one could be read. */
public final class BadFrameException extends RuntimeException {
    private final String id;

    public BadFrameException(String id, String message) {
        super(message, null, false, false);
        this.id = id;
    }

    /** The request id, or null. */
    public String id() {
        return id;
    }
}
