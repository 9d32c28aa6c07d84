package org.opendialer.media.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The passive ICE-TCP candidate (RFC 6544): browsers that cannot send UDP connect here and run
 * STUN, DTLS and SRTP over RFC 4571 framing into the same legs as the UDP port. One thread and
 * one selector for every connection. A connection must bind to a leg with a valid STUN check within
 * {@link #UNBOUND_TIMEOUT_NANOS} and stays bound to that leg; at most {@link #MAX_CONNECTIONS} are
 * open at once (decisions/0010).
 */
final class IceTcpListener implements AutoCloseable {
    static final int MAX_CONNECTIONS = 4096;
    static final long UNBOUND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** As the UDP port: larger than any packet a browser sends. */
    static final int MAX_FRAME = 2047;

    private final WebRtcEndpoint endpoint;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final int port;
    private volatile boolean closed;

    private IceTcpListener(WebRtcEndpoint endpoint, ServerSocketChannel server, Selector selector) throws IOException {
        this.endpoint = endpoint;
        this.server = server;
        this.selector = selector;
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        this.thread = new Thread(this::run, "webrtc-tcp-" + port);
        this.thread.setDaemon(true);
    }

    static IceTcpListener open(WebRtcEndpoint endpoint, InetSocketAddress bind) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bind, 256);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            IceTcpListener listener = new IceTcpListener(endpoint, server, selector);
            listener.thread.start();
            return listener;
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    int localPort() {
        return port;
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        byte[] buf = buffer.array();
        long nextSweep = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!closed) {
            try {
                selector.select(1000);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key, buffer, buf);
                    }
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    nextSweep = now + TimeUnit.SECONDS.toNanos(1);
                    sweep(now);
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel = server.accept();
        if (channel == null) {
            return;
        }
        if (selector.keys().size() > MAX_CONNECTIONS) {
            endpoint.dropped();
            channel.close();
            return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        IceTcpConnection connection = new IceTcpConnection(channel, (InetSocketAddress) channel.getRemoteAddress(),
                MAX_FRAME);
        channel.register(selector, SelectionKey.OP_READ, connection);
    }

    private void read(SelectionKey key, ByteBuffer buffer, byte[] buf) {
        IceTcpConnection connection = (IceTcpConnection) key.attachment();
        buffer.clear();
        int n;
        try {
            n = connection.channel().read(buffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            close(key, connection);
            return;
        }
        boolean ok = connection.decoder().feed(buf, 0, n, (b, off, len) -> {
            try {
                endpoint.dispatchTcp(b, off, len, connection);
            } catch (RuntimeException e) {
                // One bad packet or listener must not stop every other connection.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        });
        if (!ok) {
            endpoint.dropped(); // a length over the limit: not ICE-TCP, the stream cannot be reframed
            close(key, connection);
        } else if (connection.isClosed()) {
            key.cancel();
        }
    }

    /** Closes connections that never bound to a leg in time, or whose leg has ended. */
    private void sweep(long now) {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof IceTcpConnection connection) {
                WebRtcLeg leg = connection.leg();
                boolean stale = leg == null ? now - connection.openedNanos() > UNBOUND_TIMEOUT_NANOS : leg.isClosed();
                if (stale || connection.isClosed()) {
                    close(key, connection);
                }
            }
        }
    }

    private static void close(SelectionKey key, IceTcpConnection connection) {
        key.cancel();
        connection.close();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException | ClosedSelectorException ignored) {
            // closing anyway
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
