package org.opendialer.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dnsmasq (Debian package dnsmasq-base) as a loopback DNS server for the zone {@code test.}: it answers the
 * records it is given (dnsmasq lines such as {@code host-record=a.trunk.test,127.0.0.2},
 * {@code srv-host=_sip._udp.trunk.test,a.trunk.test,5070,10,100},
 * {@code naptr-record=trunk.test,10,50,S,SIP+D2U,,_sip._udp.trunk.test}) with the given TTL and NXDOMAIN for
 * every other name under {@code test.}; nothing is forwarded anywhere. Runs in the foreground with its Process
 * handle kept and is stopped by PID in {@link #close()}; its log is dir/dnsmasq.log.
 */
public final class DnsmasqProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private DnsmasqProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts dnsmasq on UDP and TCP 127.0.0.1:{@code port}; returns once it answers a query. */
    public static DnsmasqProcess start(Path dir, int port, List<String> records, int ttlSeconds)
            throws IOException, InterruptedException {
        if (!SippProcess.onPath("dnsmasq")) {
            throw new IllegalStateException("dnsmasq is not installed: apt-get install -y dnsmasq-base");
        }
        Files.createDirectories(dir);
        for (String r : records) {
            if (r.contains("\n") || !r.matches("(host-record|srv-host|naptr-record|cname)=[A-Za-z0-9._+,:-]*")) {
                throw new IllegalArgumentException("not a record line: " + r);
            }
        }
        String conf = String.join("\n", List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
                "no-resolv", "no-hosts", "no-poll", "no-daemon", "local=/test/", "local-ttl=" + ttlSeconds,
                "log-queries", "log-facility=-", "user=root", "group=root", "cache-size=0",
                "pid-file=" + dir.resolve("dnsmasq.pid"))) + "\n" + String.join("\n", records) + "\n";
        Path file = dir.resolve("dnsmasq.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("dnsmasq", "--conf-file=" + file).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        DnsmasqProcess dns = new DnsmasqProcess(process, dir, port);
        try {
            dns.awaitAnswering(Duration.ofSeconds(10));
        } catch (IOException | RuntimeException | InterruptedException e) {
            dns.close();
            throw e;
        }
        return dns;
    }

    public int port() {
        return port;
    }

    /** "127.0.0.1:PORT", the form DIALER_SIP_DNS_SERVER takes. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The queries dnsmasq logged (log-queries), for assertion messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("dnsmasq.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitAnswering(Duration timeout) throws IOException, InterruptedException {
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'r', 'e', 'a', 'd', 'y', 4, 't', 'e',
                's', 't', 0, 0, 1, 0, 1};
        long deadline = System.nanoTime() + timeout.toNanos();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dnsmasq exited: " + log());
                }
                socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
                try {
                    socket.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException e) {
                    // not listening yet
                }
            }
        }
        throw new IllegalStateException("dnsmasq did not answer on port " + port + " within " + timeout + ": " + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
