package org.opendialer.media.rtp;

/**
 * What arrived on a port shared by ICE, DTLS and SRTP, told apart by the first byte
 * (RFC 7983 §7) and, inside 128–191, RTCP from RTP by the second byte (RFC 5761 §4).
 */
public enum PacketKind {
    STUN, DTLS, RTP, RTCP, UNKNOWN;

    public static PacketKind of(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int first = buf[off] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (len < 2) {
                return UNKNOWN;
            }
            // RTCP packet types 192–223 sit where RTP payload types 64–95 with the marker bit
            // would be; those payload types must not be used with rtcp-mux (RFC 5761 §4).
            int second = buf[off + 1] & 0xFF;
            return second >= 192 && second <= 223 ? RTCP : RTP;
        }
        return UNKNOWN; // ZRTP (16–19) and TURN channels (64–79) are not used here
    }
}
