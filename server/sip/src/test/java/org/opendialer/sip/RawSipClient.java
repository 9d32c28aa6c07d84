package org.opendialer.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends raw bytes and OPTIONS probes to a SIP port, with no SIP stack in the way. */
final class RawSipClient {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private RawSipClient() {
    }

    static void sendUdp(int port, byte[] bytes) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    /** Writes bytes on a fresh TCP connection and closes it after {@code lingerMillis}. */
    static void sendTcp(int port, byte[] bytes, int lingerMillis) throws IOException, InterruptedException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            Thread.sleep(lingerMillis);
        }
    }

    /** An OPTIONS over UDP; returns the response text, or null when none arrives within the timeout. */
    static String optionsOverUdp(int port, int timeoutMillis) throws IOException {
        return optionsOverUdp(port, timeoutMillis, java.util.function.UnaryOperator.identity());
    }

    /** As above, with the OPTIONS text changed by {@code edit} before it is sent. */
    static String optionsOverUdp(int port, int timeoutMillis, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] request = edit.apply(options("UDP", s.getLocalPort(), port)).getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
            s.setSoTimeout(timeoutMillis);
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
                return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return null;
            }
        }
    }

    /** An OPTIONS over a new TCP connection; returns the response head, or null on timeout. */
    static String optionsOverTcp(int port, int timeoutMillis) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(options("TCP", s.getLocalPort(), port).getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                int c;
                while ((c = in.read()) >= 0) {
                    head.write(c);
                    if (head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                return null;
            }
            return head.size() == 0 ? null : head.toString(StandardCharsets.UTF_8);
        }
    }

    private static String options(String transport, int localPort, int port) {
        int n = SEQ.incrementAndGet();
        return "OPTIONS sip:probe@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=z9hG4bK-probe-" + n
                + "-" + System.nanoTime() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=probe" + n + "\r\n"
                + "To: <sip:probe@127.0.0.1:" + port + ">\r\n"
                + "Call-ID: probe-" + n + "-" + System.nanoTime() + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
