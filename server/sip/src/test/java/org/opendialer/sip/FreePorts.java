package org.opendialer.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports free for both UDP and TCP on 127.0.0.1, with the next five free as well (SIPp binds port+2 to
 * port+5 for its audio and video RTP/RTCP). Walks blocks of ten in a range below the ephemeral ports,
 * starting at a per-process offset.
 */
final class FreePorts {
    private static final AtomicInteger NEXT =
            new AtomicInteger(21000 + (int) (ProcessHandle.current().pid() % 300) * 100);

    private FreePorts() {
    }

    static int next() {
        for (int i = 0; i < 2000; i++) {
            int port = NEXT.getAndAdd(10);
            if (port > 60000) {
                NEXT.set(21000);
                continue;
            }
            if (java.util.stream.IntStream.rangeClosed(port, port + 5).allMatch(FreePorts::free)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port");
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
