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
import org.opendialer.testkit.SippProcess;

/**
 * Starts SIPp with a scenario from src/test/resources/sipp for exactly one call, on 127.0.0.1 and a
 * given port, and keeps the Process handle: {@link #close()} stops it by PID. Its screen output and
 * error log land in target/sipp/NAME-PORT/ for diagnosis.
 */
final class Sipp implements AutoCloseable {
    private final SippProcess process;
    final int port;

    private Sipp(SippProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A SIPp server (the trunk) on {@code port}. {@code keys} fill {{key}} placeholders in the scenario. */
    static Sipp uas(String scenario, int port, Map<String, String> keys) throws IOException {
        return start(scenario, port, null, null, keys, false);
    }

    /** A SIPp server on another loopback host ({@code ip}, e.g. 127.0.0.2: a second site of the trunk). */
    static Sipp uasOn(String scenario, String ip, int port, Map<String, String> keys) throws IOException {
        return start(scenario, ip, port, null, null, keys, false, List.of());
    }

    /** As {@link #uasOn}, listening on TCP instead of UDP, and only once SIPp listens. */
    static Sipp uasOnOverTcp(String scenario, String ip, int port, Map<String, String> keys)
            throws IOException, InterruptedException {
        Sipp sipp = start(scenario, ip, port, null, null, keys, true, List.of());
        sipp.process.awaitTcpListening(port, Duration.ofSeconds(10));
        return sipp;
    }

    /** As {@link #uas}, listening on TCP instead of UDP, and only once SIPp listens. */
    static Sipp uasOverTcp(String scenario, int port) throws IOException, InterruptedException {
        Sipp sipp = start(scenario, port, null, null, Map.of(), true);
        sipp.process.awaitTcpListening(port, Duration.ofSeconds(10));
        return sipp;
    }

    /** A SIPp client calling {@code service} at {@code 127.0.0.1:targetPort}. */
    static Sipp uac(String scenario, int port, int targetPort, String service) throws IOException {
        return start(scenario, port, "127.0.0.1:" + targetPort, service, Map.of(), false);
    }

    /**
     * As {@link #uac}, with {@code keys} filling {{key}} placeholders in the scenario, and without SIPp's UDP
     * retransmissions (-nr): a request answered late on a loaded machine is not sent twice, so each gets one
     * response.
     */
    static Sipp uacNoRetransmissions(String scenario, int port, int targetPort, Map<String, String> keys,
                                     String service) throws IOException {
        return start(scenario, port, "127.0.0.1:" + targetPort, service, keys, false, List.of("-nr"));
    }

    private static Sipp start(String scenario, int port, String target, String service, Map<String, String> keys,
                              boolean tcp) throws IOException {
        return start(scenario, port, target, service, keys, tcp, List.of());
    }

    private static Sipp start(String scenario, int port, String target, String service, Map<String, String> keys,
                              boolean tcp, List<String> extra) throws IOException {
        return start(scenario, "127.0.0.1", port, target, service, keys, tcp, extra);
    }

    private static Sipp start(String scenario, String ip, int port, String target, String service,
                              Map<String, String> keys, boolean tcp, List<String> extra) throws IOException {
        String name = scenario.replace(".xml", "");
        Path dir = Paths.get("target", "sipp", name + "-" + ip + "-" + port).toAbsolutePath();
        Files.createDirectories(dir);
        String text = Files.readString(scenarioPath(scenario));
        for (Map.Entry<String, String> k : keys.entrySet()) {
            text = text.replace("{{" + k.getKey() + "}}", k.getValue());
        }
        Path file = dir.resolve(scenario);
        Files.writeString(file, text);
        List<String> args = new ArrayList<>();
        if (target != null) {
            args.add(target);
        }
        args.addAll(List.of("-sf", file.toString(), "-i", ip, "-p", String.valueOf(port),
                "-mi", ip, "-mp", String.valueOf(port + 2), "-m", "1", "-nostdin", "-timeout", System.getProperty("sipp.timeout", "20s"),
                "-timeout_error", "-trace_err", "-trace_msg", "-trace_logs"));
        if (tcp) {
            args.addAll(List.of("-t", "t1"));
        }
        if (service != null) {
            args.addAll(List.of("-s", service));
        }
        args.addAll(extra);
        return new Sipp(SippProcess.start(args, dir), port);
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
        return process.awaitExit(timeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Every SIP message SIPp sent or received, in full. */
    String messages() {
        return process.messages();
    }

    /** The tail of each SIPp log (screen, errors, messages), for assertion messages. */
    String logs() {
        return process.logs();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
