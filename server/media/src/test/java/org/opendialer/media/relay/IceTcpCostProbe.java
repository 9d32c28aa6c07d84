package org.opendialer.media.relay;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;

/**
 * The relay's CPU per relayed packet with the browsers on UDP and on ICE-TCP, side by side (docs/benchmarks.md,
 * "Relay: ICE-TCP beside UDP"). N bridged calls on loopback, each a browser stand-in (SRTP over UDP, or over
 * RFC 4571-framed TCP) and a plain RTP peer, 20 ms PCMU both ways; rounds alternate UDP and TCP so both see the
 * same machine load; the medians are printed. Counted: the relay's own threads (webrtc-udp, webrtc-tcp,
 * rtp-io, media-timer), not the stand-ins. Run by {@code ./dialer bench --only relay-tcp}.
 */
public final class IceTcpCostProbe {
    private IceTcpCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Double> udp = new ArrayList<>();
        List<Double> tcp = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            udp.add(run(calls, seconds, false));
            tcp.add(run(calls, seconds, true));
        }
        System.out.printf("RESULT calls=%d seconds=%d rounds=%d udp_us_per_packet=%.2f tcp_us_per_packet=%.2f udp_rounds=%s tcp_rounds=%s%n",
                calls, seconds, rounds, median(udp), median(tcp), udp, tcp);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double run(int calls, int seconds, boolean overTcp) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (MediaRelay relay = MediaRelay.open(new RelaySettings(InetAddress.getLoopbackAddress(), 0, "127.0.0.1",
                37000, 39999, Duration.ofSeconds(30), overTcp ? -1 : 0, Duration.ofSeconds(10)))) {
            List<AutoCloseable> open = new ArrayList<>();
            List<TestBrowser> udpBrowsers = new ArrayList<>();
            List<TcpTestBrowser> tcpBrowsers = new ArrayList<>();
            List<SipPeer> peers = new ArrayList<>();
            try {
                for (int i = 0; i < calls; i++) {
                    MediaSession session = relay.newSession(side -> System.err.println("timeout " + side));
                    SipPeer peer = new SipPeer();
                    open.add(peer);
                    peers.add(peer);
                    peer.relayAt(session.openRtp());
                    session.rtpRemote(peer.address(), Codec.PCMU, 0, 101);
                    if (overTcp) {
                        TcpTestBrowser browser = new TcpTestBrowser();
                        open.add(browser);
                        browser.connect(session.acceptOffer(Side.A, browser.offer(), null));
                        tcpBrowsers.add(browser);
                    } else {
                        TestBrowser browser = new TestBrowser();
                        open.add(browser);
                        browser.connect(session.acceptOffer(Side.A, browser.offer(true, true, 126), null));
                        udpBrowsers.add(browser);
                    }
                }
                byte[] payload = new byte[160];
                long cpuStart = 0;
                long relayedStart = 0;
                int ticks = (seconds + 2) * 50; // 2 s of warm-up, then measured
                long next = System.nanoTime();
                for (int t = 0; t < ticks; t++) {
                    if (t == 100) {
                        cpuStart = relayCpu(mx);
                        relayedStart = relay.stats().packetsRelayed();
                    }
                    for (int i = 0; i < calls; i++) {
                        if (overTcp) {
                            tcpBrowsers.get(i).sendRtp(0, t, 160L * t, 0xB0000 + i, t == 0, payload);
                        } else {
                            udpBrowsers.get(i).sendRtp(0, t, 160L * t, 0xB0000 + i, t == 0, payload);
                        }
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
                double perPacket = cpu / 1000.0 / Math.max(relayed, 1);
                System.out.printf("%s: %d calls, %d packets relayed, dropped %d, %.2f µs relay CPU per relayed packet%n",
                        overTcp ? "TCP" : "UDP", calls, relayed, relay.stats().packetsDropped(), perPacket);
                return Math.round(perPacket * 100) / 100.0;
            } finally {
                for (AutoCloseable c : open) {
                    c.close();
                }
            }
        }
    }

    private static boolean isRelayThread(String name) {
        return name.startsWith("webrtc-udp") || name.startsWith("webrtc-tcp") || name.equals("rtp-io")
                || name.equals("media-timer");
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

    static String describe(double[] v) {
        return Arrays.toString(v);
    }
}
