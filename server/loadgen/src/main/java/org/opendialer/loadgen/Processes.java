package org.opendialer.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops a child by its PID and reads its CPU time and RSS from /proc. */
final class Processes {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat on Linux. */
    static final long CLOCK_TICKS = 100;

    private Processes() {
    }

    /** SIGINT (rtpengine takes SIGTERM slowly), then SIGKILL after 10 s. */
    static void interruptAndWait(Process process, String what) {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                System.err.println(what + " ignored SIGINT for 10 s; killing PID " + process.pid());
                process.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {user, system} CPU time in clock ticks. */
    static long[] cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": f[0] is field 3 (state); utime is field 14, stime field 15
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }

    /** VmRSS in KiB, or -1. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /**
     * Datagrams the kernel dropped because a socket's receive buffer was full (the "drops" column of
     * /proc/net/udp), summed over {relay's sockets, load generator's sockets} as told apart by port.
     */
    static long[] udpDrops(java.util.function.IntPredicate relayPort, java.util.function.IntPredicate loadgenPort) {
        long[] drops = new long[2];
        // Java's DatagramChannel.open() makes IPv6 sockets (127.0.0.1 as ::ffff:127.0.0.1, in udp6); rtpengine's are IPv4
        for (String file : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            try {
                List<String> lines = Files.readAllLines(Path.of(file));
                for (int i = 1; i < lines.size(); i++) {
                    String[] f = lines.get(i).trim().split("\\s+");
                    if (f.length < 13) {
                        continue;
                    }
                    String local = f[1];
                    int colon = local.indexOf(':');
                    String ip = local.substring(0, colon);
                    if (!ip.equals("0100007F") && !ip.equals("0000000000000000FFFF00000100007F")) {
                        continue; // 127.0.0.1 only
                    }
                    int port = Integer.parseInt(local.substring(colon + 1), 16);
                    long d = Long.parseLong(f[f.length - 1]);
                    if (relayPort.test(port)) {
                        drops[0] += d;
                    } else if (loadgenPort.test(port)) {
                        drops[1] += d;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new long[] {-1, -1};
            }
        }
        return drops;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
