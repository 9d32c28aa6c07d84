package org.opendialer.sip;

import java.util.Locale;

/**
 * One RTP payload format of an audio stream: payload type, encoding name, clock rate and optional fmtp
 * parameters, as carried by an SDP {@code a=rtpmap}/{@code a=fmtp} pair.
 */
public record RtpFormat(int payloadType, String encoding, int clockRate, String fmtp) {
    public static final RtpFormat PCMU = new RtpFormat(0, "PCMU", 8000, null);
    public static final RtpFormat PCMA = new RtpFormat(8, "PCMA", 8000, null);
    public static final RtpFormat TELEPHONE_EVENT = new RtpFormat(101, "telephone-event", 8000, "0-16");

    public RtpFormat {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (encoding == null || encoding.isBlank()) {
            throw new IllegalArgumentException("encoding name missing");
        }
    }

    /** Whether both describe the same codec; payload type numbers may differ for dynamic types. */
    public boolean sameCodec(RtpFormat other) {
        return encoding.equalsIgnoreCase(other.encoding) && clockRate == other.clockRate;
    }

    public boolean isTelephoneEvent() {
        return encoding.equalsIgnoreCase("telephone-event");
    }

    /** The static payload types of RFC 3551 that may come without an rtpmap line. */
    static RtpFormat staticType(int payloadType) {
        return switch (payloadType) {
            case 0 -> PCMU;
            case 8 -> PCMA;
            case 3 -> new RtpFormat(3, "GSM", 8000, null);
            case 4 -> new RtpFormat(4, "G723", 8000, null);
            case 9 -> new RtpFormat(9, "G722", 8000, null);
            case 13 -> new RtpFormat(13, "CN", 8000, null);
            case 18 -> new RtpFormat(18, "G729", 8000, null);
            default -> null;
        };
    }

    String rtpmapValue() {
        return payloadType + " " + encoding + "/" + clockRate;
    }

    @Override
    public String toString() {
        return rtpmapValue().toUpperCase(Locale.ROOT);
    }
}
