package org.opendialer.media.relay;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.opendialer.media.g711.G711;
import org.opendialer.media.rtp.RtpPacket;
import org.opendialer.media.tone.TonePattern;

/**
 * A tone one session sends toward one side ({@link MediaSession#playTone}): a 20 ms frame every 20 ms on the
 * relay's timer thread, encoded in G.711 just before it leaves (the law the receiving leg negotiated).
 */
final class TonePlayer {
    private static final long FRAME_MILLIS = 20;

    private final MediaSession session;
    private final MediaSession.Side side;
    private final MediaSession.Codec law;
    private final TonePattern pattern;
    private final short[] samples = new short[TonePattern.FRAME_SAMPLES];
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private int sequence = ThreadLocalRandom.current().nextInt(0x10000);
    private long timestamp = ThreadLocalRandom.current().nextLong(0x100000000L);
    private volatile ScheduledFuture<?> task;

    TonePlayer(MediaSession session, MediaSession.Side side, MediaSession.Codec law, List<TonePattern.Segment> pattern) {
        this.session = session;
        this.side = side;
        this.law = law;
        this.pattern = new TonePattern(pattern);
    }

    void start(MediaRelay relay) {
        task = relay.every(FRAME_MILLIS, this::frame);
    }

    void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void frame() {
        pattern.next(samples);
        byte[] packet = new byte[RtpPacket.FIXED_HEADER_LENGTH + samples.length];
        packet[0] = (byte) 0x80;
        RtpPacket.setSequenceNumber(packet, 0, sequence);
        RtpPacket.setTimestamp(packet, 0, timestamp);
        RtpPacket.setSsrc(packet, 0, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + samples.length) & 0xFFFFFFFFL;
        session.sendGenerated(side, law, packet, samples);
    }

    /** Fills the payload of {@code packet} with {@code samples} in {@code sent}'s law. */
    static void encode(byte[] packet, short[] samples, MediaSession.Codec sent) {
        for (int i = 0; i < samples.length; i++) {
            packet[RtpPacket.FIXED_HEADER_LENGTH + i] = sent == MediaSession.Codec.PCMA
                    ? G711.linearToAlaw(samples[i]) : G711.linearToUlaw(samples[i]);
        }
    }
}
