package org.opendialer.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
