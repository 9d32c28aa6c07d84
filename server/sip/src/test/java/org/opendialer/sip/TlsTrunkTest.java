package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opendialer.testkit.KamailioProcess;

/**
 * SIP over TLS to the trunk: a real Kamailio (Debian's kamailio-tls-modules) terminates TLS and relays to SIPp
 * over UDP. It listens on four TLS ports, each with its own certificate made at test time: one for
 * 127.0.0.1 issued by the CA the agent trusts, and three it must refuse (another CA, another host name,
 * expired).
 */
@Timeout(90)
class TlsTrunkTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static Path dir;
    private static Path caFile;
    @AutoClose
    private static KamailioProcess kamailio;
    private static int sippPort;
    private static int goodPort;
    private static int unknownCaPort;
    private static int wrongNamePort;
    private static int expiredPort;
    @RegisterExtension
    static final WarningCapture WARNINGS = new WarningCapture(TrunkTlsNetworkLayer.class);
    @AutoClose
    private SipUserAgent agent;

    @BeforeAll
    static void startTlsTrunk() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tls-trunk");
        TestPki.Issued ca = TestPki.ca("opendialer test CA");
        caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        Path good = TestPki.server(ca, "127.0.0.1", "localhost").write(dir, "good");
        Path unknownCa = TestPki.server(TestPki.ca("somebody else's CA"), "127.0.0.1").write(dir, "unknown-ca");
        Path wrongName = TestPki.server(ca, "carrier.example.net").write(dir, "wrong-name");
        Instant now = Instant.now();
        Path expired = TestPki.server(ca, now.minus(Duration.ofDays(20)), now.minus(Duration.ofDays(10)), "127.0.0.1")
                .write(dir, "expired");
        int base = FreePorts.next();
        sippPort = FreePorts.next();
        goodPort = base + 1;
        unknownCaPort = base + 2;
        wrongNamePort = base + 3;
        expiredPort = base + 4;
        StringBuilder tlsCfg = new StringBuilder();
        tlsCfg.append(server("default", good));
        tlsCfg.append(server("127.0.0.1:" + unknownCaPort, unknownCa));
        tlsCfg.append(server("127.0.0.1:" + wrongNamePort, wrongName));
        tlsCfg.append(server("127.0.0.1:" + expiredPort, expired));
        tlsCfg.append("[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n");
        Files.writeString(dir.resolve("tls.cfg"), tlsCfg);
        String cfg;
        try (var in = TlsTrunkTest.class.getResourceAsStream("/kamailio-tls-trunk.cfg")) {
            cfg = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        cfg = cfg.replace("@UDP@", String.valueOf(base)).replace("@SIPP@", String.valueOf(sippPort))
                .replace("@TLS_CFG@", dir.resolve("tls.cfg").toString())
                .replace("@LISTEN@", "listen=tls:127.0.0.1:" + goodPort + "\nlisten=tls:127.0.0.1:" + unknownCaPort
                        + "\nlisten=tls:127.0.0.1:" + wrongNamePort + "\nlisten=tls:127.0.0.1:" + expiredPort);
        kamailio = KamailioProcess.startWith(dir.resolve("kamailio"), cfg, base);
    }

    private static String server(String name, Path certDir) {
        return "[server:" + name + "]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"
                + "private_key = " + certDir.resolve("key.pem") + "\ncertificate = " + certDir.resolve("cert.pem") + "\n\n";
    }

    private void startAgent(String trunkUri, String caPath) {
        SipSettings settings = new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1",
                SipSettings.Trunk.parse(trunkUri), null, null, Duration.ofSeconds(20), Duration.ofMillis(500));
        settings = settings.withTrunkOptions(settings.trunkOptions().withTls(FreePorts.next(), caPath));
        agent = new SipUserAgent(settings, InboundCallHandler.REJECT_ALL);
        agent.start();
    }

    @Test
    void callOverTls_toATrunkWhoseCertificateChainsToTheConfiguredCa_isAnsweredAndHungUp() throws Exception {
        try (Sipp sipp = Sipp.uas("uas_answer_record_route.xml", sippPort, Map.of())) {
            startAgent("sip:127.0.0.1:" + goodPort + ";transport=tls", caFile.toString());
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", "Ada", "+14155550199", agent.localOffer(40000), listener);
            assertThat(listener.next(WAIT)).as(kamailio.log()).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("answered");
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs() + kamailio.log()).isZero();
            // SIPp saw the request Kamailio received over TLS: our Via says TLS.
            assertThat(sipp.messages()).contains("SIP/2.0/TLS 127.0.0.1:", "m=audio 40000 RTP/AVP");
        }
    }

    @Test
    void sipsTrunk_isReachedOverTls_withASipsRequestUri() throws Exception {
        try (Sipp sipp = Sipp.uas("uas_answer_record_route.xml", sippPort, Map.of())) {
            startAgent("sips:127.0.0.1:" + goodPort, caFile.toString());
            RecordingListener listener = new RecordingListener();
            OutboundCall call = agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
            assertThat(listener.next(WAIT)).as(kamailio.log()).isEqualTo("provisional 180");
            assertThat(listener.next(WAIT)).isEqualTo("answered");
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs()).isZero();
            assertThat(sipp.messages()).contains("SIP/2.0/TLS 127.0.0.1:", "INVITE sips:+14155550199@127.0.0.1:",
                    "Contact: <sips:127.0.0.1:");
        }
    }

    @Test
    void certificateOfAnUnknownCa_failsTheCallAtOnce_withAWarningNamingTheReason() throws Exception {
        assertRefused(unknownCaPort, caFile.toString(), "not issued by a trusted CA");
    }

    @Test
    void certificateForAnotherHostName_failsTheCallAtOnce_withAWarningNamingTheReason() throws Exception {
        assertRefused(wrongNamePort, caFile.toString(), "host name mismatch");
    }

    @Test
    void expiredCertificate_failsTheCallAtOnce_withAWarningNamingTheReason() throws Exception {
        assertRefused(expiredPort, caFile.toString(), "expired");
    }

    @Test
    void withoutACaFile_theJvmTrustStoreIsUsed_andATestCaIsNotInIt() throws Exception {
        assertRefused(goodPort, null, "not issued by a trusted CA");
    }

    @Test
    void aTrunkThatAcceptsTcpButNeverCompletesTheHandshake_failsTheCall_insteadOfHanging() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (java.net.Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes(); // reads the ClientHello, never answers
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            startAgent("sip:127.0.0.1:" + silent.getLocalPort() + ";transport=tls", caFile.toString());
            RecordingListener listener = new RecordingListener();
            agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
            // SSL_HANDSHAKE_TIMEOUT is 10 s; Timer B (32 s) would end it otherwise.
            assertThat(listener.next(Duration.ofSeconds(40))).startsWith("failed UNREACHABLE");
        }
    }

    private void assertRefused(int port, String ca, String reason) throws InterruptedException {
        WARNINGS.clear();
        startAgent("sip:127.0.0.1:" + port + ";transport=tls", ca);
        RecordingListener listener = new RecordingListener();
        agent.placeCall("+14155550100", null, "+14155550199", agent.localOffer(40000), listener);
        String event = listener.next(WAIT);
        assertThat(event).as(kamailio.log()).startsWith("failed UNREACHABLE");
        assertThat(listener.failurePhrase).contains("TLS").contains(reason);
        assertThat(WARNINGS.messages()).anySatisfy(w -> assertThat(w).contains("127.0.0.1:" + port).contains(reason));
    }
}
