package org.opendialer.loadgen;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's rtpengine (userspace only: {@code --table=-1}) driven over the ng protocol. Per call:
 * {@code offer} with the browser's SDP (from-tag) asking for plain RTP toward the SIP side, then
 * {@code answer} with the SIP side's plain SDP (to-tag) asking for ICE and DTLS-SRTP toward the
 * browser. The flags that work were found by experiment; see docs/benchmarks.md "Relay capacity".
 */
final class RtpengineSut implements SystemUnderTest {
    static final String BINARY = "/usr/bin/rtpengine";
    private final Process process;
    private final long pid;
    private final NgClient ng;

    static boolean installed() {
        return new File(BINARY).canExecute();
    }

    RtpengineSut(int ngPort, int portMin, int portMax, Path logFile) throws IOException {
        Path pidFile = Files.createTempFile("rtpengine", ".pid");
        List<String> cmd = List.of(BINARY, "--foreground", "--table=-1", "--interface=127.0.0.1",
                "--listen-ng=127.0.0.1:" + ngPort, "--port-min=" + portMin, "--port-max=" + portMax,
                "--pidfile=" + pidFile, "--log-stderr", "--log-level=5", "--no-fallback");
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        pid = process.pid(); // --foreground: the process we started is the daemon
        ng = new NgClient(new InetSocketAddress("127.0.0.1", ngPort));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                ng.request(Map.of("command", "ping"));
                break;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("rtpengine did not start; see " + logFile, e);
                }
            }
        }
    }

    @Override
    public String name() {
        return "rtpengine";
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Leg setup(int id, String browserOffer, InetSocketAddress sipSide) throws IOException {
        String callId = "lg-" + id;
        Map<String, Object> offer = Map.of(
                "command", "offer", "call-id", callId, "from-tag", "browser-" + id, "sdp", browserOffer,
                "ICE", "remove", "DTLS", "off", "transport-protocol", "RTP/AVP",
                "rtcp-mux", List.of("demux", "accept"), "flags", List.of("trust-address"));
        String toSip = (String) ng.request(offer).get("sdp");
        InetSocketAddress relayRtp = Sdp.mediaAddress(toSip);
        Map<String, Object> answer = Map.of(
                "command", "answer", "call-id", callId, "from-tag", "browser-" + id, "to-tag", "sip-" + id,
                "sdp", Sdp.plainRtp(id, sipSide.getPort()),
                "ICE", "force", "DTLS", "passive", "transport-protocol", "UDP/TLS/RTP/SAVPF",
                "flags", List.of("trust-address"));
        String toBrowser = (String) ng.request(answer).get("sdp");
        return new Leg(toBrowser, relayRtp);
    }

    @Override
    public void teardown(int id) throws IOException {
        ng.request(Map.of("command", "delete", "call-id", "lg-" + id, "from-tag", "browser-" + id,
                "delete-delay", 0));
    }

    @Override
    public void close() {
        ng.close();
        Processes.interruptAndWait(process, "rtpengine");
    }
}
