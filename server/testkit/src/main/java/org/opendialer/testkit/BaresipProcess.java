package org.opendialer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * baresip (Debian package baresip-core) as a real phone: registers one account, auto-answers, and is
 * driven over ctrl_tcp (netstring JSON). Its config lives in a folder of its own; the Process handle is
 * kept and it is stopped by PID in {@link #close()} (SIGTERM waits for its un-REGISTER: close it before
 * the registrar). Audio goes to ALSA's null device.
 */
public final class BaresipProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Socket control;
    private final List<String> events = new ArrayList<>();
    private final Thread reader;

    private BaresipProcess(Process process, Path dir, Socket control) {
        this.process = process;
        this.dir = dir;
        this.control = control;
        this.reader = new Thread(this::readEvents, "baresip-ctrl");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts baresip with the account {@code sip:user@registrarHostPort} (password {@code password}),
     * listening for SIP on 127.0.0.1:{@code sipPort} and for commands on 127.0.0.1:{@code ctrlPort},
     * RTP in {@code rtpPorts} ("min-max"). Returns once the control port accepts a connection.
     */
    public static BaresipProcess start(Path dir, String user, String password, String registrarHostPort,
                                       int sipPort, int ctrlPort, String rtpPorts)
            throws IOException, InterruptedException {
        if (!SippProcess.onPath("baresip")) {
            throw new IllegalStateException("baresip is not installed: apt-get install -y baresip-core");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + sipPort,
                "net_interface 127.0.0.1",
                "dns_server 127.0.0.1:53",
                "rtp_ports " + rtpPorts,
                "audio_player alsa,null",
                "audio_source alsa,null",
                "audio_alert alsa,null",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module alsa.so",
                "module_app account.so",
                "module_app menu.so",
                "module_app ctrl_tcp.so",
                "ctrl_tcp_listen 127.0.0.1:" + ctrlPort,
                "") + "\n");
        Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@" + registrarHostPort + ">;auth_pass="
                + password + ";answermode=auto;regint=60\n");
        Files.writeString(dir.resolve("contacts"), "");
        Process p = new ProcessBuilder("baresip", "-f", dir.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("baresip.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("baresip exited at start:\n" + tail(dir));
            }
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", ctrlPort), 500);
                return new BaresipProcess(p, dir, s);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    p.destroy();
                    throw new IllegalStateException("baresip's ctrl_tcp did not open within 15 s:\n" + tail(dir));
                }
                Thread.sleep(100);
            }
        }
    }

    /** Sends a command, e.g. {@code dial sip:1001@127.0.0.1:25060} or {@code hangup}. */
    public synchronized void command(String command, String params) throws IOException {
        String json = "{\"command\":\"" + command + "\",\"params\":\"" + params + "\",\"token\":\"t\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = control.getOutputStream();
        out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.write(',');
        out.flush();
    }

    /** Waits for an event or response whose JSON contains {@code fragment}, e.g. {@code "CALL_ESTABLISHED"}. */
    public String awaitEvent(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (String e : events) {
                    if (e.contains(fragment)) {
                        events.remove(e);
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("baresip never reported " + fragment + " within " + timeout
                            + "; events: " + events + "\n" + tail(dir));
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private void readEvents() {
        try {
            InputStream in = control.getInputStream();
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ':') {
                    if (c < 0) {
                        return;
                    }
                    length = length * 10 + (c - '0');
                }
                byte[] body = in.readNBytes(length);
                in.read(); // the closing ","
                synchronized (events) {
                    events.add(new String(body, StandardCharsets.UTF_8));
                    events.notifyAll();
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    public String log() {
        return tail(dir);
    }

    private static String tail(Path dir) {
        try {
            String text = Files.readString(dir.resolve("baresip.log"), StandardCharsets.ISO_8859_1);
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (baresip un-REGISTERs, then exits), then SIGKILL after 8 s; by this process's PID only. */
    @Override
    public void close() {
        try {
            control.close();
        } catch (IOException e) {
            // already closed
        }
        process.destroy();
        try {
            if (!process.waitFor(8, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
