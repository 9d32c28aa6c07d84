package org.opendialer.media.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's DTLS reads datagrams by blocking on a transport; the gateway's one shared UDP
 * port cannot hand its socket to every session, so the demultiplexer {@link #offer}s each DTLS
 * datagram here and BouncyCastle takes it from the queue. Sends go straight to a sink.
 */
public final class QueuedDatagramTransport implements DatagramTransport {
    /** Leaves room for IP, UDP and a TURN header on a 1280-byte IPv6 path. */
    public static final int SEND_LIMIT = 1200;
    static final int RECEIVE_LIMIT = 1500;
    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> inbound;
    private final DatagramSink sink;
    private volatile boolean closed;

    public QueuedDatagramTransport(DatagramSink sink, int capacity) {
        this.sink = sink;
        this.inbound = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Queues one received datagram (copied). Returns false when the queue is full or closed:
     * DTLS retransmits, so dropping under pressure is safe and bounds memory per peer.
     */
    public boolean offer(byte[] buf, int off, int len) {
        if (closed || len > RECEIVE_LIMIT) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        return inbound.offer(copy);
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /** Returns -1 on timeout, as BouncyCastle expects; throws once closed. */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] datagram;
        try {
            datagram = inbound.poll(Math.max(waitMillis, 0), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for DTLS");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED) {
            throw new IOException("transport closed");
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        sink.send(buf, off, len);
    }

    /** Wakes a blocked reader; later receives and sends fail. */
    @Override
    public void close() {
        closed = true;
        inbound.clear();
        inbound.offer(CLOSED);
    }
}
