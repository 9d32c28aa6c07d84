package org.opendialer.media.stun;

/** A datagram that is not a well-formed STUN message (RFC 5389 §6, §15). */
public final class StunException extends Exception {
    public StunException(String message) {
        super(message);
    }
}
