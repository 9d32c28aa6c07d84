package org.opendialer.media.quality;

/** Folds one leg's 5 s figures into a {@link LegSummary}. Not thread-safe: its owner guards it. */
public final class LegQualityAccumulator {
    private final Stat mos = new Stat();
    private final Stat loss = new Stat();
    private final Stat jitter = new Stat();
    private final Stat rtt = new Stat();
    private int samples;

    public void add(LegQuality q) {
        samples++;
        mos.add(q.mos());
        loss.add(q.packetLossPct());
        jitter.add(q.jitterMs());
        rtt.add(q.rttMs());
    }

    public LegSummary summary() {
        return new LegSummary(samples, mos.min, mos.avg(), loss.avg(), loss.max, jitter.avg(), jitter.max, rtt.avg());
    }

    /** Lowest, highest and mean of the known (not NaN) values. */
    static final class Stat {
        double min = Double.NaN;
        double max = Double.NaN;
        private double sum;
        private int count;

        void add(double v) {
            if (Double.isNaN(v)) {
                return;
            }
            min = count == 0 ? v : Math.min(min, v);
            max = count == 0 ? v : Math.max(max, v);
            sum += v;
            count++;
        }

        double avg() {
            return count == 0 ? Double.NaN : Math.round(sum / count * 100) / 100.0;
        }
    }
}
