package org.opendialer.media.rtp;

/**
 * Maps the RTP packets of a relayed stream into one outgoing SSRC, sequence and timestamp
 * space (and payload type numbering), so the receiver sees a single continuous stream even when the source changes
 * (a new SSRC after a re-INVITE, or the relay switching legs). Within one source the offsets
 * are constant, so gaps, reordering and DTMF events (RFC 4733: several packets sharing one
 * timestamp) pass through unchanged. On a switch the new source is anchored one packet after
 * the last one sent and the marker bit is set, as at the start of a talkspurt (RFC 3551 §4.1),
 * so jitter buffers resynchronise instead of waiting. Not thread-safe.
 */
public final class RtpRewriter {
    private static final long DEFAULT_TIMESTAMP_STEP = 160; // 20 ms at 8 kHz

    private final int outputSsrc;
    private boolean started;
    private boolean reanchor;
    private int sourceSsrc;
    private int seqDelta;
    private long tsDelta;
    private int lastSeq;        // highest output sequence sent
    private long lastTs;        // output timestamp of that packet
    private long tsStep = DEFAULT_TIMESTAMP_STEP;
    private final byte[] payloadTypes = new byte[128];

    public RtpRewriter(int outputSsrc) {
        this.outputSsrc = outputSsrc;
        for (int pt = 0; pt < 128; pt++) {
            payloadTypes[pt] = (byte) pt;
        }
    }

    /**
     * Renumbers a dynamic payload type on the way through: the browser may offer
     * telephone-event as 126 while the trunk uses 101 (RFC 4733 §7.1.1 leaves the number to SDP).
     */
    public RtpRewriter mapPayloadType(int from, int to) {
        if (from < 0 || from > 127 || to < 0 || to > 127) {
            throw new IllegalArgumentException("payload types are 7 bits");
        }
        payloadTypes[from] = (byte) to;
        return this;
    }

    public int outputSsrc() {
        return outputSsrc;
    }

    /** Forces the next packet to start a new mapping even if its SSRC is unchanged. */
    public void sourceChanged() {
        reanchor = true;
    }

    /**
     * Rewrites SSRC, sequence number and timestamp of one RTP packet in place.
     *
     * @return false, leaving the packet untouched, when it is not RTP
     */
    public boolean rewrite(byte[] b, int off, int len) {
        if (RtpPacket.headerLength(b, off, len) < 0) {
            return false;
        }
        int ssrc = RtpPacket.ssrc(b, off);
        int seq = RtpPacket.sequenceNumber(b, off);
        long ts = RtpPacket.timestamp(b, off);
        if (!started) {
            started = true;
            sourceSsrc = ssrc;
            seqDelta = 0;
            tsDelta = 0;
            lastSeq = seq;
            lastTs = ts;
        } else if (ssrc != sourceSsrc || reanchor) {
            sourceSsrc = ssrc;
            seqDelta = (lastSeq + 1 - seq) & 0xFFFF;
            tsDelta = (lastTs + tsStep - ts) & 0xFFFFFFFFL;
            RtpPacket.setMarker(b, off, true);
        }
        reanchor = false;
        int outSeq = (seq + seqDelta) & 0xFFFF;
        long outTs = (ts + tsDelta) & 0xFFFFFFFFL;
        int ahead = (short) (outSeq - lastSeq); // signed distance modulo 2^16 (RFC 3550 A.1)
        if (ahead > 0) {
            long step = ((outTs - lastTs) & 0xFFFFFFFFL) / ahead;
            // Remember a plausible packet duration for the next switch; DTMF repeats have step 0.
            if (step > 0 && step <= 8000) {
                tsStep = step;
            }
            lastSeq = outSeq;
            lastTs = outTs;
        }
        b[off + 1] = (byte) ((b[off + 1] & 0x80) | payloadTypes[b[off + 1] & 0x7F]);
        RtpPacket.setSsrc(b, off, outputSsrc);
        RtpPacket.setSequenceNumber(b, off, outSeq);
        RtpPacket.setTimestamp(b, off, outTs);
        return true;
    }
}
