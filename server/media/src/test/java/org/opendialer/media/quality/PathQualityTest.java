package org.opendialer.media.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opendialer.media.rtp.RtcpPacket.ReportBlock;

class PathQualityTest {
    static final long NOW = 1_760_000_000_000L;

    static ReportBlock block(int fraction, long jitterUnits) {
        return new ReportBlock(1, fraction, 0, 100, jitterUnits, 0, 0);
    }

    @Test
    void withoutAnyReport_thereIsNoFigure() {
        assertThat(new PathQuality().sample(null, NOW)).isNull();
    }

    @Test
    void theRelaysOwnReception_alone() {
        LegQuality q = new PathQuality().sample(block(26, 80), NOW);
        assertThat(q.packetLossPct()).isEqualTo(10.2);
        assertThat(q.jitterMs()).isEqualTo(10.0);
        assertThat(q.rttMs()).isNaN();
    }

    @Test
    void bothDirections_takeTheWorseFigureAndThePeersRoundTrip() {
        PathQuality path = new PathQuality();
        long lsr = ReceiverReports.ntpMiddle(NOW - 100);
        path.peerReported(new ReportBlock(1, 5, 0, 100, 240, lsr, 0), NOW);
        LegQuality q = path.sample(block(26, 80), NOW + 10);
        assertThat(q.packetLossPct()).isEqualTo(10.2); // ours: 26/256
        assertThat(q.jitterMs()).isEqualTo(30.0);      // the peer's: 240/8
        assertThat(q.rttMs()).isBetween(99.0, 102.0);
        assertThat(q.mos()).isEqualTo(EModel.mos(10.2, 30.0, q.rttMs()));
    }

    @Test
    void aPeerReportOlderThanTwelveSeconds_noLongerCounts() {
        PathQuality path = new PathQuality();
        path.peerReported(block(128, 800), NOW);
        assertThat(path.sample(null, NOW + 12_000).packetLossPct()).isEqualTo(50.0);
        assertThat(path.sample(null, NOW + 12_001)).isNull();
        assertThat(path.sample(block(0, 0), NOW + 12_001).packetLossPct()).isZero();
    }

    @Test
    void theAccumulator_keepsMinimumMaximumAndMeansOfKnownValues() {
        LegQualityAccumulator acc = new LegQualityAccumulator();
        acc.add(new LegQuality(4.4, 0, 2, Double.NaN));
        acc.add(new LegQuality(3.4, 10, 8, 40));
        LegSummary s = acc.summary();
        assertThat(s.samples()).isEqualTo(2);
        assertThat(s.mosMin()).isEqualTo(3.4);
        assertThat(s.mosAvg()).isEqualTo(3.9);
        assertThat(s.packetLossAvgPct()).isEqualTo(5.0);
        assertThat(s.packetLossMaxPct()).isEqualTo(10.0);
        assertThat(s.jitterAvgMs()).isEqualTo(5.0);
        assertThat(s.jitterMaxMs()).isEqualTo(8.0);
        assertThat(s.rttAvgMs()).isEqualTo(40.0);
        assertThat(new LegQualityAccumulator().summary().mosAvg()).isNaN();
    }
}
