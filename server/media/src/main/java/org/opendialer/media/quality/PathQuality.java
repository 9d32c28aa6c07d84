package org.opendialer.media.quality;

import org.opendialer.media.rtp.RtcpPacket;

/**
 * One leg's figures from both directions of its path (docs/call-quality.md): what the relay measures
 * of the stream it receives (the report block of its own RTCP report, RFC 3550 §6.4.1) and what the
 * peer last reported about the stream it receives from the relay (its RR/SR report block, with the
 * round trip from LSR/DLSR). The worse of the two, figure by figure. A peer report older than
 * {@link #PEER_REPORT_FRESH_MS} no longer counts (a peer that stopped sending RTCP). Thread-safe: the
 * peer's report arrives on a receive thread, samples are taken on the relay's timer thread.
 */
public final class PathQuality {
    /** RTCP's 5 s interval randomised up to ×1.5 (RFC 3550 §6.3.1), with margin. */
    static final long PEER_REPORT_FRESH_MS = 12_000;

    private volatile LegQuality peer;
    private volatile long peerAtMillis;

    /** The peer's report block about the stream the relay sends it, received at {@code unixMillis}. */
    public void peerReported(RtcpPacket.ReportBlock block, long unixMillis) {
        peer = ReceiverReports.quality(block, unixMillis);
        peerAtMillis = unixMillis;
    }

    /**
     * This interval's figures: {@code ours} is the relay's report block about the stream it receives from
     * the peer (null when it received nothing yet). Null when neither direction has figures.
     */
    public LegQuality sample(RtcpPacket.ReportBlock ours, long unixMillis) {
        LegQuality received = ours == null ? null : ReceiverReports.quality(withoutRoundTrip(ours), unixMillis);
        LegQuality reported = unixMillis - peerAtMillis <= PEER_REPORT_FRESH_MS ? peer : null;
        if (received == null || reported == null) {
            return received != null ? received : reported;
        }
        return LegQuality.of(Math.max(received.packetLossPct(), reported.packetLossPct()),
                Math.max(received.jitterMs(), reported.jitterMs()), reported.rttMs());
    }

    private static RtcpPacket.ReportBlock withoutRoundTrip(RtcpPacket.ReportBlock b) {
        return new RtcpPacket.ReportBlock(b.ssrc(), b.fractionLost(), b.cumulativeLost(), b.highestSeq(), b.jitter(), 0, 0);
    }
}
