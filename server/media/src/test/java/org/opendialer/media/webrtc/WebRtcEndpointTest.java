package org.opendialer.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.dtls.DtlsCertificate;
import org.opendialer.media.dtls.SrtpKeyMaterial;
import org.opendialer.media.dtls.TestDtlsSrtpClient;
import org.opendialer.media.rtp.PacketKind;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.stun.StunAttribute;
import org.opendialer.media.stun.StunMessage;
import org.opendialer.media.stun.StunMessageBuilder;
import org.opendialer.media.stun.StunMessageType;

/** A browser stand-in over real loopback UDP: STUN check, DTLS client, SRTP both ways, close_notify. */
class WebRtcEndpointTest {
    static final DtlsCertificate GATEWAY_CERT = DtlsCertificate.generate();
    static final DtlsCertificate BROWSER_CERT = DtlsCertificate.generate();
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CountDownLatch connected = new CountDownLatch(1);
    final BlockingQueue<String> closed = new LinkedBlockingQueue<>();
    final MediaListener listener = new MediaListener() {
        @Override
        public void onRtp(WebRtcLeg leg, byte[] rtp) {
            received.add(rtp);
        }

        @Override
        public void onConnected(WebRtcLeg leg) {
            connected.countDown();
        }

        @Override
        public void onClosed(WebRtcLeg leg, String reason) {
            closed.add(reason);
        }
    };

    WebRtcEndpoint endpoint;
    DatagramSocket browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    byte[] bindingRequest(String username, String password, boolean useCandidate) {
        byte[] txid = new byte[12];
        new java.security.SecureRandom().nextBytes(txid);
        StunMessageBuilder b = new StunMessageBuilder(StunMessageType.BINDING_REQUEST, txid)
                .username(username).priority(1845501695L).iceRole(StunAttribute.ICE_CONTROLLING, 7);
        if (useCandidate) {
            b.useCandidate();
        }
        return b.messageIntegrity(password.getBytes(StandardCharsets.UTF_8)).fingerprint().build();
    }

    byte[] exchange(byte[] request) throws Exception {
        browser.send(new DatagramPacket(request, request.length));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        browser.receive(p);
        return Arrays.copyOf(buf, p.getLength());
    }

    @Test
    void browserStandIn_checksHandshakesAndExchangesSrtp_thenClosesWithCloseNotify() throws Exception {
        endpoint = WebRtcEndpoint.open(new InetSocketAddress(LOOPBACK, 0), GATEWAY_CERT);
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        IceCredentials ice = leg.localCredentials();
        browser = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        browser.connect(new InetSocketAddress(LOOPBACK, endpoint.localPort()));
        browser.setSoTimeout(5000);

        // ICE: a check with our ufrag and password is answered, integrity-protected, with the mapped address.
        byte[] response = exchange(bindingRequest(ice.ufrag() + ":brow", ice.password(), true));
        StunMessage success = StunMessage.parse(response, 0, response.length);
        assertThat(success.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(success.xorMappedAddress()).isEqualTo(browser.getLocalSocketAddress());
        assertThat(success.verifyIntegrity(ice.password().getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(leg.remoteAddress()).isEqualTo(browser.getLocalSocketAddress());

        // DTLS over the same socket; the gateway is the server (a=setup:passive).
        TestDtlsSrtpClient client = new TestDtlsSrtpClient(BROWSER_CERT, "sha-256 " + GATEWAY_CERT.fingerprint(), true);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, new UDPTransport(browser, 1500));
        browser.setSoTimeout(5000); // BouncyCastle's UDPTransport leaves its own read timeout behind
        SrtpKeyMaterial keys = client.keys();

        // Sent at once, possibly before the gateway's accept() returned: queued, not lost.
        SrtpContext browserSend = keys.clientSendContext();
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, (byte) 160, 0x11, 0x22, 0x33, 0x44, 9, 8, 7, 6};
        byte[] srtp = browserSend.protectRtp(rtp, 0, rtp.length);
        browser.send(new DatagramPacket(srtp, srtp.length));
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(rtp);

        // Gateway → browser.
        leg.sendRtp(rtp, 0, rtp.length);
        SrtpContext browserReceive = keys.clientReceiveContext();
        byte[] buf = new byte[1500];
        byte[] got = null;
        while (got == null) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            browser.receive(p);
            if (PacketKind.of(buf, 0, p.getLength()) == PacketKind.RTP) {
                got = browserReceive.unprotectRtp(buf, 0, p.getLength());
            }
        }
        assertThat(got).isEqualTo(rtp);

        // Consent checks keep being answered after DTLS.
        byte[] again = exchange(bindingRequest(ice.ufrag() + ":brow", ice.password(), false));
        assertThat(StunMessage.parse(again, 0, again.length).type()).isEqualTo(StunMessageType.BINDING_SUCCESS);

        dtls.close(); // sends close_notify, as Chromium does on pc.close()
        assertThat(closed.poll(10, TimeUnit.SECONDS)).contains("closed by peer");
        assertThat(leg.isConnected()).isFalse();
    }

    @Test
    void checksWithAnUnknownUfrag_getNoAnswer_andWrongPassword_gets401() throws Exception {
        endpoint = WebRtcEndpoint.open(new InetSocketAddress(LOOPBACK, 0), GATEWAY_CERT);
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        browser = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        browser.connect(new InetSocketAddress(LOOPBACK, endpoint.localPort()));

        browser.setSoTimeout(5000);
        byte[] unauthorized = exchange(bindingRequest(leg.localCredentials().ufrag() + ":brow", "wrong-password-wrong-pw", false));
        assertThat(StunMessage.parse(unauthorized, 0, unauthorized.length).errorCode()).isEqualTo(401);
        assertThat(leg.remoteAddress()).isNull();

        browser.setSoTimeout(300);
        assertThatThrownBy(() -> exchange(bindingRequest("nobody:brow", "0123456789abcdefghijklmn", false)))
                .isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void twoBrowsersOnTheSamePort_areToldApartByUfragThenAddress() throws Exception {
        endpoint = WebRtcEndpoint.open(new InetSocketAddress(LOOPBACK, 0), GATEWAY_CERT);
        BlockingQueue<byte[]> first = new LinkedBlockingQueue<>();
        BlockingQueue<byte[]> second = new LinkedBlockingQueue<>();
        DtlsCertificate otherBrowserCert = DtlsCertificate.generate();
        WebRtcLeg legA = endpoint.createLeg("aaaa", "sha-256 " + BROWSER_CERT.fingerprint(), (leg, rtp) -> first.add(rtp));
        WebRtcLeg legB = endpoint.createLeg("bbbb", "sha-256 " + otherBrowserCert.fingerprint(), (leg, rtp) -> second.add(rtp));
        assertThat(legA.localCredentials().ufrag()).isNotEqualTo(legB.localCredentials().ufrag());

        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            SrtpContext sendA = connect(a, legA, "aaaa", BROWSER_CERT);
            SrtpContext sendB = connect(b, legB, "bbbb", otherBrowserCert);
            byte[] rtpA = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x0A, 0x0A};
            byte[] rtpB = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x0B, 0x0B};
            for (int i = 0; i < 3; i++) { // a few times: the first may race the key installation
                byte[] pa = sendA.protectRtp(rtpA, 0, rtpA.length);
                byte[] pb = sendB.protectRtp(rtpB, 0, rtpB.length);
                a.send(new DatagramPacket(pa, pa.length));
                b.send(new DatagramPacket(pb, pb.length));
                rtpA[3]++;
                rtpB[3]++;
            }
            assertThat(first.poll(5, TimeUnit.SECONDS)[12]).isEqualTo((byte) 0x0A);
            assertThat(second.poll(5, TimeUnit.SECONDS)[12]).isEqualTo((byte) 0x0B);
            Thread.sleep(200);
            assertThat(first).allSatisfy(p -> assertThat(p[12]).isEqualTo((byte) 0x0A));
            assertThat(second).allSatisfy(p -> assertThat(p[12]).isEqualTo((byte) 0x0B));
        }
    }

    /** ICE check then DTLS from {@code socket} for {@code leg}; returns the browser's send context. */
    SrtpContext connect(DatagramSocket socket, WebRtcLeg leg, String remoteUfrag, DtlsCertificate cert) throws Exception {
        return connectDtls(socket, leg, remoteUfrag, cert).send();
    }

    /** A browser stand-in's DTLS connection: its SRTP send context, and the transport (to close it). */
    record BrowserDtls(SrtpContext send, DTLSTransport transport) {
    }

    /** ICE check, then a DTLS handshake with {@code cert}, from {@code socket} to {@code leg}. */
    BrowserDtls connectDtls(DatagramSocket socket, WebRtcLeg leg, String remoteUfrag, DtlsCertificate cert)
            throws Exception {
        socket.connect(new InetSocketAddress(LOOPBACK, endpoint.localPort()));
        socket.setSoTimeout(5000);
        IceCredentials ice = leg.localCredentials();
        byte[] check = bindingRequest(ice.ufrag() + ":" + remoteUfrag, ice.password(), true);
        socket.send(new DatagramPacket(check, check.length));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        assertThat(StunMessage.parse(buf, 0, p.getLength()).type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        TestDtlsSrtpClient client = new TestDtlsSrtpClient(cert, "sha-256 " + GATEWAY_CERT.fingerprint(), true);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, new UDPTransport(socket, 1500));
        socket.setSoTimeout(5000); // BouncyCastle's UDPTransport leaves its own read timeout behind
        return new BrowserDtls(client.keys().clientSendContext(), dtls);
    }

    @Test
    void garbageOnThePort_andAThrowingListener_doNotStopTheReceiveThread() throws Exception {
        endpoint = WebRtcEndpoint.open(new InetSocketAddress(LOOPBACK, 0), GATEWAY_CERT);
        AtomicInteger calls = new AtomicInteger();
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), new MediaListener() {
            @Override
            public void onRtp(WebRtcLeg l, byte[] rtp) {
                calls.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onClosed(WebRtcLeg l, String reason) {
                closed.add(reason);
            }
        });
        browser = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        SrtpContext send = connect(browser, leg, "brow", BROWSER_CERT);
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 42};
        java.util.Random random = new java.util.Random(7983);
        for (int i = 0; i < 300; i++) {
            rtp[3] = (byte) i;
            byte[] srtp = send.protectRtp(rtp, 0, rtp.length);
            browser.send(new DatagramPacket(srtp, srtp.length));
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            browser.send(new DatagramPacket(junk, junk.length));
        }
        // Retransmit like an ICE agent: the burst above may overflow the socket buffer for a moment.
        IceCredentials ice = leg.localCredentials();
        browser.setSoTimeout(1000);
        byte[] response = null;
        for (int attempt = 0; attempt < 10 && (response == null || PacketKind.of(response, 0, response.length) != PacketKind.STUN); attempt++) {
            try {
                response = exchange(bindingRequest(ice.ufrag() + ":brow", ice.password(), true));
            } catch (SocketTimeoutException e) {
                response = null;
            }
        }
        assertThat(response).isNotNull();
        assertThat(StunMessage.parse(response, 0, response.length).type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(calls.get()).isGreaterThan(0);
        assertThat(closed).isEmpty();
        assertThat(leg.isConnected()).isTrue();
    }

    @Test
    void plaintextAlertSpoofedAfterTheHandshake_doesNotEndTheLeg() throws Exception {
        endpoint = WebRtcEndpoint.open(new InetSocketAddress(LOOPBACK, 0), GATEWAY_CERT);
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        browser = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        BrowserDtls dtls = connectDtls(browser, leg, "brow", BROWSER_CERT);
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        // An epoch-0 (unencrypted) fatal handshake_failure alert, as anyone who can spoof the
        // browser's address could send (RFC 6347 §4.1: type 21, version FEFD, epoch, sequence, length).
        byte[] alert = org.opendialer.media.Hex.bytes("15 FEFD 0000 000000000064 0002 02 28");
        browser.send(new DatagramPacket(alert, alert.length));
        // Then the browser's real close_notify (epoch 1). The leg reads its DTLS datagrams in order, so the spoofed
        // alert was handled first: had it ended the leg, the leg would have closed as failed ("DTLS failed: ...")
        // and ignored the close_notify. Closing as "closed by peer" proves it did not, without a sleep.
        dtls.transport().close();
        assertThat(closed.poll(10, TimeUnit.SECONDS)).isEqualTo("DTLS closed by peer");
        assertThat(closed).isEmpty();
    }
}
