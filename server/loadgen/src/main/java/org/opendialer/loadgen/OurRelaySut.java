package org.opendialer.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Our relay ({@code org.opendialer.media.relay.MediaRelay}) in its own JVM, {@link RelayServerMain},
 * driven over its stdin/stdout line protocol (see that class). Started with the class path of
 * this JVM; extra JVM options come from the system property {@code relay.jvmOpts}.
 */
final class OurRelaySut implements SystemUnderTest {
    private final Process process;
    private final BufferedReader in;
    private final Writer out;

    OurRelaySut(int webRtcPort, int portMin, int portMax, Path logFile) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getProperty("relay.jvmOpts", "");
        for (String o : opts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.opendialer.loadgen.RelayServerMain",
                "--webrtc-port", Integer.toString(webRtcPort), "--rtp-ports", portMin + "-" + portMax));
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = in.readLine();
        while (first != null && !first.startsWith("ready")) {
            first = in.readLine(); // e.g. JFR's "Started recording" when relay.jvmOpts asks for one
        }
        if (first == null) {
            close();
            throw new IOException("relay server did not start (" + first + "); see " + logFile);
        }
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public synchronized Leg setup(int id, String browserOffer, InetSocketAddress sipSide) throws IOException {
        String reply = command("call " + id + " " + sipSide.getHostString() + " " + sipSide.getPort() + " "
                + Base64.getEncoder().encodeToString(browserOffer.getBytes(StandardCharsets.UTF_8)));
        String[] f = reply.split(" ");
        if (!f[0].equals("ok") || f.length != 5) {
            throw new IOException("relay: " + reply);
        }
        String answer = new String(Base64.getDecoder().decode(f[4]), StandardCharsets.UTF_8);
        return new Leg(answer, new InetSocketAddress(f[2], Integer.parseInt(f[3])));
    }

    @Override
    public synchronized void teardown(int id) throws IOException {
        command("close " + id);
    }

    @Override
    public synchronized String stats() {
        try {
            return command("stats").replaceFirst("^stats ", "");
        } catch (IOException e) {
            return "?";
        }
    }

    private String command(String line) throws IOException {
        out.write(line + "\n");
        out.flush();
        String reply = in.readLine();
        if (reply == null) {
            throw new IOException("relay server exited");
        }
        return reply;
    }

    @Override
    public void close() {
        try {
            out.write("quit\n");
            out.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                Processes.interruptAndWait(process, "relay server");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
