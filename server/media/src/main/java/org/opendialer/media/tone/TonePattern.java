package org.opendialer.media.tone;

import java.util.List;

/**
 * A repeating sequence of tones (one sine, or two summed) and silences at 8 kHz, generated 20 ms (160
 * samples) at a time with a continuous phase, so frames join without clicks. The sandbox carrier's
 * announcement and the gateway's ringback during a blind transfer (decision 0022) both use it.
 */
public final class TonePattern {
    public static final int SAMPLE_RATE = 8000;
    public static final int FRAME_SAMPLES = 160;
    /** About -12 dBFS: loud enough to hear, far from clipping after G.711. */
    static final double AMPLITUDE = 8000;
    /** Fade in and out over 2 ms at each tone's edges. */
    private static final int RAMP_SAMPLES = 16;

    /** One tone ({@code hz > 0}, plus {@code hz2} when it is not 0), or silence ({@code hz == 0}). */
    public record Segment(int hz, int hz2, int millis) {
        public Segment(int hz, int millis) {
            this(hz, 0, millis);
        }
    }

    /**
     * The tone number's "announcement": a rising three-note chime (500, 750, 1000 Hz), a pause, then one
     * second of 1 kHz (the classic test-line tone), a pause, and again. Tones are multiples of 50 Hz, so
     * each fills whole cycles of a 20 ms frame.
     */
    public static final List<Segment> ANNOUNCEMENT = List.of(new Segment(500, 200), new Segment(750, 200),
            new Segment(1000, 200), new Segment(0, 300), new Segment(1000, 1000), new Segment(0, 500));

    /**
     * North American ringback (ANSI T1.401, ITU-T E.180 supplement): 440 + 480 Hz, 2 s on, 4 s off, each
     * at half the amplitude so the sum peaks where a single tone does.
     */
    public static final List<Segment> RINGBACK_US = List.of(new Segment(440, 480, 2000), new Segment(0, 4000));

    /** UK ringback (BT, BS 6305): 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off. */
    public static final List<Segment> RINGBACK_UK = List.of(new Segment(400, 450, 400), new Segment(0, 200),
            new Segment(400, 450, 400), new Segment(0, 2000));

    /** The European ringback (ETSI TR 101 041, CEPT): 425 Hz, 1 s on, 4 s off. */
    public static final List<Segment> RINGBACK_EU = List.of(new Segment(425, 1000), new Segment(0, 4000));

    /** French ringback: 440 Hz, 1.5 s on, 3.5 s off. */
    public static final List<Segment> RINGBACK_FR = List.of(new Segment(440, 1500), new Segment(0, 3500));

    /**
     * Japanese ringback: 400 Hz modulated at 16 Hz, 1 s on, 2 s off. Made of the two tones 8 Hz either side of
     * 400 Hz, whose sum is a 400 Hz tone whose loudness swells and fades 16 times a second (suppressed-carrier
     * modulation: two summed sines are what a {@link Segment} holds; the swell is the same).
     */
    public static final List<Segment> RINGBACK_JP = List.of(new Segment(392, 408, 1000), new Segment(0, 2000));

    /**
     * Australian ringback: 425 Hz modulated by 25 Hz, made as 413 + 438 Hz (two sines 25 Hz apart beat at 25 Hz;
     * the figures of Asterisk's indications table for au), 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
     */
    public static final List<Segment> RINGBACK_AU = List.of(new Segment(413, 438, 400), new Segment(0, 200),
            new Segment(413, 438, 400), new Segment(0, 2000));

    private final List<Segment> segments;
    private int segment;
    private int sampleInSegment;
    private double phase;
    private double phase2;

    public TonePattern(List<Segment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("empty tone pattern");
        }
        this.segments = List.copyOf(segments);
    }

    /** Fills {@code out} with the next {@code out.length} samples. */
    public void next(short[] out) {
        for (int i = 0; i < out.length; i++) {
            Segment s = segments.get(segment);
            int length = s.millis() * SAMPLE_RATE / 1000;
            if (s.hz() == 0) {
                out[i] = 0;
                phase = 0;
                phase2 = 0;
            } else {
                int edge = Math.min(sampleInSegment, length - 1 - sampleInSegment);
                double gain = edge >= RAMP_SAMPLES ? 1.0 : (edge + 1) / (double) (RAMP_SAMPLES + 1);
                double wave = s.hz2() == 0 ? Math.sin(phase) : (Math.sin(phase) + Math.sin(phase2)) / 2;
                out[i] = (short) Math.round(AMPLITUDE * gain * wave);
                phase = advance(phase, s.hz());
                phase2 = advance(phase2, s.hz2());
            }
            if (++sampleInSegment >= length) {
                sampleInSegment = 0;
                segment = (segment + 1) % segments.size();
            }
        }
    }

    private static double advance(double phase, int hz) {
        double next = phase + 2 * Math.PI * hz / SAMPLE_RATE;
        return next > 2 * Math.PI ? next - 2 * Math.PI : next;
    }
}
