package org.opendialer.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.opendialer.media.rtp.RtpPacket;
import org.opendialer.media.srtp.SrtpException;
import org.opendialer.media.stun.StunException;
import org.opendialer.media.stun.StunMessage;
import org.opendialer.media.stun.StunMessageType;

/**
 * The media part of the load generator, three threads in all:
 * <ul>
 * <li>sender: every 1 ms, the calls of one of 20 slots send one 20 ms packet each way (so each call
 * sends every 20 ms and the load is spread evenly over the ptime, as independent phones would);
 * browser→relay packets are SRTP-protected, SIP→relay packets are plain RTP from one shared socket;
 * <li>browser receiver: one Selector over all simulated browsers' sockets, one datagram per ready
 * socket per round (level-triggered epoll reports the rest next round), SRTP unprotected, STUN
 * requests answered;
 * <li>SIP receiver: a blocking loop on the shared SIP socket (one socket, not one per call).
 * </ul>
 * The 160-byte payload carries the send time (System.nanoTime, read just before the payload is
 * written), the call id and the direction, so latency and loss need no per-packet state. A packet
 * counts when its send time falls in the window [windowStart, windowEnd).
 */
final class MediaEngine implements AutoCloseable {
    static final int PAYLOAD = 160;
    static final int SLOTS = 20;
    private static final long SLOT_NANOS = 1_000_000L;
    private static final long RESYNC_NANOS = 100_000_000L;
    private static final byte B2S = 1;
    private static final byte S2B = 2;

    private final boolean loop;
    private final DatagramChannel sip;
    private final Selector selector;
    private final SimCall[] byId;
    private final java.util.concurrent.ConcurrentHashMap<Integer, SimCall> bySsrc = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile SimCall[] active = new SimCall[0];
    private final ConcurrentLinkedQueue<SimCall> toRegister = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private final Thread sender;
    private final Thread browserReceiver;
    private final Thread sipReceiver;

    // counters: each written by one thread only, read after close()
    final long[] sentB2S;
    final long[] sentS2B;
    final long[] receivedB2S;
    final long[] receivedS2B;
    final Histogram latencyB2S = new Histogram();
    final Histogram latencyS2B = new Histogram();
    long lateSlots;
    long resyncs;
    long maxLateNanos;
    long srtpErrors;
    long unknownPackets;
    long stunAnswered;
    long sendErrors;
    long unsent;

    MediaEngine(int maxCalls, InetSocketAddress sipAddress, boolean loop) throws IOException {
        this.loop = loop;
        byId = new SimCall[maxCalls];
        sentB2S = new long[maxCalls];
        sentS2B = new long[maxCalls];
        receivedB2S = new long[maxCalls];
        receivedS2B = new long[maxCalls];
        sip = DatagramChannel.open();
        sip.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        sip.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        sip.bind(sipAddress);
        selector = Selector.open();
        sender = new Thread(this::sendLoop, "loadgen-send");
        browserReceiver = new Thread(this::browserLoop, "loadgen-browser-rx");
        sipReceiver = new Thread(this::sipLoop, "loadgen-sip-rx");
        sender.setPriority(Thread.MAX_PRIORITY);
        sender.start();
        browserReceiver.start();
        sipReceiver.start();
    }

    /** "calls with loss / calls with all lost" for one direction, for the log. */
    static String lossSpread(long[] sent, long[] received) {
        int some = 0;
        int all = 0;
        for (int i = 0; i < sent.length; i++) {
            if (sent[i] > 0 && received[i] < sent[i]) {
                some++;
                if (received[i] == 0) {
                    all++;
                }
            }
        }
        return some + "/" + all;
    }

    InetSocketAddress sipAddress() throws IOException {
        return (InetSocketAddress) sip.getLocalAddress();
    }

    /** Starts media for a call whose handshake is done (or, in the baseline, whose keys are made up). */
    synchronized void add(SimCall call) {
        byId[call.id] = call;
        bySsrc.put(call.browserSsrc, call);
        toRegister.add(call);
        selector.wakeup();
        SimCall[] next = Arrays.copyOf(active, active.length + 1);
        next[next.length - 1] = call;
        active = next;
    }

    void window(long startNanos, long endNanos) {
        windowEnd = endNanos;
        windowStart = startNanos;
    }

    private void sendLoop() {
        byte[] rtp = new byte[RtpPacket.FIXED_HEADER_LENGTH + PAYLOAD];
        Arrays.fill(rtp, RtpPacket.FIXED_HEADER_LENGTH, rtp.length, (byte) 0xFF); // PCMU silence
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        long next = System.nanoTime();
        int slot = 0;
        while (running) {
            SimCall[] calls = active;
            for (int i = slot; i < calls.length; i += SLOTS) {
                SimCall c = calls[i];
                try {
                    sendBrowser(c, rtp, out);
                    sendSip(c, rtp, out);
                } catch (IOException | SrtpException e) {
                    sendErrors++;
                }
            }
            slot = (slot + 1) % SLOTS;
            next += SLOT_NANOS;
            long now = System.nanoTime();
            long wait = next - now;
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                boolean inWindow = now >= windowStart && now < windowEnd;
                if (-wait > 2 * SLOT_NANOS && inWindow) {
                    lateSlots++;
                    maxLateNanos = Math.max(maxLateNanos, -wait);
                }
                if (-wait > RESYNC_NANOS) {
                    // starved for a long time (e.g. by handshakes during ramp-up): resume the schedule
                    // from now rather than bursting out everything that is overdue
                    next = now;
                    if (inWindow) {
                        resyncs++;
                    }
                }
            }
        }
    }

    private void header(byte[] rtp, int seq, long ts, int ssrc) {
        rtp[0] = (byte) 0x80;
        rtp[1] = 0; // PCMU
        RtpPacket.setSequenceNumber(rtp, 0, seq & 0xFFFF);
        RtpPacket.setTimestamp(rtp, 0, ts & 0xFFFFFFFFL);
        RtpPacket.setSsrc(rtp, 0, ssrc);
    }

    private static void stamp(byte[] rtp, long now, int id, byte dir) {
        int p = RtpPacket.FIXED_HEADER_LENGTH;
        for (int k = 0; k < 8; k++) {
            rtp[p + k] = (byte) (now >>> (56 - 8 * k));
        }
        rtp[p + 8] = (byte) (id >>> 24);
        rtp[p + 9] = (byte) (id >>> 16);
        rtp[p + 10] = (byte) (id >>> 8);
        rtp[p + 11] = (byte) id;
        rtp[p + 12] = dir;
    }

    private void sendBrowser(SimCall c, byte[] rtp, ByteBuffer out) throws IOException, SrtpException {
        header(rtp, c.browserSeq++, c.browserTs, c.browserSsrc);
        c.browserTs += PAYLOAD;
        long now = System.nanoTime();
        stamp(rtp, now, c.id, B2S);
        byte[] srtp = c.browserSend.protectRtp(rtp, 0, rtp.length);
        out.clear();
        out.put(srtp).flip();
        if (c.browser.write(out) == 0) {
            unsent++; // socket send buffer full: never left, so not counted as sent
            return;
        }
        if (now >= windowStart && now < windowEnd) {
            sentB2S[c.id]++;
        }
    }

    private void sendSip(SimCall c, byte[] rtp, ByteBuffer out) throws IOException, SrtpException {
        header(rtp, c.sipSeq++, c.sipTs, c.sipSsrc);
        c.sipTs += PAYLOAD;
        long now = System.nanoTime();
        stamp(rtp, now, c.id, S2B);
        out.clear();
        if (loop) {
            out.put(c.loopSipSend.protectRtp(rtp, 0, rtp.length));
        } else {
            out.put(rtp);
        }
        out.flip();
        if (sip.send(out, c.relayRtp) == 0) {
            unsent++;
            return;
        }
        if (now >= windowStart && now < windowEnd) {
            sentS2B[c.id]++;
        }
    }

    /** Reads the stamp of a plain RTP packet; counts it and its latency if it was sent in the window. */
    private void received(byte[] rtp, int len, long now, byte expectedDir, long[] counters, Histogram latency) {
        int h = RtpPacket.headerLength(rtp, 0, len);
        if (h < 0 || len - h < 13) {
            unknownPackets++;
            return;
        }
        long sent = 0;
        for (int k = 0; k < 8; k++) {
            sent = (sent << 8) | (rtp[h + k] & 0xFF);
        }
        int id = ((rtp[h + 8] & 0xFF) << 24) | ((rtp[h + 9] & 0xFF) << 16) | ((rtp[h + 10] & 0xFF) << 8) | (rtp[h + 11] & 0xFF);
        if (rtp[h + 12] != expectedDir || id < 0 || id >= counters.length) {
            unknownPackets++;
            return;
        }
        if (sent >= windowStart && sent < windowEnd) {
            counters[id]++;
            latency.recordNanos(now - sent);
        }
    }

    private void sipLoop() {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        byte[] buf = new byte[2048];
        while (running) {
            try {
                in.clear();
                if (sip.receive(in) == null) {
                    continue;
                }
                long now = System.nanoTime();
                in.flip();
                int len = in.remaining();
                in.get(buf, 0, len);
                if (loop) {
                    byte[] plain = unprotectLoop(buf, len);
                    if (plain != null) {
                        received(plain, plain.length, now, B2S, receivedB2S, latencyB2S);
                    }
                } else if ((buf[0] & 0xC0) == 0x80) {
                    received(buf, len, now, B2S, receivedB2S, latencyB2S);
                } else {
                    unknownPackets++;
                }
            } catch (IOException e) {
                if (running) {
                    unknownPackets++;
                }
            }
        }
    }

    /** Baseline only: the SIP side plays the relay's decryption, finding the call by the clear SSRC. */
    private byte[] unprotectLoop(byte[] buf, int len) {
        SimCall c = bySsrc.get(RtpPacket.ssrc(buf, 0));
        if (c == null) {
            unknownPackets++;
            return null;
        }
        try {
            return c.loopSipReceive.unprotectRtp(buf, 0, len);
        } catch (SrtpException e) {
            srtpErrors++;
            return null;
        }
    }

    private void browserLoop() {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        byte[] buf = new byte[2048];
        while (running) {
            try {
                SimCall r;
                while ((r = toRegister.poll()) != null) {
                    r.browser.register(selector, SelectionKey.OP_READ, r);
                }
                selector.select(100);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    SimCall c = (SimCall) key.attachment();
                    in.clear();
                    if (c.browser.receive(in) == null) {
                        continue;
                    }
                    long now = System.nanoTime();
                    in.flip();
                    int len = in.remaining();
                    in.get(buf, 0, len);
                    int first = buf[0] & 0xFF;
                    if (first >= 128 && first <= 191) {
                        int pt = buf[1] & 0x7F;
                        if (pt >= 64 && pt <= 95) {
                            continue; // RTCP (rtcp-mux): not measured
                        }
                        try {
                            byte[] plain = c.browserReceive.unprotectRtp(buf, 0, len);
                            received(plain, plain.length, now, S2B, receivedS2B, latencyS2B);
                        } catch (SrtpException e) {
                            srtpErrors++;
                        }
                    } else if (first < 4) {
                        try {
                            StunMessage m = StunMessage.parse(buf, 0, len);
                            if (m.type() == StunMessageType.BINDING_REQUEST) {
                                c.answerStun(m);
                                stunAnswered++;
                            }
                        } catch (StunException e) {
                            unknownPackets++;
                        }
                    } else {
                        unknownPackets++; // DTLS after the handshake (none expected), junk
                    }
                }
            } catch (IOException e) {
                if (running) {
                    unknownPackets++;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            sender.join(2000);
            browserReceiver.join(2000);
            sip.close(); // unblocks the SIP receiver
            sipReceiver.join(2000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing
        }
    }
}
