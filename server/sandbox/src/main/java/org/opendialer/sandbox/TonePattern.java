package org.opendialer.sandbox;

import java.util.List;

/**
 * A repeating sequence of sine tones and silences at 8 kHz, generated 20 ms (160 samples) at a time with
 * a continuous phase, so frames join without clicks.
 */
final class TonePattern {
    static final int SAMPLE_RATE = 8000;
    static final int FRAME_SAMPLES = 160;
    /** About -12 dBFS: loud enough to hear, far from clipping after G.711. */
    static final double AMPLITUDE = 8000;
    /** Fade in and out over 2 ms at each tone's edges. */
    private static final int RAMP_SAMPLES = 16;

    /** One tone ({@code hz > 0}) or silence ({@code hz == 0}). */
    record Segment(int hz, int millis) {
    }

    /**
     * The tone number's "announcement": a rising three-note chime (500, 750, 1000 Hz), a pause, then one
     * second of 1 kHz (the classic test-line tone), a pause, and again. Tones are multiples of 50 Hz, so
     * each fills whole cycles of a 20 ms frame.
     */
    static final List<Segment> ANNOUNCEMENT = List.of(new Segment(500, 200), new Segment(750, 200),
            new Segment(1000, 200), new Segment(0, 300), new Segment(1000, 1000), new Segment(0, 500));

    private final List<Segment> segments;
    private int segment;
    private int sampleInSegment;
    private double phase;

    TonePattern(List<Segment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty tone pattern");
        }
        this.segments = List.copyOf(segments);
    }

    /** Fills {@code out} with the next {@code out.length} samples. */
    void next(short[] out) {
        for (int i = 0; i < out.length; i++) {
            Segment s = segments.get(segment);
            int length = s.millis() * SAMPLE_RATE / 1000;
            if (s.hz() == 0) {
                out[i] = 0;
                phase = 0;
            } else {
                int edge = Math.min(sampleInSegment, length - 1 - sampleInSegment);
                double gain = edge >= RAMP_SAMPLES ? 1.0 : (edge + 1) / (double) (RAMP_SAMPLES + 1);
                out[i] = (short) Math.round(AMPLITUDE * gain * Math.sin(phase));
                phase += 2 * Math.PI * s.hz() / SAMPLE_RATE;
                if (phase > 2 * Math.PI) {
                    phase -= 2 * Math.PI;
                }
            }
            if (++sampleInSegment >= length) {
                sampleInSegment = 0;
                segment = (segment + 1) % segments.size();
            }
        }
    }
}
