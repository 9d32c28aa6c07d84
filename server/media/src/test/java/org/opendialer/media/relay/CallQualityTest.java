package org.opendialer.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.quality.LegQuality;
import org.opendialer.media.quality.QualitySummary;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;

/** The SIP leg's figures told to the engine every report interval, and the call's summary at its end. */
class CallQualityTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final List<LegQuality> told = new CopyOnWriteArrayList<>();
    final MediaSession.Listener listener = new MediaSession.Listener() {
        @Override
        public void mediaTimedOut(Side side) {
        }

        @Override
        public void sipLegQuality(LegQuality quality) {
            told.add(quality);
        }
    };
    MediaRelay relay;
    SipPeer peer;

    @AfterEach
    void tearDown() {
        if (peer != null) {
            peer.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    MediaSession session() throws IOException {
        relay = MediaRelay.open(new RelaySettings(LOOPBACK, 0, "127.0.0.1", 35000, 35999, Duration.ofSeconds(30)),
                Duration.ofMillis(200));
        MediaSession session = relay.newSession(listener);
        peer = new SipPeer();
        peer.relayAt(session.openRtp());
        session.rtpRemote(peer.address(), Codec.PCMU, 0, 101);
        return session;
    }

    /** RTP from the SIP peer with every tenth sequence number missing, one packet per millisecond or so. */
    void sendWithTenPercentLoss(int packets) throws Exception {
        for (int seq = 1; seq <= packets; seq++) {
            if (seq % 10 != 0) {
                peer.send(0, seq, 160L * seq, 0x5EED, false, Rtp.payload(seq));
            }
            Thread.sleep(1);
        }
    }

    @Test
    void lossOnTheStreamFromTheSipSide_isToldAsTheSipLegsLossAndKeptInTheSummary() throws Exception {
        MediaSession session = session();
        session.answered();
        sendWithTenPercentLoss(600);
        // A whole interval (~180 packets) has 10 % lost; the first and last are partial and may differ.
        MediaRelayTest.waitFor("a sample with the loss", () -> told.stream().anyMatch(CallQualityTest::aboutTenPercent));
        LegQuality lossy = told.stream().filter(CallQualityTest::aboutTenPercent).findFirst().orElseThrow();
        assertThat(lossy.mos()).isLessThan(4.0);
        assertThat(session.sipLegQuality()).isNotNull();

        session.close();
        QualitySummary summary = session.qualitySummary(Side.A);
        assertThat(summary.sip()).isNotNull();
        assertThat(summary.sip().samples()).isGreaterThanOrEqualTo(1);
        assertThat(summary.sip().packetLossMaxPct()).isGreaterThanOrEqualTo(7.0);
        assertThat(summary.samples()).isEqualTo(summary.sip().samples());
        assertThat(summary.mosMin()).isEqualTo(summary.sip().mosMin()).isLessThan(4.0);
        assertThat(summary.mosAvg()).isBetween(summary.mosMin(), 4.5);
        assertThat(summary.browser().samples()).isZero(); // no browser leg in this session
        assertThat(summary.browser().mosMin()).isNaN();
    }

    /**
     * Waits for the relay's own figure of one report interval, then for a later interval's: the relay samples and
     * decides whether to tell the engine in one step on one timer thread, so once a second figure exists the first
     * interval's decision has been made. A check of {@code told} after it cannot run before that decision (no sleep).
     */
    static void awaitTwoReportIntervals(MediaSession session) throws InterruptedException {
        MediaRelayTest.waitFor("the relay's own figure", () -> session.sipLegQuality() != null);
        LegQuality first = session.sipLegQuality();
        MediaRelayTest.waitFor("a later interval's figure", () -> session.sipLegQuality() != first);
    }

    static boolean aboutTenPercent(LegQuality q) {
        return q.packetLossPct() >= 7 && q.packetLossPct() <= 14;
    }

    @Test
    void beforeTheAnswer_nothingIsToldOrKept() throws Exception {
        MediaSession session = session();
        sendWithTenPercentLoss(300);
        awaitTwoReportIntervals(session);
        assertThat(told).isEmpty();
        assertThat(session.qualitySummary(Side.A)).isNull();
    }

    @Test
    void onHold_nothingIsToldOrKept() throws Exception {
        MediaSession session = session();
        session.answered();
        session.hold(true);
        sendWithTenPercentLoss(300);
        awaitTwoReportIntervals(session);
        assertThat(told).isEmpty();
        assertThat(session.qualitySummary(Side.A).samples()).isZero();
        assertThat(session.qualitySummary(Side.A).mosMin()).isNaN();
    }
}
