package org.opendialer.media.quality;

/**
 * One call leg's figures as a plain value (docs/call-quality.md): MOS (1–4.5, G.107 E-model for
 * G.711), packet loss in percent, jitter and round-trip time in ms; {@code Double.NaN} where a figure
 * is not known.
 */
public record LegQuality(double mos, double packetLossPct, double jitterMs, double rttMs) {

    /** The figures with the MOS the E-model gives them (an unknown RTT counts as 0). */
    public static LegQuality of(double packetLossPct, double jitterMs, double rttMs) {
        return new LegQuality(EModel.mos(packetLossPct, jitterMs, Double.isNaN(rttMs) ? 0 : rttMs), packetLossPct, jitterMs, rttMs);
    }
}
