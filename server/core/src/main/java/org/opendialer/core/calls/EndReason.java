package org.opendialer.core.calls;

/** Why a call ended, as sent in {@code end_reason} (docs/protocol.md, part 3). */
public enum EndReason {
    /** 486 Busy Here, 600 Busy Everywhere, or the called user already has a call. */
    BUSY("busy"),
    /** 603 Decline, or the called user rejected the call. */
    DECLINED("declined"),
    /** 408, 480, or the ring timeout (DIALER_RING_TIMEOUT_S) expired. */
    NO_ANSWER("no_answer"),
    /** The caller gave up before an answer. */
    CANCELED("canceled"),
    /** Any other failure. */
    FAILED("failed"),
    /** The trunk never answered the INVITE (transaction timeout) or could not be reached. */
    UNREACHABLE("unreachable"),
    /** This user hung up after the answer. */
    LOCAL_HANGUP("local_hangup"),
    /** The other party hung up after the answer. */
    REMOTE_HANGUP("remote_hangup"),
    /** An inbound call this dialer was ringing for was answered on another dialer of the same user. */
    ANSWERED_ELSEWHERE("answered_elsewhere"),
    /** A leg of the answered call sent no RTP for DIALER_RTP_TIMEOUT_S (far end or browser gone silently). */
    MEDIA_TIMEOUT("media_timeout"),
    /**
     * The browser leg sent no RTP for DIALER_RTP_TIMEOUT_S and the dialer that carried the audio was not
     * connected (tab closed, network gone) and no other took the audio over.
     */
    CONNECTION_LOST("connection_lost"),
    /**
     * The call was answered but the browser's audio never connected (ICE and DTLS did not complete within
     * DIALER_MEDIA_CONNECT_TIMEOUT_S): the network between the browser and the gateway blocks audio.
     */
    MEDIA_FAILED("media_failed"),
    /**
     * The SIP session expired (RFC 4028): the far end stopped refreshing it or answered our refresh with 408/481
     * or not at all; the gateway sent BYE.
     */
    SESSION_EXPIRED("session_expired"),
    /** The user transferred the answered call: the other party now talks to the transfer target. */
    TRANSFERRED("transferred"),
    /** The gateway was stopped (SIGTERM) during the call; the far end got a BYE or CANCEL. */
    GATEWAY_SHUTDOWN("gateway_shutdown"),
    /** The gateway stopped without ending the call (crash, kill): set by the next start's repair. */
    GATEWAY_RESTART("gateway_restart");

    private final String wire;

    EndReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The reason for a stored wire name; one this version does not know is {@link #FAILED}. */
    public static EndReason fromWire(String wire) {
        for (EndReason r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        return FAILED;
    }

    /** The SIP agent's reason for an unanswered leg, in wire terms. */
    static EndReason of(org.opendialer.sip.EndReason sip) {
        return switch (sip) {
            case BUSY -> BUSY;
            case DECLINED -> DECLINED;
            case NO_ANSWER -> NO_ANSWER;
            case CANCELED -> CANCELED;
            case ANSWERED_ELSEWHERE -> ANSWERED_ELSEWHERE;
            case UNREACHABLE -> UNREACHABLE;
            case FAILED -> FAILED;
        };
    }
}
