package org.opendialer.media.tone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opendialer.media.g711.G711;
import org.opendialer.testkit.Goertzel;

class TonePatternTest {
    private static short[][] frames(int count) {
        TonePattern tone = new TonePattern(TonePattern.ANNOUNCEMENT);
        short[][] frames = new short[count][TonePattern.FRAME_SAMPLES];
        for (short[] f : frames) {
            tone.next(f);
        }
        return frames;
    }

    @Test
    void announcement_playsTheChime_thenSilence_thenOneSecondOf1kHz() {
        short[][] f = frames(120); // 2.4 s: one whole cycle
        assertThat(Goertzel.energyRatio(f[5], 500, 8000)).isGreaterThan(0.95);   // 0-200 ms
        assertThat(Goertzel.energyRatio(f[15], 750, 8000)).isGreaterThan(0.95);  // 200-400 ms
        assertThat(Goertzel.energyRatio(f[25], 1000, 8000)).isGreaterThan(0.95); // 400-600 ms
        assertThat(f[35]).containsOnly((short) 0);                              // 600-900 ms
        for (int i = 46; i < 94; i++) {                                          // 900-1900 ms
            assertThat(Goertzel.energyRatio(f[i], 1000, 8000)).as("frame " + i).isGreaterThan(0.99);
        }
        assertThat(f[100]).containsOnly((short) 0);                             // 1900-2400 ms
        assertThat(Goertzel.energyRatio(frames(126)[125], 500, 8000)).isGreaterThan(0.95); // and again
    }

    @Test
    void toneFrames_surviveG711_andStayBelowClipping() {
        short[] frame = frames(60)[50];
        short[] ulaw = new short[frame.length];
        short[] alaw = new short[frame.length];
        int peak = 0;
        for (int i = 0; i < frame.length; i++) {
            ulaw[i] = G711.ulawToLinear(G711.linearToUlaw(frame[i]));
            alaw[i] = G711.alawToLinear(G711.linearToAlaw(frame[i]));
            peak = Math.max(peak, Math.abs(frame[i]));
        }
        assertThat(peak).isBetween(7000, 8001);
        assertThat(Goertzel.energyRatio(ulaw, 1000, 8000)).isGreaterThan(0.99);
        assertThat(Goertzel.energyRatio(alaw, 1000, 8000)).isGreaterThan(0.99);
    }

    @Test
    void ringback_is440And480Hz_twoSecondsOn_fourSecondsOff() {
        TonePattern tone = new TonePattern(TonePattern.RINGBACK_US);
        short[] block = new short[800]; // 100 ms: 10 Hz bins, both tones on a bin
        double[] inTone = new double[60];
        for (int i = 0; i < 60; i++) {
            short[] frame = new short[TonePattern.FRAME_SAMPLES];
            for (int f = 0; f < 5; f++) {
                tone.next(frame);
                System.arraycopy(frame, 0, block, f * frame.length, frame.length);
            }
            inTone[i] = Goertzel.energyRatio(block, 440, 8000) + Goertzel.energyRatio(block, 480, 8000);
        }
        for (int i = 1; i < 19; i++) {
            assertThat(inTone[i]).as("block " + i).isGreaterThan(0.9); // 0-2 s
        }
        for (int i = 21; i < 59; i++) {
            assertThat(inTone[i]).as("block " + i).isZero(); // 2-6 s: silence
        }
    }
}
