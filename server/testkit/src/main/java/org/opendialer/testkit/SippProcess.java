package org.opendialer.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp process (Debian package sip-tester) with its logs in a folder of its own. Keeps the Process
 * handle and stops it by PID in {@link #close()}. The tests' scenario launchers build the command line;
 * this class runs it and reads what SIPp wrote. SIPp's logs are read as ISO-8859-1, the charset its
 * scenario files are declared in.
 */
public final class SippProcess implements AutoCloseable {
    private static final int LOG_TAIL_CHARS = 6000;

    private final Process process;
    /**
     * Even ports with the next five free too (a SIPp media port binds port..port+3 for audio and video), free for
     * UDP and TCP (a SIP agent binds both), in blocks of ten in 23000-24999: below Linux's ephemeral range, where
     * an OS-chosen port could be taken by an outgoing TCP connection between the check and the bind.
     */
    private static final PortBlocks EVEN_PAIRS = new PortBlocks(23000, 24990, 10, 6);

    private final Path dir;

    private SippProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
    }

    /** Starts {@code sipp} with {@code arguments} in {@code dir}; its screen output goes to dir/screen.log. */
    public static SippProcess start(List<String> arguments, Path dir) throws IOException {
        if (!onPath("sipp")) {
            throw new IllegalStateException("SIPp is not installed: apt-get install -y sip-tester");
        }
        Files.createDirectories(dir);
        // A directory used by an earlier run (same scenario and port) keeps that run's logs; SIPp names its logs
        // after its PID, so messages() could read the old one.
        try (var old = Files.list(dir)) {
            for (Path f : old.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                Files.deleteIfExists(f);
            }
        }
        List<String> command = new ArrayList<>(List.of("sipp"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("screen.log").toFile()).start();
        return new SippProcess(process, dir);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for SIPp to finish; 0 means every step of its scenario happened as written. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("SIPp still running after " + timeout + "\n" + logs());
        }
        return process.exitValue();
    }

    /**
     * Waits until SIPp listens on TCP {@code port}, read from /proc/net/tcp without connecting (a
     * probe connection would count as a call). A refused TCP connect fails an INVITE at once, with no
     * retransmission as over UDP, so a TCP trunk must be listening before the first call.
     */
    public void awaitTcpListening(int port, Duration timeout) throws IOException, InterruptedException {
        String local = String.format(":%04X ", port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("SIPp not listening on TCP " + port + "\n" + logs());
    }

    /**
     * Every SIP message SIPp sent or received, in full (needs -trace_msg); empty while SIPp has exchanged
     * none (it creates the log at the first message).
     */
    public String messages() {
        try (var files = Files.list(dir)) {
            Path log = files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).findFirst()
                    .orElse(null);
            return log == null ? "" : Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tail of each SIPp log (screen, errors, messages), for assertion messages. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (f.getFileName().toString().endsWith(".log")) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    b.append("--- ").append(f.getFileName()).append('\n')
                            .append(text.length() > LOG_TAIL_CHARS ? text.substring(text.length() - LOG_TAIL_CHARS) : text);
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

    /** A free even UDP port on loopback (even: SIPp's media port and ours follow the RTP convention). */
    public static int freeEvenUdpPort() throws IOException {
        try {
            return EVEN_PAIRS.next();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/bin", program));
    }
}
