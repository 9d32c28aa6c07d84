package org.opendialer.media.relay;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;

/**
 * Manual measurement behind the per-packet figures in docs/decisions/0004 (not a unit test, not
 * the capacity benchmark): N bridged calls on loopback, each a browser stand-in (SRTP) and a
 * plain RTP peer sending 20 ms PCMU packets both ways, then the CPU time of the relay's own
 * threads divided by the packets they relayed. Second, the relay logic alone (format mapping,
 * rewriting, counters) with a target that sends nothing, to separate it from SRTP and the kernel.
 *
 *   mvn -B -q -o -pl server/media test-compile
 *   java -cp server/media/target/test-classes:server/media/target/classes:$(cat /tmp/media-cp.txt) \
 *        org.opendialer.media.relay.RelayCostProbe 100 10
 */
public final class RelayCostProbe {
    private RelayCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        logicOnly();
        overSockets(calls, seconds);
    }

    /** MediaSession.receivedRtp into a leg that only counts: the relay's own work per packet. */
    static void logicOnly() throws Exception {
        try (MediaRelay relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1",
                37000, 37999, Duration.ofSeconds(30)))) {
            MediaSession session = relay.newSession(side -> { });
            session.openRtp();
            session.rtpRemote(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 9), Codec.PCMU, 0, 101);
            PayloadFormats browser = new PayloadFormats(0, 8, 126);
            byte[] packet = Rtp.packet(0, 0, 0, 0xB1, false, new byte[160]);
            // Toward side B, whose RtpLeg sends to port 9 (discard): use side A → B with the real leg
            // for the send cost, and measure the relay logic by subtracting nothing: report both.
            for (int round = 0; round < 5; round++) {
                int n = 1_000_000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    org.opendialer.media.rtp.RtpPacket.setSequenceNumber(packet, 0, i);
                    org.opendialer.media.rtp.RtpPacket.setTimestamp(packet, 0, 160L * i);
                    packet[1] = 0;
                    session.receivedRtpForProbe(Side.A, browser, packet);
                }
                long elapsed = System.nanoTime() - start;
                System.out.printf("relay logic + one sendto(2) of a 172-byte packet: %.2f µs/packet (round %d)%n",
                        elapsed / 1000.0 / n, round);
            }
            // Side B → a browser leg that never connects: everything but SRTP and the send.
            MediaSession dry = relay.newSession(side -> { });
            try (TestBrowser unconnected = new TestBrowser()) {
                dry.acceptOffer(Side.A, unconnected.offer(true, true, 126), null);
            }
            PayloadFormats trunk = new PayloadFormats(0, -1, 101);
            for (int round = 0; round < 5; round++) {
                int n = 5_000_000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    org.opendialer.media.rtp.RtpPacket.setSequenceNumber(packet, 0, i);
                    org.opendialer.media.rtp.RtpPacket.setTimestamp(packet, 0, 160L * i);
                    packet[1] = 0;
                    dry.receivedRtpForProbe(Side.B, trunk, packet);
                }
                long elapsed = System.nanoTime() - start;
                System.out.printf("relay logic without SRTP and send (clock, lock, reception stats, format mapping, "
                        + "rewrite, counters): %.0f ns/packet (round %d)%n", (double) elapsed / n, round);
            }
        }
    }

    static void overSockets(int calls, int seconds) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (MediaRelay relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1",
                37000, 39999, Duration.ofSeconds(30)))) {
            List<TestBrowser> browsers = new ArrayList<>();
            List<SipPeer> peers = new ArrayList<>();
            try {
                for (int i = 0; i < calls; i++) {
                    MediaSession session = relay.newSession(side -> System.err.println("timeout " + side));
                    SipPeer peer = new SipPeer();
                    peer.relayAt(session.openRtp());
                    session.rtpRemote(peer.address(), Codec.PCMU, 0, 101);
                    TestBrowser browser = new TestBrowser();
                    browser.connect(session.acceptOffer(Side.A, browser.offer(true, true, 126), null));
                    browsers.add(browser);
                    peers.add(peer);
                }
                byte[] payload = new byte[160];
                // Warm up 2 s, then measure.
                long cpuStart = 0;
                long relayedStart = 0;
                long wallStart = 0;
                int ticks = (seconds + 2) * 50;
                long next = System.nanoTime();
                for (int t = 0; t < ticks; t++) {
                    if (t == 100) {
                        cpuStart = relayCpu(mx);
                        relayedStart = relay.stats().packetsRelayed();
                        wallStart = System.nanoTime();
                    }
                    for (int i = 0; i < calls; i++) {
                        browsers.get(i).sendRtp(0, t, 160L * t, 0xB0000 + i, t == 0, payload);
                        peers.get(i).send(0, t, 160L * t, 0x50000 + i, t == 0, payload);
                    }
                    next += 20_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                long cpu = relayCpu(mx) - cpuStart;
                long relayed = relay.stats().packetsRelayed() - relayedStart;
                double wall = (System.nanoTime() - wallStart) / 1e9;
                RelayStats stats = relay.stats();
                System.out.printf("%d calls, %.1f s: %d packets relayed (%.0f/s), relay threads' CPU %.2f s = %.1f%% of one core, "
                                + "%.2f µs CPU per relayed packet; dropped %d%n",
                        calls, wall, relayed, relayed / wall, cpu / 1e9, 100.0 * cpu / 1e9 / wall,
                        cpu / 1000.0 / Math.max(relayed, 1), stats.packetsDropped());
                for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
                    if (info != null && isRelayThread(info.getThreadName())) {
                        System.out.printf("  %s: %.2f s CPU in total%n", info.getThreadName(),
                                mx.getThreadCpuTime(info.getThreadId()) / 1e9);
                    }
                }
            } finally {
                browsers.forEach(TestBrowser::close);
                peers.forEach(SipPeer::close);
            }
        }
    }

    private static boolean isRelayThread(String name) {
        return name.startsWith("webrtc-udp") || name.equals("rtp-io") || name.equals("media-timer");
    }

    private static long relayCpu(ThreadMXBean mx) {
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && isRelayThread(info.getThreadName())) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
