package org.opendialer.media.tone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendialer.testkit.Goertzel;

/**
 * Each country's ringback (DIALER_RINGBACK) as generated: its on and off times, measured from the samples over two
 * cycles, and the frequencies of its tone, measured with a Goertzel filter in the middle of each burst. The
 * expected figures are written out here, not read from the patterns.
 */
class RingbackCadenceTest {
    static Stream<Arguments> ringbacks() {
        return Stream.of(
                Arguments.of("us", TonePattern.RINGBACK_US, List.of(2000, -4000), new int[] {440, 480}),
                Arguments.of("uk", TonePattern.RINGBACK_UK, List.of(400, -200, 400, -2000), new int[] {400, 450}),
                Arguments.of("eu", TonePattern.RINGBACK_EU, List.of(1000, -4000), new int[] {425}),
                Arguments.of("fr", TonePattern.RINGBACK_FR, List.of(1500, -3500), new int[] {440}),
                Arguments.of("jp", TonePattern.RINGBACK_JP, List.of(1000, -2000), new int[] {392, 408}),
                Arguments.of("au", TonePattern.RINGBACK_AU, List.of(400, -200, 400, -2000), new int[] {413, 438}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ringbacks")
    void ringback_hasItsCountrysCadenceAndFrequencies(String name, List<TonePattern.Segment> pattern,
            List<Integer> cadenceMs, int[] hz) {
        int cycleMs = cadenceMs.stream().mapToInt(Math::abs).sum();
        short[][] frames = frames(pattern, 2 * cycleMs / 20);

        // Runs of sounding and silent 20 ms frames: on (+ms) and off (-ms), twice the cadence.
        List<Integer> runs = new ArrayList<>();
        for (short[] f : frames) {
            int ms = sounds(f) ? 20 : -20;
            int last = runs.size() - 1;
            if (last >= 0 && Integer.signum(runs.get(last)) == Integer.signum(ms)) {
                runs.set(last, runs.get(last) + ms);
            } else {
                runs.add(ms);
            }
        }
        List<Integer> twice = new ArrayList<>(cadenceMs);
        twice.addAll(cadenceMs);
        assertThat(runs).as("on (+) and off (-) times, ms").isEqualTo(twice);

        // The middle 200 ms of each burst (5 Hz resolution: 400 and 425 Hz, 392 and 408 Hz apart).
        int at = 0;
        for (int ms : cadenceMs) {
            if (ms > 0) {
                short[] middle = join(frames, (at + ms / 2) / 20 - 5, 10);
                double total = 0;
                for (int f : hz) {
                    double share = Goertzel.energyRatio(middle, f, TonePattern.SAMPLE_RATE);
                    assertThat(share).as(name + " " + f + " Hz at " + at + " ms").isGreaterThan(0.9 / hz.length - 0.1);
                    total += share;
                }
                assertThat(total).as(name + ": the energy at " + java.util.Arrays.toString(hz) + " Hz").isGreaterThan(0.9);
            }
            at += Math.abs(ms);
        }
    }

    private static short[][] frames(List<TonePattern.Segment> pattern, int count) {
        TonePattern tone = new TonePattern(pattern);
        short[][] frames = new short[count][TonePattern.FRAME_SAMPLES];
        for (short[] f : frames) {
            tone.next(f);
        }
        return frames;
    }

    private static boolean sounds(short[] frame) {
        for (short s : frame) {
            if (s != 0) {
                return true;
            }
        }
        return false;
    }

    private static short[] join(short[][] frames, int first, int count) {
        short[] out = new short[count * TonePattern.FRAME_SAMPLES];
        for (int i = 0; i < count; i++) {
            System.arraycopy(frames[first + i], 0, out, i * TonePattern.FRAME_SAMPLES, TonePattern.FRAME_SAMPLES);
        }
        return out;
    }
}
