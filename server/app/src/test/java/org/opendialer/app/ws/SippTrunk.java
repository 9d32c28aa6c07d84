package org.opendialer.app.ws;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SIPp for one call of a scenario shared with the core engine tests (server/core/src/test/resources/
 * sipp-calls), as the gateway's trunk (uas) or as a caller into it (uac). Stopped by its Process handle.
 */
final class SippTrunk implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;

    private SippTrunk(String scenario, String target, String service) throws IOException {
        port = freeEvenUdpPort();
        dir = Path.of("target", "sipp-ws", scenario.replace(".xml", "") + "-" + port).toAbsolutePath();
        Files.createDirectories(dir);
        Path file = scenarios().resolve(scenario);
        List<String> cmd = new ArrayList<>(List.of("sipp"));
        if (target != null) {
            cmd.add(target);
        }
        cmd.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port), "-mi",
                "127.0.0.1", "-mp", String.valueOf(freeEvenUdpPort()), "-m", "1", "-nostdin", "-timeout", "30s",
                "-timeout_error", "-trace_err"));
        if (service != null) {
            cmd.addAll(List.of("-s", service));
        }
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("screen.log").toFile()).start();
    }

    static SippTrunk uas(String scenario) throws IOException {
        return new SippTrunk(scenario, null, null);
    }

    static SippTrunk uac(String scenario, int gatewaySipPort, String calledNumber) throws IOException {
        return new SippTrunk(scenario, "127.0.0.1:" + gatewaySipPort, calledNumber);
    }

    String uri() {
        return "sip:127.0.0.1:" + port;
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("SIPp still running after " + timeout + "\n" + logs());
        }
        return process.exitValue();
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                b.append("--- ").append(f.getFileName()).append('\n')
                        .append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freeEvenUdpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                if (s.getLocalPort() % 2 == 0 && s.getLocalPort() < 65000) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("no free UDP port");
    }

    private static Path scenarios() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("server/core/src/test/resources/sipp-calls");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("server/core/src/test/resources/sipp-calls not found above " + Path.of("")
                .toAbsolutePath());
    }
}
