package org.opendialer.media.srtp;

/** Per-SSRC cryptographic state (RFC 3711 §3.2.1): rollover counter, highest sequence, replay lists. */
final class SsrcState {
    boolean started;
    long roc;
    int highestSeq;
    final ReplayWindow rtpWindow = new ReplayWindow();
    final ReplayWindow rtcpWindow = new ReplayWindow();
    int nextRtcpIndex;

    /**
     * The guessed rollover counter v for a sequence number (§3.3.1), or -1 when the packet
     * would belong before the first one seen (ROC - 1 with ROC = 0).
     */
    long guessRoc(int seq) {
        if (!started) {
            return 0;
        }
        if (highestSeq < 0x8000) {
            return seq - highestSeq > 0x8000 ? roc - 1 : roc;
        }
        return highestSeq - 0x8000 > seq ? roc + 1 : roc;
    }

    /** Records an accepted packet's (v, SEQ): the highest index moves forward only (§3.3.1). */
    void advance(long v, int seq) {
        if (!started) {
            started = true;
            roc = v;
            highestSeq = seq;
        } else if (v > roc) {
            roc = v;
            highestSeq = seq;
        } else if (v == roc && seq > highestSeq) {
            highestSeq = seq;
        }
    }
}
