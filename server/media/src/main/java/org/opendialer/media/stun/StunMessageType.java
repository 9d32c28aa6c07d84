package org.opendialer.media.stun;

/**
 * The 14-bit message type: method bits with the two class bits C0 (bit 4) and C1 (bit 8)
 * interleaved (RFC 5389 §6, figure 3). Only the Binding method exists for ICE.
 */
public final class StunMessageType {
    public static final int BINDING = 0x001;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_INDICATION = 0x0011;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;

    private StunMessageType() {
    }

    public static int method(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public static boolean isRequest(int type) {
        return (type & 0x0110) == 0x0000;
    }

    public static boolean isIndication(int type) {
        return (type & 0x0110) == 0x0010;
    }

    public static boolean isSuccess(int type) {
        return (type & 0x0110) == 0x0100;
    }

    public static boolean isError(int type) {
        return (type & 0x0110) == 0x0110;
    }
}
