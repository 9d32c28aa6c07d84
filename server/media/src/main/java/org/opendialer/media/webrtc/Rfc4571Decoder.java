package org.opendialer.media.webrtc;

/**
 * Splits a TCP byte stream into the packets it carries, each framed by a 2-byte big-endian length
 * (RFC 4571 §2, as ICE-TCP uses it: RFC 6544 §3). Reads may end anywhere: inside the length,
 * inside a packet, or after several packets; whole packets are handed on without a copy when one
 * read holds them, else gathered in one buffer. A length above the limit means the stream is not
 * ours (or corrupt): framing cannot be recovered, so the caller closes the connection.
 */
final class Rfc4571Decoder {
    interface FrameSink {
        /** One packet; {@code buf} is only valid during the call. */
        void onFrame(byte[] buf, int off, int len);
    }

    private final int maxFrame;
    private final byte[] partial;
    private int headerBytes;   // 0, 1 or 2 bytes of the current length read
    private int frameLength;   // valid when headerBytes == 2
    private int filled;        // bytes of the current packet gathered in partial
    private boolean failed;

    /** @param maxFrame the largest packet accepted (1..65535) */
    Rfc4571Decoder(int maxFrame) {
        if (maxFrame < 1 || maxFrame > 65535) {
            throw new IllegalArgumentException("maxFrame must be 1..65535");
        }
        this.maxFrame = maxFrame;
        this.partial = new byte[maxFrame];
    }

    /**
     * Consumes {@code len} bytes of the stream.
     *
     * @return false when a packet length is above the limit: the stream is unusable from here on
     *         (also on every later call); empty packets are skipped
     */
    boolean feed(byte[] data, int off, int len, FrameSink sink) {
        int end = off + len;
        int i = off;
        while (i < end && !failed) {
            if (headerBytes < 2) {
                frameLength = (frameLength << 8) | (data[i++] & 0xFF);
                if (++headerBytes < 2) {
                    continue;
                }
                if (frameLength > maxFrame) {
                    failed = true;
                    return false;
                }
                if (frameLength == 0) {
                    nextFrame(); // carries nothing: skipped
                }
                continue;
            }
            int need = frameLength - filled;
            int available = end - i;
            if (filled == 0 && available >= need) {
                sink.onFrame(data, i, need); // the whole packet in this read: no copy
                i += need;
                nextFrame();
            } else {
                int n = Math.min(need, available);
                System.arraycopy(data, i, partial, filled, n);
                filled += n;
                i += n;
                if (filled == frameLength) {
                    sink.onFrame(partial, 0, frameLength);
                    nextFrame();
                }
            }
        }
        return !failed;
    }

    private void nextFrame() {
        headerBytes = 0;
        frameLength = 0;
        filled = 0;
    }

    /** Writes the 2-byte length of a {@code len}-byte packet at {@code out[off]}. */
    static void header(byte[] out, int off, int len) {
        if (len < 1 || len > 65535) {
            throw new IllegalArgumentException("an RFC 4571 frame holds 1..65535 bytes, not " + len);
        }
        out[off] = (byte) (len >>> 8);
        out[off + 1] = (byte) len;
    }
}
