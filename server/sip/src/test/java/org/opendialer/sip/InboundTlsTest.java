package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SIP TLS port taking connections a carrier opens itself (DIALER_SIP_TLS_CERT): a client verifying our
 * certificate against a CA made at test time gets answers; bad clients (garbage, no handshake, one connection
 * too many) are each closed with one WARNING and leave no thread, connection slot or channel behind.
 */
@Timeout(120)
class InboundTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Path dir;
    private static TestPki.Issued ca;
    private static Path identity;
    @RegisterExtension
    static final WarningCapture WARNINGS = new WarningCapture(InboundTlsServerSocket.class, InboundTlsSocket.class);

    @AutoClose
    private SipUserAgent agent;
    private int tlsPort;

    @BeforeAll
    static void makeCertificates() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "inbound-tls");
        ca = TestPki.ca("opendialer gateway test CA");
        identity = TestPki.server(ca, "127.0.0.1", "localhost").write(dir, "gateway");
    }

    private void startAgent(int maxConnections) {
        tlsPort = FreePorts.next();
        SipSettings settings = new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1", null, null, null,
                Duration.ofSeconds(20), Duration.ofMillis(500), SourceAllowList.parse("127.0.0.1"));
        settings = settings.withTrunkOptions(settings.trunkOptions().withTls(tlsPort, null).withServerCertificate(
                identity.resolve("cert.pem").toString(), identity.resolve("key.pem").toString(), maxConnections));
        agent = new SipUserAgent(settings, InboundCallHandler.REJECT_ALL);
        agent.start();
        WARNINGS.clear();
    }

    /** A TLS client that verifies the gateway's certificate (chain to the test CA, name 127.0.0.1) as a carrier does. */
    private SSLSocket carrier() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        java.security.KeyStore roots = java.security.KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("ca", ca.certificate());
        javax.net.ssl.TrustManagerFactory f =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        f.init(roots);
        c.init(null, f.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) c.getSocketFactory().createSocket("127.0.0.1", tlsPort);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.setSoTimeout((int) WAIT.toMillis());
        s.startHandshake();
        return s;
    }

    /** Sends an OPTIONS over {@code s} and returns the status line of the answer. */
    private static String options(Socket s) throws IOException {
        String branch = "z9hG4bK-tls-" + System.nanoTime();
        String request = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort() + ";branch="
                + branch + "\r\nMax-Forwards: 70\r\nFrom: <sip:carrier@127.0.0.1>;tag=c1\r\nTo: <sip:127.0.0.1>\r\n"
                + "Call-ID: " + branch + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        StringBuilder line = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().strip();
    }

    /** Whether the gateway closed {@code s} (end of stream or reset) within {@code within}. */
    private static boolean closedByGateway(Socket s, Duration within) throws IOException {
        s.setSoTimeout((int) within.toMillis());
        try {
            byte[] buf = new byte[4096];
            while (true) {
                if (s.getInputStream().read(buf) == -1) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static Socket tcp(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    @Test
    void aCarrierThatOpensItsOwnTlsConnection_verifiesOurCertificate_andIsAnswered() throws Exception {
        startAgent(10);
        try (SSLSocket s = carrier()) {
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                            Files.newInputStream(identity.resolve("cert.pem"))));
            assertThat(options(s)).isEqualTo("SIP/2.0 200 OK");
        }
    }

    @Test
    void garbageInsteadOfAHandshake_isClosedWithOneWarning_andLeavesNothingBehind() throws Exception {
        startAgent(3);
        int baseline = channelThreads();
        for (int i = 0; i < 12; i++) { // four times the cap: a slot kept per failure would block the port
            try (Socket s = tcp(tlsPort)) {
                s.getOutputStream().write("OPTIONS sip:127.0.0.1 SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(closedByGateway(s, WAIT)).as("connection " + i + " closed").isTrue();
            }
        }
        WARNINGS.await("handshake failed", WAIT);
        assertThat(WARNINGS.messages()).filteredOn(w -> w.contains("handshake failed")).hasSize(1);
        assertNothingLeft(baseline);
        try (SSLSocket s = carrier()) {
            assertThat(options(s)).isEqualTo("SIP/2.0 200 OK");
        }
    }

    @Test
    void aClientThatNeverCompletesTheHandshake_isClosedAfterTenSeconds_withOneWarning() throws Exception {
        startAgent(3);
        int baseline = channelThreads();
        try (Socket s = tcp(tlsPort)) {
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a record, then nothing
            assertThat(closedByGateway(s, Duration.ofSeconds(30))).isTrue();
        }
        WARNINGS.await("no handshake within 10 s", WAIT);
        assertThat(WARNINGS.messages()).filteredOn(w -> w.contains("no handshake within 10 s")).hasSize(1);
        assertNothingLeft(baseline);
    }

    @Test
    void oneConnectionBeyondTheCap_isClosedAtOnce_withOneWarning_andTheSlotsComeBack() throws Exception {
        startAgent(2);
        int baseline = channelThreads();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = tcp(tlsPort);
                idle.add(s);
            }
            awaitOpen(2);
            try (Socket third = tcp(tlsPort)) {
                // Closed well before the handshake bound (10 s): refused, not timed out.
                assertThat(closedByGateway(third, Duration.ofSeconds(5))).isTrue();
            }
            WARNINGS.await("2 are open", WAIT);
            assertThat(WARNINGS.messages()).filteredOn(w -> w.contains("refused") && w.contains("2 are open")).hasSize(1);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertNothingLeft(baseline);
        try (SSLSocket s = carrier()) {
            assertThat(options(s)).isEqualTo("SIP/2.0 200 OK");
        }
    }

    @Test
    void aMissingCertificateFile_stopsTheStart_namingTheFile() {
        SipSettings settings = new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1", null, null, null,
                null, null, null);
        SipSettings bad = settings.withTrunkOptions(settings.trunkOptions().withTls(FreePorts.next(), null)
                .withServerCertificate("/nonexistent/sip-cert.pem", identity.resolve("key.pem").toString(), 10));
        SipUserAgent ua = new SipUserAgent(bad, InboundCallHandler.REJECT_ALL);
        assertThatThrownBy(ua::start).isInstanceOf(SipAgentException.class)
                .hasMessageContaining("/nonexistent/sip-cert.pem");
        assertThat(ua.isStarted()).isFalse();
    }

    /** Threads of the RI's TLS channels (one per open connection). */
    private static int channelThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("TLS") && !t.getName().startsWith("MessageProcessorThread")).count();
    }

    private Object tlsProcessor() throws Exception {
        java.lang.reflect.Field f = SipUserAgent.class.getDeclaredField("stack");
        f.setAccessible(true);
        gov.nist.javax.sip.SipStackImpl stack = (gov.nist.javax.sip.SipStackImpl) f.get(agent);
        java.lang.reflect.Method m = gov.nist.javax.sip.stack.SIPTransactionStack.class.getDeclaredMethod("getMessageProcessors");
        m.setAccessible(true);
        for (gov.nist.javax.sip.stack.MessageProcessor p : (gov.nist.javax.sip.stack.MessageProcessor[]) m.invoke(stack)) {
            if (p.getTransport().equalsIgnoreCase("tls")) {
                return p;
            }
        }
        throw new AssertionError("no TLS processor");
    }

    private Object processorField(String name) throws Exception {
        java.lang.reflect.Field f = gov.nist.javax.sip.stack.ConnectionOrientedMessageProcessor.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(tlsProcessor());
    }

    private int openConnections() throws Exception {
        return ((InboundTlsServerSocket) processorField("sock")).openConnections();
    }

    private void awaitOpen(int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (openConnections() != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openConnections()).isEqualTo(n);
    }

    /** No connection counted open, no channel kept by the RI's processor, its connection count back, no thread left. */
    private void assertNothingLeft(int baselineThreads) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && (openConnections() != 0 || (int) processorField("nConnections") > 1
                || !((java.util.Map<?, ?>) processorField("incomingMessageChannels")).isEmpty()
                || channelThreads() > baselineThreads)) {
            Thread.sleep(50);
        }
        assertThat(openConnections()).as("open connections").isZero();
        // The RI counts the connection it waits to accept before it comes: 1 when none is open.
        assertThat((int) processorField("nConnections")).as("the RI's connection count").isLessThanOrEqualTo(1);
        assertThat((java.util.Map<?, ?>) processorField("incomingMessageChannels")).as("the RI's channels").isEmpty();
        assertThat(channelThreads()).as("channel threads").isLessThanOrEqualTo(baselineThreads);
    }
}
