package org.opendialer.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Even ports free for UDP and TCP on 127.0.0.1, with the next one free too (RTP/RTCP pairs), in 25000-29999:
 * the range the PBX-mode tests keep to, clear of the other suites' ports. Starts at a per-process offset.
 */
public final class LoopbackPorts {
    private static int next = 25000 + (int) (ProcessHandle.current().pid() % 400) * 10;

    private LoopbackPorts() {
    }

    public static synchronized int next() {
        for (int i = 0; i < 2500; i++) {
            int port = next;
            next = next + 2 > 29990 ? 25000 : next + 2;
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in 25000-29999");
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
