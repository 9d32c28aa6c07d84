package org.opendialer.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.srtp.SrtpException;

class DtlsSrtpServerTest {
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    final ExecutorService executor = Executors.newSingleThreadExecutor();
    final QueuedDatagramTransport[] ends = new QueuedDatagramTransport[2];

    /** Two transports wired back to back in memory, as the UDP demultiplexer would feed them. */
    QueuedDatagramTransport serverEnd() {
        ends[0] = new QueuedDatagramTransport((b, o, l) -> ends[1].offer(b, o, l), 64);
        ends[1] = new QueuedDatagramTransport((b, o, l) -> ends[0].offer(b, o, l), 64);
        return ends[0];
    }

    @AfterEach
    void tearDown() {
        for (QueuedDatagramTransport t : ends) {
            if (t != null) {
                t.close();
            }
        }
        executor.shutdownNow();
    }

    @Test
    void handshake_bothSidesExportTheSameKeys_andSrtpFlowsBothWays() throws Exception {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT);
        QueuedDatagramTransport serverTransport = serverEnd();
        Future<DtlsSrtpSession> accepted = executor.submit(
                () -> server.accept(serverTransport, "sha-256 " + CLIENT_CERT.fingerprint()));

        TestDtlsSrtpClient client = new TestDtlsSrtpClient(CLIENT_CERT, "sha-256 " + SERVER_CERT.fingerprint(), true);
        DTLSTransport clientDtls = new DTLSClientProtocol().connect(client, ends[1]);
        DtlsSrtpSession session = accepted.get(30, TimeUnit.SECONDS);

        assertThat(client.keyingMaterial).hasSize(60).isEqualTo(concat(session.keys()));
        assertThat(session.clientFingerprint()).isEqualTo(CLIENT_CERT.fingerprint());
        SrtpKeyMaterial clientKeys = SrtpKeyMaterial.split(client.keyingMaterial);

        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, (byte) 160, 0x11, 0x22, 0x33, 0x44, 1, 2, 3, 4, 5, 6, 7, 8};
        SrtpContext browserSend = clientKeys.clientSendContext();
        SrtpContext gatewayReceive = session.keys().serverReceiveContext();
        byte[] fromBrowser = browserSend.protectRtp(rtp, 0, rtp.length);
        assertThat(gatewayReceive.unprotectRtp(fromBrowser, 0, fromBrowser.length)).isEqualTo(rtp);

        SrtpContext gatewaySend = session.keys().serverSendContext();
        SrtpContext browserReceive = clientKeys.clientReceiveContext();
        byte[] fromGateway = gatewaySend.protectRtp(rtp, 0, rtp.length);
        assertThat(browserReceive.unprotectRtp(fromGateway, 0, fromGateway.length)).isEqualTo(rtp);

        // Directions use different keys: our own packets do not verify as the browser's.
        byte[] echoed = session.keys().serverSendContext().protectRtp(rtp, 0, rtp.length);
        assertThatThrownBy(() -> session.keys().serverReceiveContext().unprotectRtp(echoed, 0, echoed.length))
                .isInstanceOf(SrtpException.class);
        clientDtls.close();
    }

    @Test
    void clientCertificateNotMatchingTheSdpFingerprint_isRejected() {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT);
        QueuedDatagramTransport serverTransport = serverEnd();
        DtlsCertificate other = DtlsCertificate.generate();
        Future<DtlsSrtpSession> accepted = executor.submit(
                () -> server.accept(serverTransport, "sha-256 " + other.fingerprint()));

        TestDtlsSrtpClient client = new TestDtlsSrtpClient(CLIENT_CERT, "sha-256 " + SERVER_CERT.fingerprint(), true);
        assertThatThrownBy(() -> new DTLSClientProtocol().connect(client, ends[1])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> accepted.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TlsFatalAlert.class,
                        e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.bad_certificate));
    }

    @Test
    void clientWithoutUseSrtp_isRefused() {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT);
        QueuedDatagramTransport serverTransport = serverEnd();
        Future<DtlsSrtpSession> accepted = executor.submit(
                () -> server.accept(serverTransport, "sha-256 " + CLIENT_CERT.fingerprint()));

        TestDtlsSrtpClient client = new TestDtlsSrtpClient(CLIENT_CERT, "sha-256 " + SERVER_CERT.fingerprint(), false);
        assertThatThrownBy(() -> new DTLSClientProtocol().connect(client, ends[1])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> accepted.get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(TlsFatalAlert.class,
                        e -> assertThat(e.getAlertDescription()).isEqualTo(AlertDescription.handshake_failure));
    }

    @Test
    void fingerprint_isUpperCaseSha256HexWithColons_andMatchesOnlyItsCertificate() {
        assertThat(SERVER_CERT.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        byte[] der = SERVER_CERT.encoded();
        assertThat(DtlsCertificate.matches("sha-256 " + SERVER_CERT.fingerprint(), der)).isTrue();
        assertThat(DtlsCertificate.matches("SHA-256 " + SERVER_CERT.fingerprint().toLowerCase(), der)).isTrue();
        assertThat(DtlsCertificate.matches(SERVER_CERT.fingerprint(), der)).isTrue();
        assertThat(DtlsCertificate.matches("sha-1 " + SERVER_CERT.fingerprint(), der)).isFalse();
        assertThat(DtlsCertificate.matches("sha-256 " + CLIENT_CERT.fingerprint(), der)).isFalse();
        assertThat(DtlsCertificate.matches(null, der)).isFalse();
    }

    @Test
    void keyMaterialLayout_isClientKeyServerKeyClientSaltServerSalt() {
        byte[] exported = new byte[60];
        for (int i = 0; i < 60; i++) {
            exported[i] = (byte) i;
        }
        SrtpKeyMaterial keys = SrtpKeyMaterial.split(exported);
        assertThat(keys.clientKey()[0]).isEqualTo((byte) 0);
        assertThat(keys.serverKey()[0]).isEqualTo((byte) 16);
        assertThat(keys.clientSalt()[0]).isEqualTo((byte) 32);
        assertThat(keys.serverSalt()[0]).isEqualTo((byte) 46);
        assertThat(keys.serverSalt()).hasSize(14);
        assertThat(concat(keys)).isEqualTo(exported);
    }

    @Test
    void closedTransport_wakesABlockedReceiver() throws Exception {
        QueuedDatagramTransport t = new QueuedDatagramTransport((b, o, l) -> { }, 4);
        Future<Integer> blocked = executor.submit(() -> t.receive(new byte[1500], 0, 1500, 60_000));
        Thread.sleep(50);
        t.close();
        assertThatThrownBy(() -> blocked.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        assertThat(t.offer(new byte[10], 0, 10)).isFalse();
    }

    static byte[] concat(SrtpKeyMaterial k) {
        byte[] out = new byte[60];
        System.arraycopy(k.clientKey(), 0, out, 0, 16);
        System.arraycopy(k.serverKey(), 0, out, 16, 16);
        System.arraycopy(k.clientSalt(), 0, out, 32, 14);
        System.arraycopy(k.serverSalt(), 0, out, 46, 14);
        return out;
    }
}
