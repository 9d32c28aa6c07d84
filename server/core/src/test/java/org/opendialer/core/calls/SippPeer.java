package org.opendialer.core.calls;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SIPp running one call of a scenario from src/test/resources/sipp-calls on 127.0.0.1, as the trunk (uas)
 * or as a caller (uac). Keeps the Process handle and stops it by PID in {@link #close()}; its logs land in
 * target/sipp-calls/ for diagnosis. Needs the Debian package sip-tester.
 */
final class SippPeer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;

    private SippPeer(List<String> command, Path dir, int port) throws IOException {
        this.dir = dir;
        this.port = port;
        this.process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("screen.log").toFile()).start();
    }

    static SippPeer uas(String scenario, Map<String, String> keys) throws IOException {
        return start(scenario, null, null, keys, false);
    }

    /**
     * As {@link #uas}, over TCP. A refused TCP connect fails the INVITE at once (no retransmission as over
     * UDP), so wait for SIPp's LISTEN socket in /proc/net/tcp first, without connecting to it.
     */
    static SippPeer uasOverTcp(String scenario) throws IOException, InterruptedException {
        SippPeer sipp = start(scenario, null, null, Map.of(), true);
        String local = String.format(":%04X ", sipp.port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && sipp.process.isAlive()) {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                    return sipp;
                }
            }
            Thread.sleep(20);
        }
        sipp.close();
        throw new AssertionError("SIPp not listening on TCP " + sipp.port + "\n" + sipp.logs());
    }

    static SippPeer uac(String scenario, int gatewayPort, String calledNumber) throws IOException {
        return uac(scenario, gatewayPort, calledNumber, Map.of());
    }

    static SippPeer uac(String scenario, int gatewayPort, String calledNumber, Map<String, String> keys)
            throws IOException {
        return start(scenario, "127.0.0.1:" + gatewayPort, calledNumber, keys, false);
    }

    private static SippPeer start(String scenario, String target, String service, Map<String, String> keys,
                                  boolean tcp) throws IOException {
        int port = freeUdpPort();
        Path dir = Path.of("target", "sipp-calls", scenario.replace(".xml", "") + "-" + port).toAbsolutePath();
        Files.createDirectories(dir);
        String text;
        try (var in = SippPeer.class.getResourceAsStream("/sipp-calls/" + scenario)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario " + scenario);
            }
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        for (var k : keys.entrySet()) {
            text = text.replace("{{" + k.getKey() + "}}", k.getValue());
        }
        Path file = dir.resolve(scenario);
        Files.writeString(file, text, java.nio.charset.StandardCharsets.ISO_8859_1);
        List<String> cmd = new ArrayList<>(List.of("sipp"));
        if (target != null) {
            cmd.add(target);
        }
        cmd.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port),
                "-mi", "127.0.0.1", "-mp", String.valueOf(freeUdpPort()), "-m", "1", "-nostdin",
                "-timeout", "30s", "-timeout_error", "-trace_err", "-trace_msg"));
        if (service != null) {
            cmd.addAll(List.of("-s", service));
        }
        if (tcp) {
            cmd.addAll(List.of("-t", "t1"));
        }
        return new SippPeer(cmd, dir, port);
    }

    /** The trunk URI for the gateway's DIALER_SIP_TRUNK. */
    String uri() {
        return "sip:127.0.0.1:" + port;
    }

    /** Waits for the one call to finish; 0 means every step of the scenario happened as written. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("SIPp still running after " + timeout + "\n" + logs());
        }
        return process.exitValue();
    }

    String messages() {
        try (var files = Files.list(dir)) {
            Path log = files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).findFirst()
                    .orElseThrow(() -> new AssertionError("no SIPp message log in " + dir));
            return Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith(".log")) {
                    String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                    b.append("--- ").append(f.getFileName()).append('\n')
                            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
                }
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e).append(')');
        }
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    static int freeUdpPort() throws IOException {
        // Even ports: SIPp's media port and ours follow the RTP convention; any free one serves for SIP.
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int p = s.getLocalPort();
                if (p % 2 == 0 && p < 65000) {
                    return p;
                }
            }
        }
        throw new IOException("no free UDP port");
    }
}
