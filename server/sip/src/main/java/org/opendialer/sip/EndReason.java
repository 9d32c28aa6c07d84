package org.opendialer.sip;

/** Why a call ended before it was answered. */
public enum EndReason {
    /** 486 Busy Here, 600 Busy Everywhere. */
    BUSY,
    /** 603 Decline. */
    DECLINED,
    /** 408, 480, or our ring timeout expired. */
    NO_ANSWER,
    /** Hung up by our side before an answer (CANCEL sent), or canceled by the far end. */
    CANCELED,
    /**
     * The caller's proxy cancelled a forked INVITE because another branch answered: its CANCEL carried
     * {@code Reason: SIP;cause=200} (RFC 3326; Kamailio's tm adds it after a 2xx on another branch).
     */
    ANSWERED_ELSEWHERE,
    /** No response at all: transaction timeout (Timer B) or a transport error. */
    UNREACHABLE,
    /** Any other final failure response. */
    FAILED;

    /** The reason for a final failure response to an INVITE. */
    public static EndReason fromStatus(int status) {
        return switch (status) {
            case 486, 600 -> BUSY;
            case 603 -> DECLINED;
            case 408, 480 -> NO_ANSWER;
            case 487 -> CANCELED;
            default -> FAILED;
        };
    }
}
