package org.opendialer.media.webrtc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendialer.media.dtls.DtlsCertificate;
import org.opendialer.media.dtls.DtlsSrtpServer;
import org.opendialer.media.dtls.DtlsWarmUp;
import org.opendialer.media.g711.G711;
import org.opendialer.media.rtp.RtcpPacket;

/**
 * The Java half of the manual Chromium check in src/test/chromium/interop.mjs (not a unit test:
 * it needs a browser). Reads the browser's offer as one base64 line on stdin, prints the answer
 * as one base64 line, sends 4 s of a 1 kHz PCMU tone once connected, prints "DONE n" with the
 * number of RTP packets received, and exits after one more line on stdin.
 */
public final class ChromiumInterop {
    private ChromiumInterop() {
    }

    public static void main(String[] args) throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        System.err.println("warm-up handshakes: " + DtlsWarmUp.run(new DtlsSrtpServer(certificate), 2));
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.open(new InetSocketAddress("127.0.0.1", 0), certificate)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String offer = new String(Base64.getDecoder().decode(in.readLine()), StandardCharsets.UTF_8);
            String events = find(offer, "^a=rtpmap:(\\d+) telephone-event/8000");
            AtomicInteger received = new AtomicInteger();
            AtomicLong magnitude = new AtomicLong();
            AtomicInteger rtcp = new AtomicInteger();
            CountDownLatch connected = new CountDownLatch(1);
            long start = System.nanoTime();
            WebRtcLeg leg = endpoint.createLeg(find(offer, "^a=ice-ufrag:(.*)$"), find(offer, "^a=fingerprint:(.*)$"),
                    new MediaListener() {
                        @Override
                        public void onRtp(WebRtcLeg l, byte[] rtp) {
                            if (received.getAndIncrement() == 0) {
                                System.err.printf("first RTP %d ms after the answer%n", (System.nanoTime() - start) / 1_000_000);
                            }
                            for (int i = 12; i < rtp.length; i++) {
                                magnitude.addAndGet(Math.abs(G711.ulawToLinear(rtp[i])));
                            }
                        }

                        @Override
                        public void onRtcp(WebRtcLeg l, byte[] packet) {
                            rtcp.incrementAndGet();
                        }

                        @Override
                        public void onConnected(WebRtcLeg l) {
                            System.err.printf("connected %d ms after the answer%n", (System.nanoTime() - start) / 1_000_000);
                            connected.countDown();
                        }

                        @Override
                        public void onClosed(WebRtcLeg l, String reason) {
                            System.err.println("leg closed: " + reason);
                        }
                    });
            String mid = find(offer, "^a=mid:(.*)$");
            String answer = endpoint.answerFor(leg, "127.0.0.1").mid(mid == null ? "0" : mid)
                    .telephoneEventPayloadType(events == null ? -1 : Integer.parseInt(events))
                    .ssrc(0x01234567, "opendialer").build();
            System.out.println(Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8)));
            System.out.flush();
            if (!connected.await(15, TimeUnit.SECONDS)) {
                System.out.println("NOT-CONNECTED");
                return;
            }
            sendTone(leg);
            int n = Math.max(received.get(), 1);
            System.err.printf("received %d RTP (mean |sample| %d) and %d RTCP%n", received.get(),
                    magnitude.get() / (n * 160L), rtcp.get());
            System.out.println("DONE " + received.get());
            System.out.flush();
            in.readLine();
        }
    }

    private static void sendTone(WebRtcLeg leg) throws Exception {
        byte[] packet = new byte[12 + 160];
        packet[0] = (byte) 0x80;
        packet[8] = 0x01;
        packet[9] = 0x23;
        packet[10] = 0x45;
        packet[11] = 0x67;
        long start = System.nanoTime();
        for (int n = 0; n < 200; n++) {
            int ts = n * 160;
            packet[2] = (byte) (n >>> 8);
            packet[3] = (byte) n;
            packet[4] = (byte) (ts >>> 24);
            packet[5] = (byte) (ts >>> 16);
            packet[6] = (byte) (ts >>> 8);
            packet[7] = (byte) ts;
            for (int i = 0; i < 160; i++) {
                packet[12 + i] = G711.linearToUlaw((short) (8000 * Math.sin(2 * Math.PI * 1000 * (ts + i) / 8000.0)));
            }
            leg.sendRtp(packet, 0, packet.length);
            if (n % 50 == 49) { // a sender report each second: exercises SRTCP toward the browser
                byte[] sr = RtcpPacket.senderReport(0x01234567, System.currentTimeMillis(), ts + 160, n + 1,
                        (n + 1) * 160L, "opendialer");
                leg.sendRtcp(sr, 0, sr.length);
            }
            long due = start + (n + 1) * 20_000_000L;
            while (System.nanoTime() < due) {
                Thread.sleep(1);
            }
        }
    }

    private static String find(String sdp, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(sdp);
        return m.find() ? m.group(1).trim() : null;
    }
}
