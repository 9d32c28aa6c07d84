package org.opendialer.media.g711;

/**
 * ITU-T G.711 μ-law (PCMU) and A-law (PCMA) between 8-bit codes and 16-bit linear samples.
 * The relay forwards G.711 untouched; this exists for tone generation and for tests that
 * check what came out of a call. Decoding is a table, encoding the segment search of G.711
 * with decision thresholds halfway between reconstruction levels.
 */
public final class G711 {
    private static final int ULAW_BIAS = 0x84;   // 33 << 2: shifts segment edges onto powers of two
    private static final int ULAW_CLIP = 32635;  // 0x7FFF - bias
    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];

    static {
        for (int code = 0; code < 256; code++) {
            ULAW_DECODE[code] = ulawFormula(code);
            ALAW_DECODE[code] = alawFormula(code);
        }
    }

    private G711() {
    }

    public static short ulawToLinear(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    public static short alawToLinear(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    /** μ-law: sign, 3-bit segment, 4-bit mantissa, all bits inverted on the wire. */
    public static byte linearToUlaw(short sample) {
        int x = sample;
        int sign = 0;
        if (x < 0) {
            x = -x;
            sign = 0x80;
        }
        if (x > ULAW_CLIP) {
            x = ULAW_CLIP;
        }
        x += ULAW_BIAS;
        int segment = 31 - Integer.numberOfLeadingZeros(x) - 7; // x >= 132 so segment >= 0
        int mantissa = (x >> (segment + 3)) & 0x0F;
        return (byte) ~(sign | (segment << 4) | mantissa);
    }

    /** A-law: sign, 3-bit segment, 4-bit mantissa, even bits inverted (XOR 0x55) on the wire. */
    public static byte linearToAlaw(short sample) {
        int x = sample >> 3; // A-law works on 13 bits
        int sign = 0x80;     // A-law sets the bit for positive values
        if (x < 0) {
            x = -x - 1;      // one's-complement magnitude keeps -1 and 0 symmetric
            sign = 0;
        }
        int code;
        if (x < 32) {
            code = x >> 1;   // segments 0 and 1 share the step
        } else {
            int segment = 31 - Integer.numberOfLeadingZeros(x) - 4;
            if (segment > 7) {
                code = 0x7F;
            } else {
                code = (segment << 4) | ((x >> segment) & 0x0F);
            }
        }
        return (byte) ((sign | code) ^ 0x55);
    }

    private static short ulawFormula(int code) {
        int u = ~code & 0xFF;
        int segment = (u >> 4) & 0x07;
        int magnitude = ((((u & 0x0F) << 3) + ULAW_BIAS) << segment) - ULAW_BIAS;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short alawFormula(int code) {
        int a = (code ^ 0x55) & 0xFF;
        int segment = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = segment == 0
                ? (mantissa << 4) + 8
                : ((mantissa << 4) + 0x108) << (segment - 1);
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
