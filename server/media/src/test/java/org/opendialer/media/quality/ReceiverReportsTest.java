package org.opendialer.media.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendialer.media.rtp.RtcpPacket;

class ReceiverReportsTest {

    @Test
    void blocks_ofAnRrWrittenByRtcpPacket_areReadBack() {
        RtcpPacket.ReportBlock block = new RtcpPacket.ReportBlock(0x1234, 26, -3, 70_000, 160, 0xABCD1234L, 6554);
        byte[] rr = RtcpPacket.report(0x99, false, 0, 0, 0, 0, block, "far@end");
        assertEquals(List.of(block), ReceiverReports.blocks(rr, 0, rr.length));
        byte[] sr = RtcpPacket.report(0x99, true, 1_700_000_000_000L, 1, 2, 3, block, "far@end");
        assertEquals(List.of(block), ReceiverReports.blocks(sr, 0, sr.length));
    }

    @Test
    void blocks_ofATruncatedOrEmptyCompound_areNoneAndNoException() {
        byte[] rr = RtcpPacket.report(0x99, false, 0, 0, 0, 0, new RtcpPacket.ReportBlock(1, 0, 0, 0, 0, 0, 0), "x");
        assertEquals(List.of(), ReceiverReports.blocks(rr, 0, 20));
        assertEquals(List.of(), ReceiverReports.blocks(new byte[0], 0, 0));
        byte[] noBlock = RtcpPacket.report(0x99, false, 0, 0, 0, 0, null, "x");
        assertEquals(List.of(), ReceiverReports.blocks(noBlock, 0, noBlock.length));
    }

    @Test
    void quality_convertsFractionLostJitterAndLsrDlsrToPercentMsAndRtt() {
        long now = 1_700_000_000_500L;
        long lsr = ReceiverReports.ntpMiddle(now - 300); // our SR went out 300 ms ago
        long dlsr = 65536L / 10; // the far end held it 100 ms
        LegQuality q = ReceiverReports.quality(new RtcpPacket.ReportBlock(1, 26, 0, 0, 240, lsr, dlsr), now);
        assertEquals(10.2, q.packetLossPct(), 1e-9); // 26/256
        assertEquals(30.0, q.jitterMs(), 1e-9); // 240 / 8 kHz
        assertEquals(200.0, q.rttMs(), 0.2);
        assertTrue(q.mos() < 3.5, "10 % loss is below 3.5: " + q.mos());
    }

    @Test
    void quality_withoutLsr_hasNoRtt_andAForgedLsrInTheFutureIsIgnored() {
        long now = 1_700_000_000_000L;
        assertTrue(Double.isNaN(ReceiverReports.quality(new RtcpPacket.ReportBlock(1, 0, 0, 0, 0, 0, 0), now).rttMs()));
        long future = ReceiverReports.ntpMiddle(now + 5_000);
        assertTrue(Double.isNaN(ReceiverReports.quality(new RtcpPacket.ReportBlock(1, 0, 0, 0, 0, future, 0), now).rttMs()));
    }

    @Test
    void eModel_matchesTheDialersValues() {
        assertEquals(4.4, EModel.mos(0, 0, 0), 1e-9);
        assertTrue(EModel.mos(10, 5, 20) < 3.5);
        assertTrue(EModel.mos(2, 5, 20) > 3.9);
        assertEquals(0.024 * 50 + 0.11 * 50, EModel.rFactor(0, 0, 600) - EModel.rFactor(0, 0, 700), 1e-9);
        assertEquals(1.0, EModel.mos(100, 500, 2000), 1e-9);
    }
}
