package org.opendialer.media.g711;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Decoder values from the published G.711 decoding tables as 16-bit samples (the μ-law table
 * generated with the ITU-T G.191 tools; the A-law table as printed in Wireshark's G711atable.h).
 */
class G711Test {
    // μ-law codes 0x00..0x1F
    static final short[] ULAW_FIRST_ROWS = {
        -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956,
        -23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764,
        -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412,
        -11900, -11388, -10876, -10364, -9852, -9340, -8828, -8316,
    };

    // A-law codes 0x00..0x8F
    static final short[] ALAW_FIRST_ROWS = {
        -5504, -5248, -6016, -5760, -4480, -4224, -4992, -4736,
        -7552, -7296, -8064, -7808, -6528, -6272, -7040, -6784,
        -2752, -2624, -3008, -2880, -2240, -2112, -2496, -2368,
        -3776, -3648, -4032, -3904, -3264, -3136, -3520, -3392,
        -22016, -20992, -24064, -23040, -17920, -16896, -19968, -18944,
        -30208, -29184, -32256, -31232, -26112, -25088, -28160, -27136,
        -11008, -10496, -12032, -11520, -8960, -8448, -9984, -9472,
        -15104, -14592, -16128, -15616, -13056, -12544, -14080, -13568,
        -344, -328, -376, -360, -280, -264, -312, -296,
        -472, -456, -504, -488, -408, -392, -440, -424,
        -88, -72, -120, -104, -24, -8, -56, -40,
        -216, -200, -248, -232, -152, -136, -184, -168,
        -1376, -1312, -1504, -1440, -1120, -1056, -1248, -1184,
        -1888, -1824, -2016, -1952, -1632, -1568, -1760, -1696,
        -688, -656, -752, -720, -560, -528, -624, -592,
        -944, -912, -1008, -976, -816, -784, -880, -848,
        5504, 5248, 6016, 5760, 4480, 4224, 4992, 4736,
        7552, 7296, 8064, 7808, 6528, 6272, 7040, 6784,
    };

    @Test
    void ulawDecode_matchesThePublishedTable() {
        for (int code = 0; code < ULAW_FIRST_ROWS.length; code++) {
            assertThat(G711.ulawToLinear((byte) code)).as("code %02X", code).isEqualTo(ULAW_FIRST_ROWS[code]);
        }
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
        for (int code = 0; code < 128; code++) { // the sign bit mirrors the table
            assertThat(G711.ulawToLinear((byte) (code | 0x80))).isEqualTo((short) -G711.ulawToLinear((byte) code));
        }
    }

    @Test
    void alawDecode_matchesThePublishedTable() {
        for (int code = 0; code < ALAW_FIRST_ROWS.length; code++) {
            assertThat(G711.alawToLinear((byte) code)).as("code %02X", code).isEqualTo(ALAW_FIRST_ROWS[code]);
        }
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        for (int code = 0; code < 128; code++) {
            assertThat(G711.alawToLinear((byte) (code | 0x80))).isEqualTo((short) -G711.alawToLinear((byte) code));
        }
    }

    @Test
    void encodingADecodedLevel_givesBackItsCode() {
        for (int code = 0; code < 256; code++) {
            byte c = (byte) code;
            byte expectedUlaw = code == 0x7F ? (byte) 0xFF : c; // μ-law has two zeros; 0 encodes as +0
            assertThat(G711.linearToUlaw(G711.ulawToLinear(c))).as("μ %02X", code).isEqualTo(expectedUlaw);
            assertThat(G711.linearToAlaw(G711.alawToLinear(c))).as("A %02X", code).isEqualTo(c);
        }
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
    }

    /**
     * Each reconstruction level sits mid-way in its decision interval, whose width is at most
     * 1/16 of the magnitude (plus the fixed step of the lowest segments), so the error is at
     * most half that; and quantising never reorders samples.
     */
    @Test
    void everySample_quantisesWithinHalfAStep_andMonotonically() {
        int previousU = Integer.MIN_VALUE;
        int previousA = Integer.MIN_VALUE;
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int u = G711.ulawToLinear(G711.linearToUlaw((short) x));
            int a = G711.alawToLinear(G711.linearToAlaw((short) x));
            int bound = 8 + (Math.abs(x) + 132) / 32;
            assertThat(Math.abs(x - u)).as("μ-law %d", x).isLessThanOrEqualTo(bound);
            assertThat(Math.abs(x - a)).as("A-law %d", x).isLessThanOrEqualTo(bound);
            assertThat(u).as("μ-law monotone at %d", x).isGreaterThanOrEqualTo(previousU);
            assertThat(a).as("A-law monotone at %d", x).isGreaterThanOrEqualTo(previousA);
            previousU = u;
            previousA = a;
        }
    }
}
