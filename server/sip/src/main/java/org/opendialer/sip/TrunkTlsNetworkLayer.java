package org.opendialer.sip;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JAIN-SIP network layer (property {@code gov.nist.javax.sip.NETWORK_LAYER}) of an agent with a TLS trunk.
 * The RI's own SslNetworkLayer checks the certificate chain but never the host name, and with client
 * authentication off it trusts every certificate. Here every TLS connection we open is verified as an HTTPS
 * client verifies its server (RFC 5922 7.2): the chain against DIALER_SIP_TLS_CA_FILE or the JVM's trust store,
 * validity dates, and the trunk's host name (or the IP address we connect to) in the certificate's
 * subjectAltName. A refused certificate is logged once as a WARNING naming the reason; the handshake fails, so
 * the request fails at once as a transport error.
 *
 * <p>With a certificate of our own ({@link #SERVER_CERT}, {@link #SERVER_KEY}) the TLS port takes connections a
 * carrier opens itself ({@link InboundTlsServerSocket}: bounded handshakes, a cap on open connections).
 *
 * <p>Plain UDP and TCP sockets are the RI's defaults. The stack instantiates this class by name and hands it
 * the stack, whose configuration carries the properties below.
 */
public final class TrunkTlsNetworkLayer implements NetworkLayer {
    /** Stack property: PEM file of the CA certificates to trust; absent means the JVM's trust store. */
    static final String CA_FILE = "org.opendialer.sip.TLS_CA_FILE";
    /** Stack property: the trunk's configured host name, verified against its certificate. */
    static final String TRUNK_HOST = "org.opendialer.sip.TLS_TRUNK_HOST";
    /** Stack property: PEM certificate chain of our own TLS identity; absent means the TLS port cannot serve. */
    static final String SERVER_CERT = "org.opendialer.sip.TLS_SERVER_CERT";
    /** Stack property: the PEM private key of {@link #SERVER_CERT}. */
    static final String SERVER_KEY = "org.opendialer.sip.TLS_SERVER_KEY";
    /** Stack property: how many inbound TLS connections may be open at once. */
    static final String MAX_INBOUND = "org.opendialer.sip.TLS_MAX_INBOUND";
    /** The RI's bound on a TLS handshake, also ours for inbound connections. */
    static final String HANDSHAKE_TIMEOUT = "gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT";
    private static final System.Logger LOG = System.getLogger(TrunkTlsNetworkLayer.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 8000;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final NetworkLayer plain = DefaultNetworkLayer.SINGLETON;
    private SSLContext context;
    private SSLContext serverContext;
    private int maxInbound;
    private java.time.Duration handshakeTimeout;
    private String trunkHost;

    public TrunkTlsNetworkLayer() {
    }

    @Override
    public void setSipStack(SipStackImpl stack) {
        Properties p = stack.getConfigurationProperties();
        trunkHost = p.getProperty(TRUNK_HOST);
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new LoggingTrustManager(trustManager(p.getProperty(CA_FILE)))}, null);
        } catch (GeneralSecurityException | IOException e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "cannot set up TLS toward the trunk: " + e.getMessage(), e);
        }
        maxInbound = Integer.parseInt(p.getProperty(MAX_INBOUND, String.valueOf(TrunkOptions.DEFAULT_TLS_MAX_CONNECTIONS)));
        handshakeTimeout = java.time.Duration.ofMillis(Long.parseLong(p.getProperty(HANDSHAKE_TIMEOUT, "10000")));
        String cert = p.getProperty(SERVER_CERT);
        serverContext = cert == null ? context : serverContext(cert, p.getProperty(SERVER_KEY));
    }

    /**
     * An SSL context that presents our certificate chain and key (PEM files).
     *
     * @throws SipAgentException INVALID_SETTINGS naming the file that cannot be used
     */
    static SSLContext serverContext(String certFile, String keyFile) {
        try {
            char[] password = new char[0];
            KeyStore identity = PemKeyStore.load(Path.of(certFile), Path.of(keyFile), password);
            javax.net.ssl.KeyManagerFactory keys =
                    javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, password);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(keys.getKeyManagers(), null, null);
            return c;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "cannot use the SIP TLS certificate "
                    + certFile + " with key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's PKIX trust manager over {@code caFile}'s certificates, or over the JVM's trust store. */
    static X509ExtendedTrustManager trustManager(String caFile) throws GeneralSecurityException, IOException {
        KeyStore roots = null;
        if (caFile != null && !caFile.isBlank()) {
            roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(caFile))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    roots.setCertificateEntry("ca" + i++, c);
                }
                if (i == 0) {
                    throw new CertificateException("no certificate in " + caFile);
                }
            }
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(roots);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        Socket tcp = new Socket();
        try {
            if (myAddress != null) {
                tcp.bind(new InetSocketAddress(myAddress, 0));
            }
            tcp.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
            // Layered with the name we expect, so the handshake verifies that name (and sends it as SNI).
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, expectedName(address), port, true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setProtocols(PROTOCOLS);
            tls.setSSLParameters(params);
            tls.setUseClientMode(true);
            return tls;
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /** The trunk's configured name when {@code address} is one of its addresses, else the address itself. */
    private String expectedName(InetAddress address) {
        if (trunkHost != null) {
            try {
                for (InetAddress a : InetAddress.getAllByName(trunkHost)) {
                    if (a.equals(address)) {
                        return trunkHost.startsWith("[") ? trunkHost.substring(1, trunkHost.length() - 1) : trunkHost;
                    }
                }
            } catch (IOException e) {
                // unresolvable now: verify against the address we reach
            }
        }
        return address.getHostAddress();
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        // Without a certificate of our own every handshake fails (logged): a TLS trunk then sends its requests
        // over the connection we opened (RFC 5923 style reuse).
        return new InboundTlsServerSocket(plain.createServerSocket(port, backlog, bindAddress), serverContext,
                maxInbound, handshakeTimeout);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return plain.createServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return plain.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return plain.createSocket(address, port, myAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return plain.createSocket(address, port, myAddress, myPort);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return plain.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return plain.createDatagramSocket(port, bindAddress);
    }

    /** A request's transport failure in a few words: the TLS reason when the handshake failed. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException c) {
                return "TLS: the trunk's certificate is " + reason(c);
            }
            if (t instanceof javax.net.ssl.SSLException s) {
                for (Throwable u = s.getCause(); u != null; u = u.getCause()) {
                    if (u instanceof CertificateException c) {
                        return "TLS: the trunk's certificate is " + reason(c);
                    }
                }
                return "TLS handshake failed: " + s.getMessage();
            }
        }
        return "transport error";
    }

    /** Why a certificate was refused, in words an operator can act on. */
    static String reason(CertificateException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateExpiredException) {
                return "expired";
            }
            if (t instanceof java.security.cert.CertificateNotYetValidException) {
                return "not yet valid";
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return "issued for another name (host name mismatch)";
            }
            if (t instanceof java.security.cert.CertPathBuilderException || m.contains("PKIX path building")) {
                return "not issued by a trusted CA";
            }
            if (t instanceof java.security.cert.CertPathValidatorException v && v.getReason()
                    == java.security.cert.CertPathValidatorException.BasicReason.EXPIRED) {
                return "expired";
            }
        }
        return "refused";
    }

    /** Delegates every check; a refused server certificate is logged with its reason before the handshake fails. */
    private static final class LoggingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        LoggingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                String peer = socket == null ? "?" : socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
                String name = socket instanceof SSLSocket s && s.getHandshakeSession() != null
                        ? s.getHandshakeSession().getPeerHost() : "?";
                LOG.log(System.Logger.Level.WARNING, "TLS to the trunk " + name + " (" + peer + ") refused: its certificate "
                        + subject(chain) + " is " + reason(e) + " (" + e.getMessage() + ")");
                throw e;
            }
        }

        private static String subject(X509Certificate[] chain) {
            return chain == null || chain.length == 0 ? "(none)" : "'" + chain[0].getSubjectX500Principal().getName() + "'";
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
