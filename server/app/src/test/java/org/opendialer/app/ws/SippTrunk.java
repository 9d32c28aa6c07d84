package org.opendialer.app.ws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opendialer.testkit.SippProcess;

/**
 * SIPp for one call of a scenario shared with the core engine tests (server/core/src/test/resources/
 * sipp-calls), as the gateway's trunk (uas) or as a caller into it (uac). Stopped by its Process handle.
 */
final class SippTrunk implements AutoCloseable {
    private final SippProcess process;
    final int port;

    private SippTrunk(String scenario, String target, String service) throws IOException {
        port = freeEvenUdpPort();
        Path dir = Path.of("target", "sipp-ws", scenario.replace(".xml", "") + "-" + port).toAbsolutePath();
        Path file = scenarios().resolve(scenario);
        List<String> cmd = new ArrayList<>();
        if (target != null) {
            cmd.add(target);
        }
        cmd.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", String.valueOf(port), "-mi",
                "127.0.0.1", "-mp", String.valueOf(freeEvenUdpPort()), "-m", "1", "-nostdin", "-timeout", "30s",
                "-timeout_error", "-trace_err", "-trace_msg"));
        if (service != null) {
            cmd.addAll(List.of("-s", service));
        }
        process = SippProcess.start(cmd, dir);
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
        return process.awaitExit(timeout);
    }

    String logs() {
        return process.logs();
    }

    /** The SIP messages SIPp sent and received so far. */
    String messages() {
        return process.messages();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }

    static int freeEvenUdpPort() throws IOException {
        return SippProcess.freeEvenUdpPort();
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
