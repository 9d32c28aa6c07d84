package org.opendialer.media.relay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.opendialer.media.rtp.RtpPacket;

/**
 * The Java half of src/test/chromium/relay-interop.mjs (manual: needs Chromium): a MediaRelay
 * whose side B is a plain RTP echo peer standing in for SIPp -rtp_echo. Reads commands on
 * stdin, one per line:
 *   OFFER <base64 sdp> <PCMU|PCMA|ANY>  → prints ANSWER <base64 sdp>
 *   STATS                              → prints STATS {json}
 *   QUIT
 * Everything Chromium sends reaches the echo peer through the relay and comes back to it.
 */
public final class RelayChromiumInterop {
    private RelayChromiumInterop() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (MediaRelay relay = MediaRelay.open(new RelaySettings(loopback, 0, "127.0.0.1", 37000, 37999,
                Duration.ofSeconds(10)));
             DatagramSocket echo = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            AtomicLong answeredAt = new AtomicLong(System.nanoTime());
            MediaSession session = relay.newSession(new MediaSession.Listener() {
                @Override
                public void mediaTimedOut(MediaSession.Side side) {
                    System.err.println("media timeout on side " + side);
                }

                @Override
                public void browserConnected(MediaSession.Side side) {
                    System.err.printf("browser on side %s connected %d ms after the answer%n", side,
                            (System.nanoTime() - answeredAt.get()) / 1_000_000);
                }
            });
            int port = session.openRtp();
            session.rtpRemote((InetSocketAddress) echo.getLocalSocketAddress(), MediaSession.Codec.PCMU, 0, 101);
            AtomicLong pcmu = new AtomicLong();
            AtomicLong pcma = new AtomicLong();
            AtomicLong events = new AtomicLong();
            AtomicLong eventEnds = new AtomicLong();
            AtomicLong other = new AtomicLong();
            Thread echoer = new Thread(() -> {
                byte[] buf = new byte[2048];
                InetSocketAddress relayRtp = new InetSocketAddress(loopback, port);
                while (!echo.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        echo.receive(p);
                        int pt = RtpPacket.payloadType(buf, 0);
                        switch (pt) {
                            case 0 -> pcmu.incrementAndGet();
                            case 8 -> pcma.incrementAndGet();
                            case 101 -> {
                                events.incrementAndGet();
                                if ((buf[13] & 0x80) != 0) {
                                    eventEnds.incrementAndGet();
                                }
                            }
                            default -> other.incrementAndGet();
                        }
                        echo.send(new DatagramPacket(buf, p.getLength(), relayRtp));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "echo");
            echoer.setDaemon(true);
            echoer.start();

            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] cmd = line.trim().split(" ");
                switch (cmd[0]) {
                    case "OFFER" -> {
                        String offer = new String(Base64.getDecoder().decode(cmd[1]), StandardCharsets.UTF_8);
                        MediaSession.Codec codec = cmd[2].equals("ANY") ? null : MediaSession.Codec.valueOf(cmd[2]);
                        try {
                            String answer = session.acceptOffer(MediaSession.Side.A, offer, codec);
                            answeredAt.set(System.nanoTime());
                            if (codec != null) {
                                session.rtpRemote((InetSocketAddress) echo.getLocalSocketAddress(), codec,
                                        codec == MediaSession.Codec.PCMU ? 0 : 8, 101);
                            }
                            System.out.println("ANSWER " + Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8)));
                        } catch (MediaException e) {
                            System.out.println("ERROR " + e.getMessage());
                        }
                    }
                    case "STATS" -> {
                        SessionStats s = session.stats();
                        System.out.printf("STATS {\"toEcho\":{\"pcmu\":%d,\"pcma\":%d,\"events\":%d,\"eventEnds\":%d,\"other\":%d},"
                                        + "\"aToB\":{\"fwd\":%d,\"dropped\":%d},\"bToA\":{\"fwd\":%d,\"dropped\":%d},"
                                        + "\"browserCodec\":\"%s\",\"relayDropped\":%d}%n",
                                pcmu.get(), pcma.get(), events.get(), eventEnds.get(), other.get(),
                                s.aToB().packetsForwarded(), s.aToB().packetsDropped(),
                                s.bToA().packetsForwarded(), s.bToA().packetsDropped(),
                                session.browserCodec(MediaSession.Side.A), relay.stats().packetsDropped());
                    }
                    case "QUIT" -> {
                        return;
                    }
                    default -> System.out.println("ERROR unknown command");
                }
                System.out.flush();
            }
        }
    }
}
