package org.opendialer.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import org.opendialer.media.g711.G711;
import org.opendialer.media.rtp.RtpPacket;
import org.opendialer.media.tone.TonePattern;

/**
 * The RTP side of one answered sandbox call: plain RTP (RFC 3550) on one non-blocking UDP socket, sent to
 * the address in the far end's SDP. Either reflects what arrives ({@link Mode#ECHO}) or plays a
 * {@link TonePattern} in 20 ms G.711 packets ({@link Mode#TONE}). Driven by the {@link MediaPump}'s one
 * thread; only {@link #retarget} and {@link #close} come from others.
 */
final class RtpSession {
    enum Mode { ECHO, TONE }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PCMA = 8;
    /** At most this many packets are reflected per pump tick, so one flooded call cannot stall the rest. */
    private static final int MAX_ECHO_PER_TICK = 32;

    private final DatagramChannel channel;
    private final Mode mode;
    private final int payloadType;
    private final int ssrc = RANDOM.nextInt();
    private final TonePattern tone;
    private final short[] samples = new short[TonePattern.FRAME_SAMPLES];
    private final ByteBuffer frame = ByteBuffer.allocate(RtpPacket.FIXED_HEADER_LENGTH + TonePattern.FRAME_SAMPLES);
    private volatile InetSocketAddress remote;
    private volatile boolean sending;
    private int sequence = RANDOM.nextInt(1 << 16);
    private long timestamp = RANDOM.nextInt() & 0xFFFFFFFFL;
    private boolean firstFrame = true;
    private long packetsIn;
    private long packetsOut;

    /**
     * @param payloadType the G.711 payload type agreed in SDP: 0 (PCMU) or 8 (PCMA)
     * @param sending     false when the far end's SDP says it does not want media (sendonly, inactive)
     */
    RtpSession(DatagramChannel channel, Mode mode, int payloadType, InetSocketAddress remote, boolean sending)
            throws IOException {
        this.channel = channel;
        this.mode = mode;
        this.payloadType = payloadType;
        this.remote = remote;
        this.sending = sending;
        this.tone = mode == Mode.TONE ? new TonePattern(TonePattern.ANNOUNCEMENT) : null;
        channel.configureBlocking(false);
    }

    Mode mode() {
        return mode;
    }

    int localPort() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** The far end moved (re-INVITE) or put us on hold. */
    void retarget(InetSocketAddress newRemote, boolean mayWeSend) {
        remote = newRemote;
        sending = mayWeSend;
    }

    /** Reflects what has arrived since the last tick, with our SSRC; sequence numbers and timestamps stay. */
    void echo(ByteBuffer buffer) throws IOException {
        for (int i = 0; i < MAX_ECHO_PER_TICK; i++) {
            buffer.clear();
            SocketAddress from = channel.receive(buffer);
            if (from == null) {
                return;
            }
            buffer.flip();
            byte[] b = buffer.array();
            int length = buffer.limit();
            if (RtpPacket.headerLength(b, 0, length) < 0 || isRtcp(b)) {
                continue; // not RTP, or RTCP sent without rtcp-mux to the RTP port: nothing to echo
            }
            packetsIn++;
            if (sending) {
                RtpPacket.setSsrc(b, 0, ssrc);
                channel.send(buffer, remote);
                packetsOut++;
            }
        }
    }

    /** Sends the next 20 ms of the tone pattern; drains and ignores what the far end sends. */
    void sendToneFrame(ByteBuffer scratch) throws IOException {
        scratch.clear();
        while (channel.receive(scratch) != null) {
            packetsIn++;
            scratch.clear();
        }
        tone.next(samples);
        byte[] b = frame.array();
        b[0] = (byte) 0x80;
        b[1] = (byte) payloadType;
        RtpPacket.setMarker(b, 0, firstFrame); // the start of a talkspurt, RFC 3551 4.1
        RtpPacket.setSequenceNumber(b, 0, sequence);
        RtpPacket.setTimestamp(b, 0, timestamp);
        RtpPacket.setSsrc(b, 0, ssrc);
        for (int i = 0; i < samples.length; i++) {
            b[RtpPacket.FIXED_HEADER_LENGTH + i] = payloadType == PCMA
                    ? G711.linearToAlaw(samples[i]) : G711.linearToUlaw(samples[i]);
        }
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + TonePattern.FRAME_SAMPLES) & 0xFFFFFFFFL;
        if (sending) {
            frame.clear();
            channel.send(frame, remote);
            packetsOut++;
            firstFrame = false;
        }
    }

    String stats() {
        return packetsIn + " RTP packets in, " + packetsOut + " out";
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            SandboxLog.debug("RTP socket not closed: " + e);
        }
    }

    /** RTCP packet types 200-204 (RFC 3550 12.1) read as RTP: marker bit set and payload type 72-76. */
    private static boolean isRtcp(byte[] b) {
        int type = b[1] & 0xFF;
        return type >= 200 && type <= 204;
    }
}
