package org.opendialer.media.relay;

/**
 * The payload type numbers one leg negotiated for the relayed formats. A packet is relayed by
 * format, not by number: the browser's PCMU/PCMA/telephone-event number becomes the receiver's
 * number for the same format, and a format the receiver did not negotiate is dropped.
 * Immutable; a renegotiation publishes a new instance.
 */
final class PayloadFormats {
    static final int NONE = 0;
    static final int PCMU = 1;
    static final int PCMA = 2;
    static final int EVENT = 3;
    static final PayloadFormats EMPTY = new PayloadFormats(-1, -1, -1);

    private final byte[] formatOf = new byte[128];
    private final int[] payloadTypeOf = {-1, -1, -1, -1};

    PayloadFormats(int pcmuPayloadType, int pcmaPayloadType, int eventPayloadType) {
        set(PCMU, pcmuPayloadType);
        set(PCMA, pcmaPayloadType);
        set(EVENT, eventPayloadType);
    }

    private void set(int format, int payloadType) {
        if (payloadType < 0) {
            return;
        }
        if (payloadType > 127) {
            throw new IllegalArgumentException("payload types are 7 bits: " + payloadType);
        }
        formatOf[payloadType] = (byte) format;
        payloadTypeOf[format] = payloadType;
    }

    static int format(MediaSession.Codec codec) {
        return codec == MediaSession.Codec.PCMU ? PCMU : PCMA;
    }

    /** NONE, PCMU, PCMA or EVENT. */
    int formatOf(int payloadType) {
        return formatOf[payloadType & 0x7F];
    }

    /** This leg's number for a format, or -1 when it did not negotiate it. */
    int payloadType(int format) {
        return payloadTypeOf[format];
    }
}
