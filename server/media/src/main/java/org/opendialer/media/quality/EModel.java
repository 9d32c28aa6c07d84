package org.opendialer.media.quality;

/**
 * MOS from the ITU-T G.107 E-model simplified for G.711 (docs/call-quality.md has the formula and
 * its sources): R = 93.2 − Id − Ie,eff with Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3),
 * Ie,eff = 95·Ppl / (Ppl + 25.1), d = rtt/2 + 2·jitter + 20 ms. The dialer's e-model.ts is the same
 * formula; both are tested against the same values.
 */
public final class EModel {
    private static final double R0_MINUS_IS = 93.2;
    private static final double G711_BPL = 25.1;
    private static final double PACKET_MS = 20;

    private EModel() {
    }

    public static double rFactor(double lossPct, double jitterMs, double rttMs) {
        double d = rttMs / 2 + 2 * jitterMs + PACKET_MS;
        double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
        double ppl = Math.min(100, Math.max(0, lossPct));
        double ieEff = 95 * ppl / (ppl + G711_BPL);
        return R0_MINUS_IS - id - ieEff;
    }

    public static double mosFromR(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    /** MOS rounded to two decimals. */
    public static double mos(double lossPct, double jitterMs, double rttMs) {
        return Math.round(mosFromR(rFactor(lossPct, jitterMs, rttMs)) * 100) / 100.0;
    }
}
