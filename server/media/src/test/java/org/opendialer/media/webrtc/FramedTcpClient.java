package org.opendialer.media.webrtc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.opendialer.media.rtp.PacketKind;

/** A browser stand-in's ICE-TCP connection: RFC 4571 frames both ways; DTLS frames go to BouncyCastle. */
public final class FramedTcpClient implements DatagramTransport, AutoCloseable {
    public final Socket socket;
    public final BlockingQueue<byte[]> stun = new LinkedBlockingQueue<>();
    public final BlockingQueue<byte[]> dtls = new LinkedBlockingQueue<>();
    public final BlockingQueue<byte[]> srtp = new LinkedBlockingQueue<>();
    volatile boolean eof;
    private final OutputStream out;

    public FramedTcpClient(InetSocketAddress to) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(to, 5000);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "test-tcp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        Rfc4571Decoder decoder = new Rfc4571Decoder(65535);
        byte[] buf = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                decoder.feed(buf, 0, n, (b, off, len) -> {
                    byte[] p = Arrays.copyOfRange(b, off, off + len);
                    switch (PacketKind.of(p, 0, p.length)) {
                        case STUN -> stun.add(p);
                        case DTLS -> dtls.add(p);
                        default -> srtp.add(p);
                    }
                });
            }
        } catch (IOException ignored) {
            // closed
        }
        eof = true;
    }

    /** Writes raw bytes (tests write split or bad frames with this). */
    synchronized void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public synchronized void sendFrame(byte[] buf, int off, int len) throws IOException {
        byte[] framed = new byte[len + 2];
        Rfc4571Decoder.header(framed, 0, len);
        System.arraycopy(buf, off, framed, 2, len);
        writeRaw(framed);
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return 1400;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        try {
            byte[] p = dtls.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (p == null) {
                return -1;
            }
            System.arraycopy(p, 0, buf, off, Math.min(len, p.length));
            return Math.min(len, p.length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        sendFrame(buf, off, len);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
