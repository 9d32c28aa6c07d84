package org.opendialer.media.quality;

/**
 * One leg's quality over a call (docs/call-quality.md, "The call log"): how many 5 s samples, the
 * lowest and average MOS, average and highest packet loss (%) and jitter (ms), average round trip
 * (ms); {@code Double.NaN} where a figure was never known.
 */
public record LegSummary(int samples, double mosMin, double mosAvg, double packetLossAvgPct, double packetLossMaxPct,
                         double jitterAvgMs, double jitterMaxMs, double rttAvgMs) {
}
