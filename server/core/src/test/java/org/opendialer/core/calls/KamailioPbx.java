package org.opendialer.core.calls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opendialer.testkit.BaresipProcess;
import org.opendialer.testkit.KamailioProcess;
import org.opendialer.testkit.LoopbackPorts;

/**
 * A PBX with real phones for the engine's PBX-mode tests: Kamailio as registrar and proxy (digest auth) with the
 * gateway's account gw1001, and one baresip per extension (auto-answer), each registered before {@link #start}
 * returns. Passwords are fresh per run. Started once per test class; {@link #close()} stops the phones first
 * (each waits for its un-REGISTER), then Kamailio.
 */
final class KamailioPbx implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The password of the gateway's PBX account gw1001. */
    final String gatewayPassword = secret();
    /** The password of every phone. */
    final String phonePassword = secret();
    final KamailioProcess kamailio;
    private final Map<String, BaresipProcess> phones = new LinkedHashMap<>();
    private final Path dir;

    private KamailioPbx(Path dir, int port, String[] extensions) throws Exception {
        this.dir = dir;
        Map<String, String> users = new LinkedHashMap<>();
        users.put("gw1001", gatewayPassword);
        for (String extension : extensions) {
            users.put(extension, phonePassword);
        }
        kamailio = KamailioProcess.start(dir.resolve("kamailio"), port, users, 60);
    }

    /** Kamailio and a phone for each of {@code extensions}, all registered within {@code wait}. */
    static KamailioPbx start(String name, Duration wait, String... extensions) throws Exception {
        KamailioPbx pbx = new KamailioPbx(Files.createTempDirectory("opendialer-" + name + "-"), LoopbackPorts.next(),
                extensions);
        try {
            for (String extension : extensions) {
                pbx.phones.put(extension, pbx.startPhone(extension));
            }
            // baresip registers as it starts, maybe before the control connection exists: ask the registrar.
            pbx.kamailio.awaitLocation(t -> java.util.Arrays.stream(extensions).allMatch(e -> t.contains("AoR: " + e)),
                    wait, "the phones' contacts");
        } catch (Exception | Error e) {
            pbx.close();
            throw e;
        }
        return pbx;
    }

    private BaresipProcess startPhone(String extension) throws Exception {
        int rtp = LoopbackPorts.next();
        return BaresipProcess.start(dir.resolve("baresip-" + extension),
                extension, phonePassword, "127.0.0.1:" + kamailio.port(), LoopbackPorts.next(), LoopbackPorts.next(),
                rtp + "-" + (rtp + 9));
    }

    BaresipProcess phone(String extension) {
        return phones.get(extension);
    }

    int port() {
        return kamailio.port();
    }

    @Override
    public void close() {
        for (BaresipProcess phone : phones.values()) {
            phone.close(); // before the registrar: it waits for its un-REGISTER
        }
        kamailio.close();
    }

    private static String secret() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
