package org.opendialer.sip;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts SIPp with a scenario from src/test/resources/sipp for exactly one call, on 127.0.0.1 and a
 * given port, and keeps the Process handle: {@link #close()} stops it by PID. Its screen output and
 * error log land in target/sipp/NAME-PORT/ for diagnosis.
 */
final class Sipp implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;

    private Sipp(List<String> command, Path dir, int port) throws IOException {
        this.dir = dir;
        this.port = port;
        Files.createDirectories(dir);
        this.process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("screen.log").toFile()).start();
    }

    /** A SIPp server (the trunk) on {@code port}. {@code keys} fill {{key}} placeholders in the scenario. */
    static Sipp uas(String scenario, int port, Map<String, String> keys) throws IOException {
        return start(scenario, port, null, null, keys, false);
    }

    /** As {@link #uas}, listening on TCP instead of UDP. */
    static Sipp uasOverTcp(String scenario, int port) throws IOException, InterruptedException {
        Sipp sipp = start(scenario, port, null, null, Map.of(), true);
        sipp.awaitTcpListening(Duration.ofSeconds(10));
        return sipp;
    }

    /**
     * A TCP trunk refuses connections until SIPp has started, and a refused INVITE fails at once (no
     * retransmission as over UDP): wait for the LISTEN socket in /proc/net/tcp without connecting to it.
     */
    private void awaitTcpListening(Duration timeout) throws IOException, InterruptedException {
        String local = String.format(":%04X ", port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(Paths.get("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                    return;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("SIPp not listening on TCP " + port + "\n" + logs());
    }

    /** A SIPp client calling {@code service} at {@code 127.0.0.1:targetPort}. */
    static Sipp uac(String scenario, int port, int targetPort, String service) throws IOException {
        return start(scenario, port, "127.0.0.1:" + targetPort, service, Map.of(), false);
    }

    private static Sipp start(String scenario, int port, String target, String service, Map<String, String> keys,
                              boolean tcp) throws IOException {
        if (!Files.isExecutable(Paths.get("/usr/bin/sipp")) && !onPath("sipp")) {
            throw new IllegalStateException("SIPp is missing: apt-get install sip-tester");
        }
        String name = scenario.replace(".xml", "");
        Path dir = Paths.get("target", "sipp", name + "-" + port).toAbsolutePath();
        Files.createDirectories(dir);
        String text = Files.readString(scenarioPath(scenario));
        for (Map.Entry<String, String> k : keys.entrySet()) {
            text = text.replace("{{" + k.getKey() + "}}", k.getValue());
        }
        Path file = dir.resolve(scenario);
        Files.writeString(file, text);
        List<String> cmd = new ArrayList<>(List.of("sipp"));
        if (target != null) {
            cmd.add(target);
        }
        cmd.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port),
                "-mi", "127.0.0.1", "-mp", String.valueOf(port + 2), "-m", "1", "-nostdin", "-timeout", "20s",
                "-timeout_error", "-trace_err", "-trace_msg", "-trace_logs"));
        if (tcp) {
            cmd.addAll(List.of("-t", "t1"));
        }
        if (service != null) {
            cmd.addAll(List.of("-s", service));
        }
        return new Sipp(cmd, dir, port);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Path scenarioPath(String scenario) {
        try {
            return Paths.get(Sipp.class.getResource("/sipp/" + scenario).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no scenario " + scenario, e);
        }
    }

    /** Waits for SIPp to finish its one call; 0 means every step of the scenario happened as written. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("SIPp still running after " + timeout + "\n" + logs());
        }
        return process.exitValue();
    }

    /** Every SIP message SIPp sent or received, in full. */
    String messages() {
        try (var files = Files.list(dir)) {
            Path log = files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).findFirst()
                    .orElseThrow(() -> new AssertionError("no SIPp message log in " + dir));
            return Files.readString(log);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The tail of each SIPp log (screen, errors, messages), for assertion messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith(".log")) {
                    String text = Files.readString(f);
                    b.append("--- ").append(f.getFileName()).append('\n')
                            .append(text.length() > 6000 ? text.substring(text.length() - 6000) : text);
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
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        }
    }
}
