package org.opendialer.loadgen;

/** Latencies in 1 µs buckets up to 200 ms, one writer thread; percentiles by nearest rank. */
final class Histogram {
    private static final int BUCKETS = 200_000;
    private final long[] counts = new long[BUCKETS + 1];
    private long total;

    void recordNanos(long nanos) {
        long us = Math.max(0, nanos / 1000);
        counts[(int) Math.min(us, BUCKETS)]++;
        total++;
    }

    long count() {
        return total;
    }

    /** The nearest-rank percentile in µs (bucket lower edge); 200000 means "≥ 200 ms"; -1 if empty. */
    long percentileMicros(double p) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return BUCKETS;
    }

    void add(Histogram other) {
        for (int i = 0; i <= BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }
}
