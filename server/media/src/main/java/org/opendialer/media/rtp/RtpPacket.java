package org.opendialer.media.rtp;

/**
 * Reads and writes the RTP fixed header in place (RFC 3550 §5.1). Static methods over a
 * byte array and offset, so the relay path allocates nothing per packet.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;

    private RtpPacket() {
    }

    /**
     * The length of fixed header, CSRC list and header extension (§5.3.1), or -1 when the
     * packet is not RTP version 2 or the header runs past {@code len}.
     */
    public static int headerLength(byte[] b, int off, int len) {
        if (len < FIXED_HEADER_LENGTH || (b[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (b[off] & 0x0F);
        if ((b[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            header += 4 + 4 * (((b[off + header + 2] & 0xFF) << 8) | (b[off + header + 3] & 0xFF));
        }
        return header <= len ? header : -1;
    }

    /** Payload length without the padding the P bit announces (§5.1), or -1 if inconsistent. */
    public static int payloadLength(byte[] b, int off, int len) {
        int header = headerLength(b, off, len);
        if (header < 0) {
            return -1;
        }
        int padding = (b[off] & 0x20) != 0 && len > header ? b[off + len - 1] & 0xFF : 0;
        return padding <= len - header ? len - header - padding : -1;
    }

    public static int payloadType(byte[] b, int off) {
        return b[off + 1] & 0x7F;
    }

    public static boolean marker(byte[] b, int off) {
        return (b[off + 1] & 0x80) != 0;
    }

    public static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7F);
    }

    public static int sequenceNumber(byte[] b, int off) {
        return ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    public static void setSequenceNumber(byte[] b, int off, int seq) {
        b[off + 2] = (byte) (seq >>> 8);
        b[off + 3] = (byte) seq;
    }

    /** The 32-bit timestamp as an unsigned value. */
    public static long timestamp(byte[] b, int off) {
        return readInt(b, off + 4) & 0xFFFFFFFFL;
    }

    public static void setTimestamp(byte[] b, int off, long ts) {
        writeInt(b, off + 4, (int) ts);
    }

    public static int ssrc(byte[] b, int off) {
        return readInt(b, off + 8);
    }

    public static void setSsrc(byte[] b, int off, int ssrc) {
        writeInt(b, off + 8, ssrc);
    }

    /** RTCP packet type of the first packet of a compound (RFC 3550 §6.4). */
    public static int rtcpPacketType(byte[] b, int off) {
        return b[off + 1] & 0xFF;
    }

    /** Sender SSRC of an RTCP packet (every type of RFC 3550 §6 carries it at offset 4). */
    public static int rtcpSenderSsrc(byte[] b, int off) {
        return readInt(b, off + 4);
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
