package org.opendialer.media.relay;

import org.opendialer.media.rtp.RtcpPacket;

/**
 * What a receiver reports about one incoming stream (RFC 3550 Appendix A.1, A.3, A.8):
 * extended highest sequence number, losses and interarrival jitter. Restarts when the SSRC
 * changes. Not thread-safe: guarded by its direction's lock.
 */
final class ReceptionStats {
    private boolean started;
    private int ssrc;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private int transit;
    private long jitter16; // jitter × 16, as in A.8's integer form

    /**
     * @param arrival arrival time in RTP timestamp units (8 kHz)
     * @return packets skipped by this one's sequence number (0 in order, or for a new SSRC)
     */
    int update(int ssrc, int seq, long timestamp, long arrival) {
        int gap = 0;
        if (!started || ssrc != this.ssrc) {
            started = true;
            this.ssrc = ssrc;
            baseSeq = seq;
            maxSeq = seq;
            cycles = 0;
            received = 0;
            expectedPrior = 0;
            receivedPrior = 0;
            jitter16 = 0;
            transit = (int) (arrival - timestamp);
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta > 0 && delta < 0x8000) {
                gap = delta - 1;
                if (seq < maxSeq) {
                    cycles += 0x10000;
                }
                maxSeq = seq;
            }
            int t = (int) (arrival - timestamp);
            int d = Math.abs(t - transit);
            transit = t;
            jitter16 += d - ((jitter16 + 8) >> 4);
        }
        received++;
        return gap;
    }

    boolean started() {
        return started;
    }

    /** A report block, advancing the "since the last report" counters for fraction lost. */
    RtcpPacket.ReportBlock reportBlock(long lastSr, long delaySinceLastSr) {
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = expected - received;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        return new RtcpPacket.ReportBlock(ssrc, Math.min(fraction, 255), (int) Math.max(Math.min(lost, 0x7FFFFF), -0x800000),
                extendedMax & 0xFFFFFFFFL, jitter16 >> 4, lastSr, delaySinceLastSr);
    }
}
