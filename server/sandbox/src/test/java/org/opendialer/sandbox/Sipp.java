package org.opendialer.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opendialer.testkit.SippProcess;

/**
 * SIPp for one call, with a scenario from src/test/resources/sipp whose {{key}} placeholders are filled
 * in; on 127.0.0.1 and a port from {@link FreePorts}. Logs land in target/sipp/NAME-PORT/.
 */
final class Sipp implements AutoCloseable {
    private final SippProcess process;
    final int port;

    private Sipp(SippProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A SIPp client (standing in for the gateway) calling {@code service} at {@code 127.0.0.1:targetPort}. */
    static Sipp uac(String scenario, int targetPort, String service, Map<String, String> keys) throws IOException {
        return start(scenario, "127.0.0.1:" + targetPort, service, keys);
    }

    /** A SIPp server (standing in for the gateway) answering one INVITE. */
    static Sipp uas(String scenario, Map<String, String> keys) throws IOException {
        return start(scenario, null, null, keys);
    }

    private static Sipp start(String scenario, String target, String service, Map<String, String> keys)
            throws IOException {
        int port = FreePorts.next();
        Path dir = Paths.get("target", "sipp", scenario.replace(".xml", "") + "-" + port).toAbsolutePath();
        Files.createDirectories(dir);
        String text;
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario " + scenario);
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        for (Map.Entry<String, String> k : keys.entrySet()) {
            text = text.replace("{{" + k.getKey() + "}}", k.getValue());
        }
        if (text.contains("{{")) {
            throw new IllegalArgumentException(scenario + ": a {{placeholder}} was not filled in");
        }
        Path file = dir.resolve(scenario);
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        List<String> args = new ArrayList<>();
        if (target != null) {
            args.add(target);
        }
        args.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port),
                "-mi", "127.0.0.1", "-mp", String.valueOf(port + 2), "-m", "1", "-nostdin", "-timeout", "30s",
                "-timeout_error", "-trace_err", "-trace_msg"));
        if (service != null) {
            args.addAll(List.of("-s", service));
        }
        return new Sipp(SippProcess.start(args, dir), port);
    }

    /** 0 when every step of the scenario happened as written. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    String messages() {
        return process.messages();
    }

    String logs() {
        return process.logs();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
