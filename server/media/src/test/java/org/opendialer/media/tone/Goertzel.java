package org.opendialer.media.tone;

/** How much of a block's energy sits at one frequency: 1.0 for a pure tone on an exact bin. */
final class Goertzel {
    private Goertzel() {
    }

    static double energyRatio(short[] samples, double hz, int sampleRate) {
        int n = samples.length;
        double k = Math.round(n * hz / sampleRate);
        double coefficient = 2 * Math.cos(2 * Math.PI * k / n);
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
