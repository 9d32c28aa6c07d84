package org.opendialer.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, throw-away PostgreSQL server from Debian's {@code postgresql} package: a fresh cluster in
 * a temp directory, listening on a free 127.0.0.1 port, with one database owned by a password user.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start()) {
 *     Database db = Database.open(pg.jdbcUrl(), pg.user(), pg.password());
 * }
 * }</pre>
 *
 * PostgreSQL refuses to run as root, so when the JVM is root the server runs as the {@code postgres}
 * system user (via {@code setpriv}, which execs, so the Process handle is the postmaster itself).
 * Missing binaries are an error, never a skip: {@code ./dialer test} installs the package.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String BIN_OVERRIDE = "OPENDIALER_PG_BIN";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String SERVER_USER = "postgres";

    private final Path baseDir;
    private final Process process;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Thread shutdownHook;

    private PostgresServer(Path baseDir, Process process, int port, String database, String user, String password) {
        this.baseDir = baseDir;
        this.process = process;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-server-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a server with a database named {@code opendialer}. */
    public static PostgresServer start() {
        return start("opendialer");
    }

    public static PostgresServer start(String database) {
        Path bin = findBinDir(System.getenv(BIN_OVERRIDE), Paths.get("/usr/lib/postgresql"));
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        String user = "opendialer";
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path base = null;
        try {
            base = Files.createTempDirectory("opendialer-pg-");
            Path data = base.resolve("data");
            Path pwfile = base.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (asRoot) {
                chownToServerUser(base);
                chownToServerUser(pwfile);
            }
            Path log = base.resolve("initdb.log");
            run(asRoot, log, Duration.ofSeconds(120), bin.resolve("initdb").toString(),
                    "-D", data.toString(), "-U", user, "--pwfile=" + pwfile, "--auth=scram-sha-256",
                    "--encoding=UTF8", "--locale=C", "--no-sync");
            Files.delete(pwfile);

            IOException lastFailure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Process server = launch(asRoot, bin, base, data, port);
                try {
                    awaitReady(bin, base, server, port, user, password);
                    run(false, base.resolve("createdb.log"), Duration.ofSeconds(30),
                            env(password), bin.resolve("createdb").toString(),
                            "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", user, database);
                    return new PostgresServer(base, server, port, database, user, password);
                } catch (IOException e) {
                    // Most likely the port was taken between probing and binding: try another one.
                    lastFailure = e;
                    stop(server);
                }
            }
            throw lastFailure;
        } catch (IOException e) {
            if (base != null) {
                deleteRecursively(base);
            }
            throw new UncheckedIOException("could not start PostgreSQL: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (base != null) {
                deleteRecursively(base);
            }
            throw new IllegalStateException("interrupted while starting PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public long pid() {
        return process.pid();
    }

    /** Fast shutdown (SIGINT: disconnect clients, no waiting), SIGKILL after 15 s, then removes the cluster. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to run: it does the same work
        }
        stopQuietly();
    }

    private void stopQuietly() {
        stop(process);
        deleteRecursively(baseDir);
    }

    private static void stop(Process server) {
        if (!server.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(server.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(5, TimeUnit.SECONDS);
            if (!server.waitFor(15, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            server.destroyForcibly();
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The override directory if given, else the highest {@code <root>/<version>/bin} holding postgres and initdb. */
    static Path findBinDir(String override, Path root) {
        if (override != null && !override.isBlank()) {
            Path bin = Paths.get(override);
            if (Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"))) {
                return bin;
            }
            throw new IllegalStateException(BIN_OVERRIDE + "=" + override + " does not contain postgres and initdb");
        }
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
                for (Path version : versions) {
                    Path bin = version.resolve("bin");
                    if (Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"))) {
                        candidates.add(bin);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // Highest major version first ("15" > "9.6" numerically).
        return candidates.stream()
                .max(Comparator.comparingDouble(p -> parseVersion(p.getParent().getFileName().toString())))
                .orElseThrow(() -> new IllegalStateException(
                        "PostgreSQL server binaries not found under " + root + "/*/bin. Install them with"
                                + " `apt-get install -y postgresql` (./dialer test does this) or set " + BIN_OVERRIDE));
    }

    private static double parseVersion(String name) {
        try {
            return Double.parseDouble(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Process launch(boolean asRoot, Path bin, Path base, Path data, int port) throws IOException {
        List<String> command = asServerUser(asRoot, List.of(bin.resolve("postgres").toString(),
                "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + base,
                // Durability is worthless for a throw-away test cluster; speed is not.
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=50"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("server.log").toFile()))
                .start();
    }

    private static void awaitReady(Path bin, Path base, Process server, int port, String user, String password)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IOException("postgres exited with " + server.exitValue() + ": " + tail(base.resolve("server.log")));
            }
            Process probe = new ProcessBuilder(bin.resolve("pg_isready").toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", user, "-d", "postgres", "-t", "2")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
            probe.destroyForcibly();
            Thread.sleep(100);
        }
        throw new IOException("postgres did not accept connections within " + START_TIMEOUT.toSeconds() + " s: "
                + tail(base.resolve("server.log")));
    }

    private static List<String> asServerUser(boolean asRoot, List<String> command) {
        if (!asRoot) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SERVER_USER, "--regid=" + SERVER_USER,
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static String[] env(String password) {
        return new String[] {"PGPASSWORD=" + password};
    }

    private static void run(boolean asRoot, Path log, Duration timeout, String... command)
            throws IOException, InterruptedException {
        run(asRoot, log, timeout, new String[0], command);
    }

    private static void run(boolean asRoot, Path log, Duration timeout, String[] env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(asServerUser(asRoot, List.of(command)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        for (String pair : env) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Process p = builder.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(command[0] + " timed out: " + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IOException(command[0] + " exited with " + p.exitValue() + ": " + tail(log));
        }
    }

    private static void chownToServerUser(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        UserPrincipal owner;
        GroupPrincipal group;
        try {
            owner = lookup.lookupPrincipalByName(SERVER_USER);
            group = lookup.lookupPrincipalByGroupName(SERVER_USER);
        } catch (IOException e) {
            throw new IOException("running as root needs the '" + SERVER_USER + "' system user (created by the"
                    + " postgresql package) to run the server as", e);
        }
        view.setOwner(owner);
        view.setGroup(group);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file must not fail the test that used the server
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[" + jdbcUrl() + ", pid " + process.pid() + "]";
    }
}
