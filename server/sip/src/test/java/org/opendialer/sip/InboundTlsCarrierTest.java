package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opendialer.testkit.KamailioProcess;

/**
 * A carrier that sends its calls over TLS connections it opens itself: Kamailio (Debian's kamailio-tls-modules)
 * takes SIPp's calls over UDP and relays them over TLS to the gateway's TLS port, verifying the gateway's
 * certificate against a CA made at test time. The call rings (the handler), is answered, the SDPs that crossed
 * the TLS leg carry audio both ways between the test's RTP sockets, and either side hangs up. A second gateway
 * port is reached with a client profile that trusts another CA: Kamailio refuses the gateway, nothing rings.
 */
@Timeout(120)
class InboundTlsCarrierTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern M_AUDIO = Pattern.compile("m=audio (\\d+) ");
    private static Path dir;
    private static Path caFile;
    private static Path gatewayIdentity;
    @AutoClose
    private static KamailioProcess kamailio;
    private static int kamailioUdp;
    private static int kamailioTls;
    private static int gatewayTls;
    private static Path otherCaFile;
    private static Path carrierIdentity;
    @RegisterExtension
    static final WarningCapture WARNINGS = new WarningCapture(InboundTlsSocket.class);

    @AutoClose
    private SipUserAgent agent;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final RecordingListener listener = new RecordingListener();
    @AutoClose
    private DatagramSocket carrierRtp;
    @AutoClose
    private DatagramSocket gatewayRtp;

    @BeforeAll
    static void startCarrier() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tls-carrier");
        TestPki.Issued ca = TestPki.ca("opendialer test CA");
        caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        otherCaFile = TestPki.ca("somebody else's CA").writeCertificate(dir.resolve("other-ca.pem"));
        gatewayIdentity = TestPki.server(ca, "127.0.0.1", "localhost").write(dir, "gateway");
        carrierIdentity = TestPki.server(ca, "127.0.0.1").write(dir, "carrier");
        gatewayTls = FreePorts.next();
        kamailio = carrier("trusting", caFile);
        kamailioUdp = kamailio.port();
        kamailioTls = kamailioUdp + 1;
    }

    /** Kamailio as the carrier, trusting {@code clientCa} for the gateway's certificate. */
    private static KamailioProcess carrier(String name, Path clientCa) throws Exception {
        int udp = FreePorts.next();
        Path d = Files.createDirectories(dir.resolve(name));
        String tlsCfg = "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"
                + "private_key = " + carrierIdentity.resolve("key.pem") + "\ncertificate = "
                + carrierIdentity.resolve("cert.pem") + "\n\n" + client("default", clientCa);
        Files.writeString(d.resolve("tls.cfg"), tlsCfg);
        String cfg;
        try (var in = InboundTlsCarrierTest.class.getResourceAsStream("/kamailio-tls-carrier.cfg")) {
            cfg = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        cfg = cfg.replace("@UDP@", String.valueOf(udp)).replace("@TLS@", String.valueOf(udp + 1))
                .replace("@TLS_CFG@", d.resolve("tls.cfg").toString())
                .replace("@GATEWAY_TLS@", String.valueOf(gatewayTls));
        return KamailioProcess.startWith(d.resolve("kamailio"), cfg, udp);
    }

    /** Kamailio as a TLS client toward the gateway: verifies the gateway's certificate against {@code ca}. */
    private static String client(String name, Path ca) {
        return "[client:" + name + "]\nmethod = TLSv1.2+\nverify_certificate = yes\nrequire_certificate = yes\n"
                + "ca_list = " + ca + "\n\n";
    }

    /** The gateway with its own certificate on {@code tlsPort}, the carrier (Kamailio over TLS) as its trunk. */
    private void startGateway(int tlsPort) throws Exception {
        carrierRtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        gatewayRtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SipSettings settings = new SipSettings("127.0.0.1", FreePorts.next(), "127.0.0.1",
                SipSettings.Trunk.parse("sip:127.0.0.1:" + kamailioTls + ";transport=tls"), null, null,
                Duration.ofSeconds(20), Duration.ofMillis(500));
        settings = settings.withTrunkOptions(settings.trunkOptions().withTls(tlsPort, caFile.toString())
                .withServerCertificate(gatewayIdentity.resolve("cert.pem").toString(),
                        gatewayIdentity.resolve("key.pem").toString(), 20));
        agent = new SipUserAgent(settings, call -> {
            invites.add(call);
            call.ring();
            call.answer(agent.localAnswer(call.offer(), gatewayRtp.getLocalPort()));
            return listener;
        });
        agent.start();
        WARNINGS.clear();
    }

    private Sipp caller(String scenario, String number) throws Exception {
        return caller(scenario, number, kamailioUdp);
    }

    private Sipp caller(String scenario, String number, int carrierPort) throws Exception {
        return Sipp.uacNoRetransmissions(scenario, FreePorts.next(), carrierPort,
                Map.of("rtp_port", String.valueOf(carrierRtp.getLocalPort())), number);
    }

    private InboundCall rung() throws InterruptedException {
        InboundCall call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(call).as("the INVITE over TLS rang the user\n" + kamailio.log()).isNotNull();
        return call;
    }

    @Test
    void aCallTheCarrierSendsOverItsOwnTlsConnection_ringsIsAnswered_audioBothWays_andTheCarrierHangsUp()
            throws Exception {
        startGateway(gatewayTls);
        try (Sipp sipp = caller("uac_tls_carrier_bye.xml", "+14155550199")) {
            InboundCall call = rung();
            assertThat(call.identity().from()).isEqualTo("+14155550100");
            assertThat(call.offer().port()).isEqualTo(carrierRtp.getLocalPort());
            assertThat(listener.nextFinal(WAIT)).isEqualTo("remoteHangup");
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs() + kamailio.log()).isZero();
            assertThat(kamailio.log()).contains("INVITE for +14155550199 from 127.0.0.1").contains("transport=tls");
            assertAudioBothWays(sipp, call);
            awaitNoCalls();
        }
    }

    @Test
    void aCallTheCarrierSendsOverItsOwnTlsConnection_isHungUpByTheGateway() throws Exception {
        startGateway(gatewayTls);
        try (Sipp sipp = caller("uac_tls_carrier_wait_bye.xml", "+14155550199")) {
            InboundCall call = rung();
            awaitAck(sipp);
            call.hangUp();
            assertThat(sipp.awaitExit(WAIT)).as(sipp.logs() + kamailio.log()).isZero();
            assertAudioBothWays(sipp, call);
            awaitNoCalls();
        }
    }

    @Test
    void aCarrierThatDoesNotTrustOurCertificate_refusesTheConnection_nothingRingsOrStaysOpen() throws Exception {
        startGateway(gatewayTls);
        try (KamailioProcess distrustful = carrier("distrustful", otherCaFile);
                Sipp sipp = caller("uac_tls_carrier_bye.xml", "+14155550199", distrustful.port())) {
            WARNINGS.await("handshake failed", WAIT);
            assertThat(WARNINGS.messages()).as(distrustful.log()).anySatisfy(w -> assertThat(w).contains("handshake failed"));
            // Kamailio answers its caller with an error once its transaction gives up (fr_timer 5 s).
            assertThat(sipp.awaitExit(Duration.ofSeconds(30))).as("the caller got a failure, not an answer").isNotZero();
            assertThat(invites).as("nothing rang").isEmpty();
            assertThat(distrustful.log()).contains("INVITE for +14155550199").contains("certificate verify failed");
        }
        assertThat(invites).isEmpty();
        assertThat(agent.activeCalls()).as("no call left on our side").isZero();
    }

    private void awaitNoCalls() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (agent.activeCalls() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(agent.activeCalls()).as("calls left on our side").isZero();
    }

    /** The carrier's ACK went through SIPp before the gateway hangs up (SIPp takes the BYE only after it). */
    private static void awaitAck(Sipp sipp) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!sipp.messages().contains("ACK sip:") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sipp.messages()).contains("ACK sip:");
    }

    /**
     * RTP from the carrier's socket to the port of our 200 OK as the carrier received it, and from ours to the
     * port of the INVITE as we received it: each side's SDP crossed the TLS leg intact.
     */
    private void assertAudioBothWays(Sipp sipp, InboundCall call) throws Exception {
        int ours = -1;
        Matcher m = M_AUDIO.matcher(sipp.messages());
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) != carrierRtp.getLocalPort()) {
                ours = Integer.parseInt(m.group(1));
            }
        }
        assertThat(ours).as("our SDP as the carrier got it").isEqualTo(gatewayRtp.getLocalPort());
        assertThat(exchanged(carrierRtp, ours, gatewayRtp, 0x11)).as("carrier → gateway").isTrue();
        assertThat(exchanged(gatewayRtp, call.offer().port(), carrierRtp, 0x22)).as("gateway → carrier").isTrue();
    }

    private static boolean exchanged(DatagramSocket from, int port, DatagramSocket to, int mark) throws Exception {
        byte[] packet = new byte[12 + 160];
        packet[0] = (byte) 0x80;
        java.util.Arrays.fill(packet, 12, packet.length, (byte) mark);
        to.setSoTimeout(200);
        byte[] buf = new byte[2048];
        for (int i = 0; i < 20; i++) {
            from.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), port));
            try {
                DatagramPacket got = new DatagramPacket(buf, buf.length);
                to.receive(got);
                if (got.getLength() == packet.length && buf[12] == (byte) mark) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // send again
            }
        }
        return false;
    }
}
