package org.opendialer.sandbox;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * SIPp ports in 30000-32999, free on UDP and TCP together with the next five (SIPp's media ports), in
 * blocks of ten from a per-process offset. The sandbox's own RTP uses 33000-34999.
 */
final class FreePorts {
    static final int RTP_MIN = 33000;
    static final int RTP_MAX = 34999;
    private static final int MIN = 30000;
    private static final int MAX = 32990;
    private static final AtomicInteger NEXT =
            new AtomicInteger(MIN + (int) (ProcessHandle.current().pid() % 299) * 10);

    private FreePorts() {
    }

    static int next() {
        for (int i = 0; i < 300; i++) {
            int port = NEXT.getAndAdd(10);
            if (port > MAX) {
                NEXT.set(MIN);
                continue;
            }
            if (IntStream.rangeClosed(port, port + 5).allMatch(FreePorts::free)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + MIN + "-" + MAX);
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket();
             DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
