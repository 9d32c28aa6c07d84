package org.opendialer.media.relay;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.opendialer.media.g711.G711;

/**
 * A WebRTC browser stand-in for other modules' tests (the media test-jar): {@link TestBrowser}'s ICE-lite
 * check, DTLS client and SRTP both ways behind a public face, and what such a test checks of the audio.
 */
public final class WebRtcTestPeer implements AutoCloseable {
    private static final long WAIT_MILLIS = 20_000;
    private final TestBrowser browser;

    public WebRtcTestPeer() throws java.net.SocketException {
        browser = new TestBrowser();
    }

    /** An offer like Chromium's, with PCMU and PCMA. */
    public String offer() {
        return browser.offer(true, true, -1);
    }

    /** Runs ICE, DTLS and SRTP against the gateway's answer; returns once DTLS completed. */
    public void connect(String answerSdp) throws Exception {
        browser.connect(answerSdp);
    }

    /** Sends one 20 ms G.711 frame whose payload bytes are all {@code mark}. */
    public void send(int pt, int seq, int mark) throws Exception {
        browser.sendRtp(pt, seq, 160L * seq, 0xB0B, seq == 1, Rtp.payload(mark));
    }

    /** Sends frames of {@code mark} until {@code to} receives one (the relay may still be switching). */
    public boolean reaches(WebRtcTestPeer to, int pt, int mark) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        to.browser.rtp.clear();
        for (int seq = 1; System.currentTimeMillis() < deadline; seq++) {
            send(pt, seq, mark);
            if (payloadArrives(to.browser.rtp, mark, 40)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a frame whose payload is {@code mark} reaches this browser within {@code millis} (queued ones count). */
    public boolean hears(int mark, long millis) throws InterruptedException {
        return payloadArrives(browser.rtp, mark, millis);
    }

    /** Forgets the frames received so far. */
    public void clear() {
        browser.rtp.clear();
    }

    /** Whether this browser hears North American ringback (440 + 480 Hz) within the wait. */
    public boolean hearsRingback() throws InterruptedException {
        browser.rtp.clear();
        return hearsRingback(browser.rtp);
    }

    @Override
    public void close() {
        browser.close();
    }

    /** Whether a packet whose payload starts with {@code mark} arrives in {@code rtp} within {@code millis}. */
    static boolean payloadArrives(BlockingQueue<byte[]> rtp, int mark, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; left > 0; left = deadline - System.currentTimeMillis()) {
            byte[] p = rtp.poll(left, TimeUnit.MILLISECONDS);
            if (p != null && p.length > 12 && p[12] == (byte) mark) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether ringback arrives in {@code rtp} within the wait: G.711 frames decoded by payload type (0 PCMU, 8 PCMA),
     * five at a time (100 ms: both tones on a 10 Hz bin), with most of the energy at 440 and 480 Hz.
     */
    static boolean hearsRingback(BlockingQueue<byte[]> rtp) throws InterruptedException {
        short[] block = new short[800];
        int filled = 0;
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            byte[] p = rtp.poll(200, TimeUnit.MILLISECONDS);
            int pt = p == null ? -1 : p[1] & 0x7F;
            if (p == null || p.length != 12 + 160 || pt != 0 && pt != 8) {
                filled = 0;
                continue;
            }
            for (int i = 0; i < 160; i++) {
                block[filled + i] = pt == 0 ? G711.ulawToLinear(p[12 + i]) : G711.alawToLinear(p[12 + i]);
            }
            filled += 160;
            if (filled == block.length) {
                filled = 0;
                if (energyRatio(block, 440) + energyRatio(block, 480) > 0.8) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double energyRatio(short[] samples, double hz) {
        int n = samples.length;
        double k = Math.round(n * hz / 8000);
        double coefficient = 2 * Math.cos(2 * Math.PI * k / n);
        double s1 = 0;
        double s2 = 0;
        double total = 0;
        for (short x : samples) {
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            total += (double) x * x;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return total == 0 ? 0 : power / (total * n / 2);
    }
}
