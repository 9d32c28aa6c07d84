package org.opendialer.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One TLS connection a carrier opened to us, as the RI's TLS channel sees it: every call goes to the real
 * socket, except that the handshake is bounded ({@code handshakeTimeout} without a byte ends it) and never
 * throws. The RI's channel handles a handshake that throws by returning without its own clean-up, so each
 * failure kept a connection slot and the channel object for good (after MAX_CONNECTIONS failures the port
 * stopped accepting). Here a failed handshake logs one WARNING and closes the socket; the channel's first
 * read then fails and the RI releases the connection as for any peer that went away.
 */
final class InboundTlsSocket extends SSLSocket {
    private static final System.Logger LOG = System.getLogger(InboundTlsSocket.class.getName());

    /** One WARNING per kind of failure per 10 s, so a flood of bad clients costs one line each kind. */
    static final class Logs {
        final RateLimitedLog timeout = new RateLimitedLog(Duration.ofSeconds(10));
        final RateLimitedLog failed = new RateLimitedLog(Duration.ofSeconds(10));
    }

    private final SSLSocket tls;
    private final Duration handshakeTimeout;
    private final Logs logs;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    InboundTlsSocket(SSLSocket tls, Duration handshakeTimeout, Logs logs, Runnable onClose) {
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.logs = logs;
        this.onClose = onClose;
    }

    @Override
    public void startHandshake() {
        String peer = tls.getInetAddress().getHostAddress() + ":" + tls.getPort();
        try {
            int before = tls.getSoTimeout();
            tls.setSoTimeout((int) handshakeTimeout.toMillis());
            tls.startHandshake();
            tls.setSoTimeout(before);
        } catch (IOException | RuntimeException e) {
            // Closed under us during the handshake: the RI's watchdog (SSL_HANDSHAKE_TIMEOUT) gave up on it.
            if (e instanceof java.net.SocketTimeoutException || closed.get()) {
                logs.timeout.warn(LOG, "SIP TLS connection from " + peer + " closed: no handshake within "
                        + handshakeTimeout.toSeconds() + " s");
            } else {
                logs.failed.warn(LOG, "SIP TLS connection from " + peer + " closed: handshake failed ("
                        + e.getMessage() + ")");
            }
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // gone already
        }
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
        tls.close();
    }

    @Override
    public boolean isClosed() {
        return tls.isClosed();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return tls.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return tls.getOutputStream();
    }

    @Override
    public InetAddress getInetAddress() {
        return tls.getInetAddress();
    }

    @Override
    public int getPort() {
        return tls.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        return tls.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return tls.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return tls.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return tls.getLocalSocketAddress();
    }

    @Override
    public boolean isConnected() {
        return tls.isConnected();
    }

    @Override
    public boolean isBound() {
        return tls.isBound();
    }

    @Override
    public boolean isInputShutdown() {
        return tls.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return tls.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        tls.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        tls.shutdownOutput();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        tls.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return tls.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        tls.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return tls.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        tls.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return tls.getKeepAlive();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        tls.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return tls.getSoLinger();
    }

    @Override
    public String toString() {
        return "inbound " + tls;
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return tls.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        // the JDK's defaults (InboundTlsServerSocket)
    }

    @Override
    public String[] getSupportedProtocols() {
        return tls.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return tls.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        // TLS 1.3 and 1.2, set when accepted
    }

    @Override
    public SSLSession getSession() {
        return tls.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return tls.getHandshakeSession();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return tls.getSSLParameters();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        tls.addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        tls.removeHandshakeCompletedListener(listener);
    }

    @Override
    public void setUseClientMode(boolean mode) {
        tls.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return tls.getUseClientMode();
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
    public void setEnableSessionCreation(boolean flag) {
        tls.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return tls.getEnableSessionCreation();
    }
}
