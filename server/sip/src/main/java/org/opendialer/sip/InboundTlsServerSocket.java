package org.opendialer.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The SIP TLS port for connections a carrier opens itself, handed to the RI's TLS message processor by
 * {@link TrunkTlsNetworkLayer}. It accepts plain TCP and layers TLS (our certificate) over each connection, so
 * that it can refuse a connection beyond {@code maxConnections} at once (the RI's own processor would stop
 * accepting and leave it in the kernel's backlog), and wraps each in an {@link InboundTlsSocket} whose failed
 * or slow handshake ends the connection cleanly.
 *
 * <p>The RI's calls to set cipher suites are ignored: its list predates TLS 1.3 and ECDSA keys; the JDK's
 * defaults for TLS 1.3/1.2 are used. No client certificate is asked for (see decision 0023).
 */
final class InboundTlsServerSocket extends SSLServerSocket {
    private static final System.Logger LOG = System.getLogger(InboundTlsServerSocket.class.getName());
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ServerSocket tcp;
    private final SSLContext context;
    private final int maxConnections;
    private final Duration handshakeTimeout;
    private final AtomicInteger open = new AtomicInteger();
    private final RateLimitedLog refusedLog = new RateLimitedLog(Duration.ofSeconds(10));
    private final InboundTlsSocket.Logs handshakeLogs = new InboundTlsSocket.Logs();

    InboundTlsServerSocket(ServerSocket tcp, SSLContext context, int maxConnections, Duration handshakeTimeout)
            throws IOException {
        super();
        this.tcp = tcp;
        this.context = context;
        this.maxConnections = maxConnections;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** Connections accepted and not yet closed. */
    int openConnections() {
        return open.get();
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            Socket s = tcp.accept();
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                refusedLog.warn(LOG, "SIP TLS connection from " + s.getInetAddress().getHostAddress() + ":" + s.getPort()
                        + " refused: " + maxConnections + " are open (DIALER_SIP_TLS_MAX_CONNECTIONS)");
                closeQuietly(s);
                continue;
            }
            try {
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(s,
                        s.getInetAddress().getHostAddress(), s.getPort(), true);
                tls.setUseClientMode(false);
                tls.setEnabledProtocols(PROTOCOLS);
                tls.setNeedClientAuth(false);
                tls.setWantClientAuth(false);
                return new InboundTlsSocket(tls, handshakeTimeout, handshakeLogs, open::decrementAndGet);
            } catch (IOException | RuntimeException e) {
                open.decrementAndGet();
                closeQuietly(s);
                LOG.log(System.Logger.Level.WARNING, "SIP TLS connection from " + s.getInetAddress().getHostAddress()
                        + " dropped: " + e);
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }

    @Override
    public boolean isClosed() {
        return tcp.isClosed();
    }

    @Override
    public boolean isBound() {
        return tcp.isBound();
    }

    @Override
    public InetAddress getInetAddress() {
        return tcp.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return tcp.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return tcp.getLocalSocketAddress();
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        tcp.bind(endpoint, backlog);
    }

    @Override
    public void setSoTimeout(int timeout) throws java.net.SocketException {
        tcp.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws IOException {
        return tcp.getSoTimeout();
    }

    @Override
    public String toString() {
        return "SIP TLS " + (tcp.isBound() ? new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort()) : "unbound");
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return context.getDefaultSSLParameters().getCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        // the JDK's defaults (class comment)
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return context.getSupportedSSLParameters().getCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return context.getSupportedSSLParameters().getProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return PROTOCOLS.clone();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        // TLS 1.3 and 1.2 only, whatever the stack asks
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        // no client certificate is asked for (decision 0023)
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        // as above
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    @Override
    public void setUseClientMode(boolean mode) {
        if (mode) {
            throw new IllegalArgumentException("the SIP TLS port is a server");
        }
    }

    @Override
    public boolean getUseClientMode() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }
}
