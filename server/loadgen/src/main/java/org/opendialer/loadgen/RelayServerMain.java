package org.opendialer.loadgen;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.media.relay.RelaySettings;

/**
 * Our relay as a process of its own, so that its CPU time and RSS can be read from /proc: opens a
 * {@link MediaRelay} on 127.0.0.1 and obeys one command per line on stdin, one reply line each on
 * stdout (the bench writes a command and waits for its reply):
 * <pre>
 * (at start)                                   → ready PID
 * call ID SIP_HOST SIP_PORT BASE64(offer SDP)   → ok ID RTP_HOST RTP_PORT BASE64(answer SDP) | error ID MESSAGE
 *     newSession, openRtp, rtpRemote(SIP_HOST:SIP_PORT, PCMU, 0, 101), acceptOffer(A, offer, null)
 * close ID                                     → closed ID
 * stats                                        → stats RelayStats[...]
 * quit (or end of input)                       → bye, then the relay is closed and the process exits
 * </pre>
 * Options: {@code --webrtc-port P --rtp-ports MIN-MAX --rtp-timeout SECONDS}.
 */
public final class RelayServerMain {
    private RelayServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int webRtcPort = 40001;
        int rtpMin = 40010;
        int rtpMax = 47999;
        int timeout = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--webrtc-port" -> webRtcPort = Integer.parseInt(args[++i]);
                case "--rtp-ports" -> {
                    String[] r = args[++i].split("-");
                    rtpMin = Integer.parseInt(r[0]);
                    rtpMax = Integer.parseInt(r[1]);
                }
                case "--rtp-timeout" -> timeout = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<Integer, MediaSession> sessions = new HashMap<>();
        try (MediaRelay relay = MediaRelay.open(new RelaySettings(InetAddress.getByName("127.0.0.1"), webRtcPort, null,
                rtpMin, rtpMax, Duration.ofSeconds(timeout)))) {
            out.println("ready " + ProcessHandle.current().pid());
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split(" ");
                switch (f[0]) {
                    case "call" -> {
                        int id = Integer.parseInt(f[1]);
                        MediaSession session = relay.newSession(side -> System.err.println("call " + id + ": media timed out on " + side));
                        try {
                            int port = session.openRtp();
                            session.rtpRemote(new InetSocketAddress(f[2], Integer.parseInt(f[3])), MediaSession.Codec.PCMU, 0, 101);
                            String answer = session.acceptOffer(MediaSession.Side.A,
                                    new String(Base64.getDecoder().decode(f[4]), StandardCharsets.UTF_8), null);
                            sessions.put(id, session);
                            out.println("ok " + id + " 127.0.0.1 " + port + " "
                                    + Base64.getEncoder().encodeToString(answer.getBytes(StandardCharsets.UTF_8)));
                        } catch (Exception e) {
                            session.close();
                            out.println("error " + id + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
                        }
                    }
                    case "close" -> {
                        MediaSession s = sessions.remove(Integer.parseInt(f[1]));
                        if (s != null) {
                            s.close();
                        }
                        out.println("closed " + f[1]);
                    }
                    case "stats" -> out.println("stats " + relay.stats());
                    case "quit" -> {
                        out.println("bye");
                        return;
                    }
                    default -> out.println("error - unknown command " + f[0]);
                }
            }
        } finally {
            sessions.values().forEach(MediaSession::close);
        }
    }
}
