package org.opendialer.media.relay;

import org.opendialer.media.quality.LegQuality;
import org.opendialer.media.quality.LegQualityAccumulator;
import org.opendialer.media.quality.QualitySummary;

/**
 * A session's quality samples since the answer: each side's figures and, per sample, the worse MOS of the
 * two (what the user heard). Written on the relay's timer thread, read by the engine at the call's end.
 */
final class CallQualityLog {
    private final LegQualityAccumulator a = new LegQualityAccumulator();
    private final LegQualityAccumulator b = new LegQualityAccumulator();
    private final LegQualityAccumulator worst = new LegQualityAccumulator();

    synchronized void add(LegQuality sideA, LegQuality sideB) {
        if (sideA != null) {
            a.add(sideA);
        }
        if (sideB != null) {
            b.add(sideB);
        }
        double mos = sideA == null ? mos(sideB) : sideB == null ? mos(sideA) : Math.min(sideA.mos(), sideB.mos());
        if (!Double.isNaN(mos)) {
            worst.add(new LegQuality(mos, Double.NaN, Double.NaN, Double.NaN));
        }
    }

    /** @param sipSideB whether side B is a SIP leg (else a browser: an extension call, no SIP leg) */
    synchronized QualitySummary summary(MediaSession.Side browserSide, boolean sipSideB) {
        LegQualityAccumulator browser = browserSide == MediaSession.Side.A ? a : b;
        var calls = worst.summary();
        return new QualitySummary(calls.samples(), calls.mosMin(), calls.mosAvg(), browser.summary(),
                sipSideB ? b.summary() : null);
    }

    private static double mos(LegQuality q) {
        return q == null ? Double.NaN : q.mos();
    }
}
