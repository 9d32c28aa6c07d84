package org.opendialer.media.srtp;

/** A packet SRTP refuses to protect or unprotect; the caller drops it and counts the reason. */
public final class SrtpException extends Exception {
    public enum Reason {
        /** Too short, wrong version, or a header that runs past the packet. */
        MALFORMED,
        /** The authentication tag does not match (RFC 3711 §3.3 step 5). */
        AUTHENTICATION_FAILED,
        /** Index already seen or left of the replay window (§3.3.2). */
        REPLAYED
    }

    private final Reason reason;

    public SrtpException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
