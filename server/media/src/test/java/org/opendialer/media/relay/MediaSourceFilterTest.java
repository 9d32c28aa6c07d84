package org.opendialer.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendialer.media.relay.MediaRelayTest.waitFor;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;

/**
 * A stranger on another host (127.0.0.2) who knows a call's SIP-side RTP port must neither hear the
 * call nor move its stream: media is taken only from the far end's SDP host or its SIP host.
 */
class MediaSourceFilterTest {
    static final InetAddress STRANGER_HOST = address("127.0.0.2");
    /** Stands for a private address in the far end's SDP: nothing listens there. */
    static final InetAddress PRIVATE_HOST = address("127.0.0.3");

    final MediaRelayTest base = new MediaRelayTest();

    @AfterEach
    void tearDown() throws Exception {
        base.tearDown();
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void strangerSendingFirst_hearsNothing_andTheFarEndSendingFromItsSdpPortKeepsTheStream() throws Exception {
        MediaRelay relay = base.relay();
        MediaSession session = relay.newSession(base.listener);
        SipPeer farEnd = base.track(new SipPeer());
        SipPeer stranger = base.track(new SipPeer(STRANGER_HOST));
        int port = session.openRtp();
        farEnd.relayAt(port);
        stranger.relayAt(port);
        session.rtpRemote(farEnd.address(), Codec.PCMU, 0, -1);
        session.rtpSignallingSource(farEnd.address().getAddress());
        TestBrowser browser = base.connectedBrowser(session, Side.A, null);

        // Before the far end's first packet: under a latch-on-first-packet rule this would win the stream.
        stranger.send(0, 1, 160, 0x6666, true, Rtp.payload(6));
        stranger.sendRtcp(receiverReport(0x6666));
        waitFor("the stranger's packets counted", () -> session.packetsFromStrangers() == 2);
        browser.sendRtp(0, 1, 160, 0xB1, true, Rtp.payload(3));
        assertThat(farEnd.receive(10_000)[12]).isEqualTo((byte) 3);
        assertThat(stranger.receive(300)).isNull();
        assertThat(stranger.receiveRtcp(100)).isNull();

        farEnd.send(0, 1, 160, 0x5151, true, Rtp.payload(1));
        assertThat(browser.nextRtp()[12]).isEqualTo((byte) 1);
        stranger.send(0, 2, 320, 0x6666, false, Rtp.payload(7));
        browser.sendRtp(0, 2, 320, 0xB1, false, Rtp.payload(4));
        assertThat(farEnd.receive(10_000)[12]).isEqualTo((byte) 4);
        assertThat(stranger.receive(300)).isNull();
        assertThat(browser.nextRtp(300)).isNull(); // the stranger's audio never reaches the browser
        assertThat(session.packetsFromStrangers()).isEqualTo(3);
        assertThat(relay.packetsFromStrangers()).isEqualTo(3);
    }

    @Test
    void behindANat_theFarEndLatchesFromItsSipHost_whileAStrangerHearsNothing() throws Exception {
        MediaRelay relay = base.relay();
        MediaSession session = relay.newSession(base.listener);
        SipPeer farEnd = base.track(new SipPeer()); // sends from 127.0.0.1, a port its SDP does not name
        SipPeer stranger = base.track(new SipPeer(STRANGER_HOST));
        int port = session.openRtp();
        farEnd.relayAt(port);
        stranger.relayAt(port);
        session.rtpRemote(new InetSocketAddress(PRIVATE_HOST, 4000), Codec.PCMU, 0, -1);
        TestBrowser browser = base.connectedBrowser(session, Side.A, null);

        // Without knowing the SIP host, the far end's NATed packets are a stranger's too.
        farEnd.send(0, 1, 160, 0x5151, true, Rtp.payload(1));
        waitFor("the unknown host counted", () -> session.packetsFromStrangers() == 1);
        session.rtpSignallingSource(farEnd.address().getAddress());

        stranger.send(0, 1, 160, 0x6666, true, Rtp.payload(6));
        waitFor("the stranger counted", () -> session.packetsFromStrangers() == 2);
        farEnd.send(0, 2, 320, 0x5151, false, Rtp.payload(2));
        assertThat(browser.nextRtp()[12]).isEqualTo((byte) 2);
        browser.sendRtp(0, 1, 160, 0xB1, true, Rtp.payload(3));
        assertThat(farEnd.receive(10_000)[12]).isEqualTo((byte) 3); // latched to the NAT's port

        for (int i = 0; i < 5; i++) {
            stranger.send(0, 10 + i, 1600 + 160L * i, 0x6666, false, Rtp.payload(7));
        }
        browser.sendRtp(0, 2, 320, 0xB1, false, Rtp.payload(4));
        assertThat(farEnd.receive(10_000)[12]).isEqualTo((byte) 4); // the stream did not move
        assertThat(stranger.receive(300)).isNull();
        assertThat(browser.nextRtp(300)).isNull();
        waitFor("every stranger packet counted", () -> session.packetsFromStrangers() == 7);
    }

    @Test
    void webRtcPort_takesNothingFromAnAddressThatDidNotPassIce() throws Exception {
        MediaRelay relay = base.relay();
        MediaSession session = relay.newSession(base.listener);
        SipPeer farEnd = base.sipPeer(session, Codec.PCMU, 0, -1);
        TestBrowser browser = base.connectedBrowser(session, Side.A, null);
        long droppedBefore = relay.stats().packetsDropped();
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(STRANGER_HOST, 0))) {
            InetSocketAddress webRtc = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.webRtcPort());
            byte[] stun = new byte[20]; // a Binding request without USERNAME or MESSAGE-INTEGRITY
            stun[1] = 0x01;
            stun[4] = 0x21;
            stun[5] = 0x12;
            stun[6] = (byte) 0xA4;
            stun[7] = 0x42;
            byte[] rtp = Rtp.packet(0, 1, 160, 0x6666, true, Rtp.payload(6));
            byte[] dtls = new byte[40];
            dtls[0] = 22;
            for (byte[] b : new byte[][] {stun, rtp, dtls}) {
                stranger.send(new DatagramPacket(b, b.length, webRtc));
            }
            waitFor("the stranger's datagrams counted", () -> relay.stats().packetsDropped() >= droppedBefore + 3);
            stranger.setSoTimeout(300);
            byte[] buf = new byte[2048];
            try {
                stranger.receive(new DatagramPacket(buf, buf.length));
                throw new AssertionError("the WebRTC port answered a stranger");
            } catch (java.net.SocketTimeoutException expected) {
                // nothing for a sender that did not pass ICE
            }
        }
        assertThat(farEnd.receive(300)).isNull(); // nothing relayed to the SIP side
        browser.sendRtp(0, 1, 160, 0xB1, true, Rtp.payload(3));
        assertThat(farEnd.receive(10_000)[12]).isEqualTo((byte) 3);
    }

    static byte[] receiverReport(int ssrc) {
        return new byte[] {(byte) 0x80, (byte) 201, 0, 1, (byte) (ssrc >>> 24), (byte) (ssrc >>> 16),
                (byte) (ssrc >>> 8), (byte) ssrc};
    }
}
