package org.opendialer.core.calls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opendialer.testkit.SippProcess;

/**
 * SIPp running one call of a scenario from src/test/resources/sipp-calls on 127.0.0.1, as the trunk (uas)
 * or as a caller (uac). Keeps the Process handle and stops it by PID in {@link #close()}; its logs land in
 * target/sipp-calls/ for diagnosis. Needs the Debian package sip-tester.
 */
final class SippPeer implements AutoCloseable {
    private final SippProcess process;
    final int port;

    private SippPeer(SippProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static SippPeer uas(String scenario, Map<String, String> keys) throws IOException {
        return uas(scenario, keys, 1);
    }

    /** A trunk that runs {@code scenario} for {@code calls} INVITEs, then exits. */
    static SippPeer uas(String scenario, Map<String, String> keys, int calls) throws IOException {
        return start(scenario, null, null, keys, false, calls);
    }

    /** As {@link #uas}, over TCP, and only once SIPp listens. */
    static SippPeer uasOverTcp(String scenario) throws IOException, InterruptedException {
        SippPeer sipp = start(scenario, null, null, Map.of(), true, 1);
        try {
            sipp.process.awaitTcpListening(sipp.port, Duration.ofSeconds(10));
        } catch (AssertionError e) {
            sipp.close();
            throw e;
        }
        return sipp;
    }

    static SippPeer uac(String scenario, int gatewayPort, String calledNumber) throws IOException {
        return uac(scenario, gatewayPort, calledNumber, Map.of());
    }

    static SippPeer uac(String scenario, int gatewayPort, String calledNumber, Map<String, String> keys)
            throws IOException {
        return start(scenario, "127.0.0.1:" + gatewayPort, calledNumber, keys, false, 1);
    }

    private static SippPeer start(String scenario, String target, String service, Map<String, String> keys,
                                  boolean tcp, int calls) throws IOException {
        int port = SippProcess.freeEvenUdpPort();
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
        List<String> cmd = new ArrayList<>();
        if (target != null) {
            cmd.add(target);
        }
        cmd.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port),
                "-mi", "127.0.0.1", "-mp", String.valueOf(SippProcess.freeEvenUdpPort()), "-m", String.valueOf(calls), "-nostdin",
                "-timeout", "30s", "-timeout_error", "-trace_err", "-trace_msg"));
        if (service != null) {
            cmd.addAll(List.of("-s", service));
        }
        if (tcp) {
            cmd.addAll(List.of("-t", "t1"));
        }
        return new SippPeer(SippProcess.start(cmd, dir), port);
    }

    /** The trunk URI for the gateway's DIALER_SIP_TRUNK. */
    String uri() {
        return "sip:127.0.0.1:" + port;
    }

    /** Waits for the one call to finish; 0 means every step of the scenario happened as written. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    String messages() {
        return process.messages();
    }

    /** Waits until SIPp's message log shows {@code text} (sent or received), so what a test does next comes after it. */
    void awaitMessage(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!process.messages().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("SIPp never logged \"" + text + "\" within " + timeout + ":\n" + process.messages());
            }
            Thread.sleep(50);
        }
    }

    String logs() {
        return process.logs();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    static int freeUdpPort() throws IOException {
        return SippProcess.freeEvenUdpPort();
    }
}
