package org.opendialer.media.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.dtls.SrtpKeyMaterial;
import org.opendialer.media.dtls.TestDtlsSrtpClient;
import org.opendialer.media.srtp.SrtpContext;
import org.opendialer.media.stun.StunMessage;
import org.opendialer.media.stun.StunMessageType;

/** The passive ICE-TCP candidate over real loopback TCP: STUN, DTLS and SRTP in RFC 4571 frames. */
class IceTcpTest {
    static final org.opendialer.media.dtls.DtlsCertificate GATEWAY_CERT = WebRtcEndpointTest.GATEWAY_CERT;
    static final org.opendialer.media.dtls.DtlsCertificate BROWSER_CERT = WebRtcEndpointTest.BROWSER_CERT;
    static final java.net.InetAddress LOOPBACK = WebRtcEndpointTest.LOOPBACK;
    /** The UDP test's browser stand-in helpers (checks, a recording listener), not its tests. */
    final WebRtcEndpointTest base = new WebRtcEndpointTest();
    final MediaListener listener = base.listener;
    WebRtcEndpoint endpoint;
    FramedTcpClient tcp;

    @AfterEach
    void closeTcp() throws Exception {
        if (tcp != null) {
            tcp.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    void openEndpoint() throws Exception {
        endpoint = WebRtcEndpoint.open(new InetSocketAddress(LOOPBACK, 0), -1, GATEWAY_CERT);
        assertThat(endpoint.tcpPort()).isEqualTo(endpoint.localPort());
        tcp = new FramedTcpClient(new InetSocketAddress(LOOPBACK, endpoint.tcpPort()));
    }

    @Test
    void answer_offersThePassiveTcpCandidate() throws Exception {
        openEndpoint();
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        String sdp = endpoint.answerFor(leg, "127.0.0.1").build();
        assertThat(sdp).contains("a=candidate:2 1 tcp 2124414975 127.0.0.1 " + endpoint.tcpPort()
                + " typ host tcptype passive\r\n");
    }

    @Test
    void browserOverTcp_checksHandshakesAndExchangesSrtp() throws Exception {
        openEndpoint();
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        IceCredentials ice = leg.localCredentials();

        // The check split in two writes, the second merged with nothing: the gateway reassembles it.
        byte[] check = base.bindingRequest(ice.ufrag() + ":brow", ice.password(), true);
        byte[] framed = new byte[check.length + 2];
        Rfc4571Decoder.header(framed, 0, check.length);
        System.arraycopy(check, 0, framed, 2, check.length);
        tcp.writeRaw(java.util.Arrays.copyOfRange(framed, 0, 1));
        Thread.sleep(50);
        tcp.writeRaw(java.util.Arrays.copyOfRange(framed, 1, framed.length));
        byte[] response = tcp.stun.poll(5, TimeUnit.SECONDS);
        assertThat(response).isNotNull();
        StunMessage success = StunMessage.parse(response, 0, response.length);
        assertThat(success.type()).isEqualTo(StunMessageType.BINDING_SUCCESS);
        assertThat(success.xorMappedAddress()).isEqualTo(tcp.socket.getLocalSocketAddress());
        assertThat(leg.isTcp()).isTrue();

        TestDtlsSrtpClient client = new TestDtlsSrtpClient(BROWSER_CERT, "sha-256 " + GATEWAY_CERT.fingerprint(), true);
        new DTLSClientProtocol().connect(client, tcp);
        SrtpKeyMaterial keys = client.keys();
        SrtpContext browserSend = keys.clientSendContext();
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, (byte) 160, 0x11, 0x22, 0x33, 0x44, 9, 8, 7, 6};
        byte[] srtp = browserSend.protectRtp(rtp, 0, rtp.length);
        tcp.sendFrame(srtp, 0, srtp.length);
        assertThat(base.connected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(base.received.poll(5, TimeUnit.SECONDS)).isEqualTo(rtp);

        leg.sendRtp(rtp, 0, rtp.length);
        byte[] back = tcp.srtp.poll(5, TimeUnit.SECONDS);
        assertThat(back).isNotNull();
        assertThat(keys.clientReceiveContext().unprotectRtp(back, 0, back.length)).isEqualTo(rtp);
    }

    @Test
    void aLengthOverTheLimit_closesTheConnection_andTheLegStaysUsable() throws Exception {
        openEndpoint();
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        long droppedBefore = endpoint.droppedDatagrams();
        tcp.writeRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!tcp.eof && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tcp.eof).isTrue();
        assertThat(endpoint.droppedDatagrams()).isGreaterThan(droppedBefore);
        assertThat(leg.isClosed()).isFalse();

        // A new connection still works.
        tcp.close();
        tcp = new FramedTcpClient(new InetSocketAddress(LOOPBACK, endpoint.tcpPort()));
        IceCredentials ice = leg.localCredentials();
        byte[] check = base.bindingRequest(ice.ufrag() + ":brow", ice.password(), false);
        tcp.sendFrame(check, 0, check.length);
        assertThat(tcp.stun.poll(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void mediaBeforeAValidCheck_isDropped_andAnUnknownUfragIsNotAnswered() throws Exception {
        openEndpoint();
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        long droppedBefore = endpoint.droppedDatagrams();
        byte[] garbage = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 5};
        tcp.sendFrame(garbage, 0, garbage.length);
        byte[] unknown = base.bindingRequest("nobody:brow", "0123456789abcdefghijklmn", false);
        tcp.sendFrame(unknown, 0, unknown.length);
        assertThat(tcp.stun.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(endpoint.droppedDatagrams()).isGreaterThanOrEqualTo(droppedBefore + 2);
        assertThat(leg.remoteAddress()).isNull();
        assertThat(base.received).isEmpty();
    }

    @Test
    void theLegFollowsTheNominatedPath_udpThenTcpThenUdpAgain() throws Exception {
        openEndpoint();
        WebRtcLeg leg = endpoint.createLeg("brow", "sha-256 " + BROWSER_CERT.fingerprint(), listener);
        IceCredentials ice = leg.localCredentials();
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            udp.connect(new InetSocketAddress(LOOPBACK, endpoint.localPort()));
            udp.setSoTimeout(5000);
            byte[] check = base.bindingRequest(ice.ufrag() + ":brow", ice.password(), true);
            udp.send(new java.net.DatagramPacket(check, check.length));
            udp.receive(new java.net.DatagramPacket(new byte[1500], 1500));
            assertThat(leg.isTcp()).isFalse();
            assertThat(leg.remoteAddress()).isEqualTo(udp.getLocalSocketAddress());

            // A nominated TCP check while UDP works (Firefox nominates aggressively): the media stays on UDP.
            byte[] early = base.bindingRequest(ice.ufrag() + ":brow", ice.password(), true);
            tcp.sendFrame(early, 0, early.length);
            assertThat(tcp.stun.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(leg.isTcp()).isFalse();

            // UDP stops working: the dialer restarts ICE and the browser nominates its TCP pair.
            endpoint.restartIce(leg, "brow2");
            ice = leg.localCredentials();
            byte[] overTcp = base.bindingRequest(ice.ufrag() + ":brow2", ice.password(), true);
            tcp.sendFrame(overTcp, 0, overTcp.length);
            assertThat(tcp.stun.poll(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(leg.isTcp()).isTrue();
            assertThat(leg.remoteAddress()).isEqualTo(tcp.socket.getLocalSocketAddress());

            // And back (an ICE restart after the network came back).
            endpoint.restartIce(leg, "brow3");
            ice = leg.localCredentials();
            byte[] again = base.bindingRequest(ice.ufrag() + ":brow3", ice.password(), true);
            udp.send(new java.net.DatagramPacket(again, again.length));
            udp.receive(new java.net.DatagramPacket(new byte[1500], 1500));
            assertThat(leg.isTcp()).isFalse();
        }
    }
}
