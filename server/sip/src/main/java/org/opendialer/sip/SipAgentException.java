package org.opendialer.sip;

/** The one exception this module throws across its boundary; {@link #reason()} says what went wrong. */
public final class SipAgentException extends RuntimeException {
    public enum Reason {
        /** An SDP body could not be parsed, or has no usable audio stream. */
        INVALID_SDP,
        /** The offer has no codec in common with ours (PCMU, PCMA). */
        NO_COMMON_CODEC,
        /** Settings are incomplete or inconsistent, e.g. no trunk configured. */
        INVALID_SETTINGS,
        /** The SIP stack could not start, bind or send. */
        TRANSPORT,
        /** A number to call that is not digits with an optional leading "+". */
        INVALID_NUMBER,
        /** The call is not in a state that allows the operation. */
        INVALID_STATE,
        /** The trunk's host name has no usable NAPTR, SRV or A/AAAA records, or DNS did not answer in time. */
        UNRESOLVABLE
    }

    private final Reason reason;

    public SipAgentException(Reason reason, String message) {
        this(reason, message, null);
    }

    public SipAgentException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
