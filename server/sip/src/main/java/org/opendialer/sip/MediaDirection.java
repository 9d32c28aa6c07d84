package org.opendialer.sip;

/** The SDP direction attribute of an audio stream (RFC 3264 section 6.1). */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The direction an answerer uses for a stream offered with this one. */
    public MediaDirection reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** What both allow: e.g. we are willing SENDONLY (holding) and the answer may be RECVONLY → INACTIVE. */
    public MediaDirection and(MediaDirection other) {
        boolean send = sends() && other.sends();
        boolean receive = receives() && other.receives();
        return send && receive ? SENDRECV : send ? SENDONLY : receive ? RECVONLY : INACTIVE;
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    String attribute() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static MediaDirection fromAttribute(String attribute) {
        for (MediaDirection d : values()) {
            if (d.attribute().equals(attribute)) {
                return d;
            }
        }
        return null;
    }
}
