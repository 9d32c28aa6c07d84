package org.opendialer.testkit;

/**
 * How much of a block of samples' energy sits at one frequency (the Goertzel algorithm): about 1.0 for a pure
 * tone at that frequency, about 0.5 for each of two equal tones, 0 for silence. The frequency need not fall on a
 * DFT bin of the block: the filter is tuned to {@code hz} itself, so a 425 Hz tone in a 20 ms block reads as one.
 * The tests that listen for tones in audio (tone patterns, ringback, the sandbox's announcements) share it.
 */
public final class Goertzel {
    private Goertzel() {
    }

    /** The share of {@code samples}' energy at {@code hz}, for samples taken {@code sampleRate} times a second. */
    public static double energyRatio(short[] samples, double hz, int sampleRate) {
        int n = samples.length;
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
        double s1 = 0;
        double s2 = 0;
        double total = 0;
        for (short x : samples) {
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            total += (double) x * x;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return total == 0 ? 0 : power / (total * n / 2);
    }
}
