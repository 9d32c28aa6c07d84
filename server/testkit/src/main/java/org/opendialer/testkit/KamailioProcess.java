package org.opendialer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Kamailio 5.6 (Debian package kamailio) as a loopback registrar and record-routing proxy with digest auth
 * and no database, from the template kamailio.cfg next to this class. Runs in the foreground with its
 * Process handle kept and is stopped by PID in {@link #close()}; its log is dir/kamailio.log. Stop the
 * phones registered with it first (baresip waits for its un-REGISTER).
 */
public final class KamailioProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path ctl;
    private final int port;

    private KamailioProcess(Process process, Path dir, Path ctl, int port) {
        this.process = process;
        this.dir = dir;
        this.ctl = ctl;
        this.port = port;
    }

    /**
     * Starts Kamailio on 127.0.0.1:{@code port} (UDP and TCP) with the given users (name → password),
     * granting at most {@code maxExpires} seconds per registration; returns once it answers over its
     * control socket.
     */
    public static KamailioProcess start(Path dir, int port, Map<String, String> users, int maxExpires)
            throws IOException, InterruptedException {
        if (!SippProcess.onPath("kamailio") || !SippProcess.onPath("kamcmd")) {
            throw new IllegalStateException("Kamailio is not installed: apt-get install -y kamailio");
        }
        Files.createDirectories(dir);
        StringBuilder passwords = new StringBuilder();
        users.forEach((user, password) -> {
            if (!user.matches("[A-Za-z0-9._-]+") || !password.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("test users and passwords: letters, digits . _ - only");
            }
            passwords.append("    if ($var(user) == \"").append(user).append("\") { $var(pass) = \"")
                    .append(password).append("\"; }\n");
        });
        String cfg;
        try (InputStream in = KamailioProcess.class.getResourceAsStream("kamailio.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        cfg = cfg.replace("@PORT@", String.valueOf(port))
                .replace("@MAX_EXPIRES@", String.valueOf(maxExpires)).replace("@PASSWORDS@", passwords);
        return startWith(dir, cfg, port);
    }

    /**
     * Starts Kamailio with the configuration {@code cfg}, whose {@code @CTL@} is replaced by the control socket
     * (load ctl.so with {@code modparam("ctl", "binrpc", "unix:@CTL@")}); returns once it answers there.
     * {@code port} is what {@link #port()} reports.
     */
    public static KamailioProcess startWith(Path dir, String cfg, int port) throws IOException, InterruptedException {
        if (!SippProcess.onPath("kamailio") || !SippProcess.onPath("kamcmd")) {
            throw new IllegalStateException("Kamailio is not installed: apt-get install -y kamailio");
        }
        Files.createDirectories(dir);
        Path ctl = dir.resolve("kamailio_ctl");
        Files.deleteIfExists(ctl);
        cfg = cfg.replace("@CTL@", ctl.toString());
        Path file = dir.resolve("kamailio.cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder("kamailio", "-f", file.toString(), "-DD", "-E", "-m", "32", "-M", "8",
                "-P", dir.resolve("kamailio.pid").toString(), "-Y", dir.toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        KamailioProcess k = new KamailioProcess(p, dir, ctl, port);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("kamailio exited at start:\n" + k.log());
                }
                if (Files.exists(ctl) && k.rpc("core.version").exitCode == 0) {
                    return k;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("kamailio did not answer on " + ctl + " within 15 s:\n" + k.log());
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            k.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** {@code sip:127.0.0.1:port}, e.g. for a registrar setting. */
    public String uri() {
        return "sip:127.0.0.1:" + port;
    }

    private record Rpc(int exitCode, String output) {}

    private Rpc rpc(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("kamcmd", "-s", "unix:" + ctl));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Rpc(-1, "kamcmd timed out");
        }
        return new Rpc(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The registrar's location table ({@code kamcmd ul.dump}): every AOR with its contacts, CSeq, expiry. */
    public String locationTable() throws IOException, InterruptedException {
        Rpc r = rpc("ul.dump");
        if (r.exitCode != 0) {
            throw new IllegalStateException("kamcmd ul.dump failed: " + r.output);
        }
        return r.output;
    }

    /** Polls the location table until {@code condition} holds; returns it, or throws with the table. */
    public String awaitLocation(Predicate<String> condition, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String table = locationTable();
        while (!condition.test(table)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Kamailio's location table never showed " + what + " within " + timeout
                        + ":\n" + table);
            }
            Thread.sleep(200);
            table = locationTable();
        }
        return table;
    }

    public String log() {
        try {
            String text = Files.readString(dir.resolve("kamailio.log"), StandardCharsets.ISO_8859_1);
            return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 5 s; by this process's PID only. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
