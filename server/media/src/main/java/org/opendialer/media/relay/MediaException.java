package org.opendialer.media.relay;

/** A browser offer the relay cannot use; the message says why (for a bad_request answer). */
public final class MediaException extends Exception {
    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
