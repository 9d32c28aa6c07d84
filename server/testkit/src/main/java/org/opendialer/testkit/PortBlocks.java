package org.opendialer.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;

/**
 * Blocks of ports free for both UDP and TCP on 127.0.0.1, for tests that start real peers: each block is
 * {@code width} consecutive ports (SIPp binds port+2 to port+5 for its media; RTP wants port+1 for RTCP),
 * taken every {@code step} ports within [min, max], starting at a per-process offset so that parallel test
 * JVMs rarely try the same ports.
 */
public final class PortBlocks {
    private final int min;
    private final int max;
    private final int step;
    private final int width;
    private int next;

    public PortBlocks(int min, int max, int step, int width) {
        if (min < 1024 || max > 65535 - width || step < width || min > max) {
            throw new IllegalArgumentException("bad port blocks " + min + "-" + max + " step " + step + " width " + width);
        }
        this.min = min;
        this.max = max;
        this.step = step;
        this.width = width;
        int blocks = (max - min) / step + 1;
        this.next = min + (int) (ProcessHandle.current().pid() % blocks) * step;
    }

    /** The first port of a free block; throws when a whole pass over the range found none. */
    public synchronized int next() {
        int blocks = (max - min) / step + 1;
        for (int i = 0; i < blocks; i++) {
            int port = next;
            next = next + step > max ? min : next + step;
            if (IntStream.range(port, port + width).allMatch(PortBlocks::free)) {
                return port;
            }
        }
        throw new IllegalStateException("no free block of " + width + " ports in " + min + "-" + max);
    }

    private static boolean free(int port) {
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
