package org.opendialer.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;

/** Two sessions spliced by a transfer: their far sides talk RTP to RTP, the users' browsers left. */
class MediaSpliceTest {
    private final MediaRelayTest fixture = new MediaRelayTest();
    private final MediaSession.Listener listener = fixture.listener;

    @AfterEach
    void tearDown() throws Exception {
        fixture.tearDown();
    }

    private MediaRelay relay() throws java.io.IOException {
        return fixture.relay();
    }

    private SipPeer sipPeer(MediaSession session, Codec codec, int pt, int eventPt) throws java.io.IOException {
        return fixture.sipPeer(session, codec, pt, eventPt);
    }

    @Test
    void splice_relaysTheFarSidesToEachOther_withoutTheBrowser_andHoldsAndClosesBothSessions() throws Exception {
        MediaRelay relay = relay();
        MediaSession callerSession = relay.newSession(listener);
        SipPeer caller = sipPeer(callerSession, Codec.PCMU, 0, 101);
        TestBrowser agent = fixture.connectedBrowser(callerSession, Side.A, null);
        MediaSession targetSession = relay.newSession(listener);
        SipPeer target = sipPeer(targetSession, Codec.PCMU, 0, 101);

        agent.sendRtp(0, 500, 8000, 0xA6, true, Rtp.payload(0x01));
        byte[] fromAgent = caller.receive(10_000);
        assertThat(fromAgent).as("agent → caller before the splice").isNotNull();

        callerSession.splice(Side.A, targetSession, Side.A);

        caller.send(0, 10, 1600, 0xCA, true, Rtp.payload(0x11));
        byte[] atTarget = target.receive(10_000);
        assertThat(atTarget).as("caller → target").isNotNull();
        assertThat(Rtp.pt(atTarget)).isEqualTo(0);
        assertThat(atTarget[12]).isEqualTo((byte) 0x11);
        target.send(0, 20, 3200, 0x7A, true, Rtp.payload(0x22));
        byte[] atCaller = caller.receive(10_000);
        assertThat(atCaller).as("target → caller").isNotNull();
        assertThat(atCaller[12]).isEqualTo((byte) 0x22);
        // The caller goes on receiving the stream it knew: same SSRC, the next sequence number.
        assertThat(Rtp.ssrc(atCaller)).isEqualTo(Rtp.ssrc(fromAgent));
        assertThat(Rtp.seq(atCaller)).isEqualTo((Rtp.seq(fromAgent) + 1) & 0xFFFF);
        agent.rtp.clear();
        caller.send(0, 12, 1920, 0xCA, false, Rtp.payload(0x12));
        assertThat(target.receive(10_000)).isNotNull();
        assertThat(agent.nextRtp(300)).as("the agent's browser left").isNull();

        targetSession.hold(true);
        assertThat(callerSession.isHeld()).isTrue();
        caller.send(0, 11, 1760, 0xCA, false, Rtp.payload(0x33));
        assertThat(target.receive(500)).as("held: nothing relayed").isNull();
        callerSession.hold(false);
        assertThat(targetSession.isHeld()).isFalse();

        callerSession.close();
        assertThat(targetSession.isClosed()).isTrue();
    }

    @Test
    void splice_dropsAFormatTheOtherFarSideDidNotNegotiate_untilItIsRenegotiated() throws Exception {
        MediaRelay relay = relay();
        MediaSession callerSession = relay.newSession(listener);
        SipPeer caller = sipPeer(callerSession, Codec.PCMU, 0, -1);
        MediaSession targetSession = relay.newSession(listener);
        SipPeer target = sipPeer(targetSession, Codec.PCMA, 8, -1);
        callerSession.splice(Side.A, targetSession, Side.A);

        caller.send(0, 10, 1600, 0xCA, true, Rtp.payload(0x11));
        assertThat(target.receive(500)).as("PCMU toward a PCMA leg: never transcoded").isNull();
        // The caller's leg is re-negotiated to PCMA (a re-INVITE in the engine).
        callerSession.rtpRemote(caller.address(), Codec.PCMA, 8, -1);
        caller.send(8, 11, 1760, 0xCA, false, Rtp.payload(0x44));
        byte[] atTarget = target.receive(10_000);
        assertThat(atTarget).isNotNull();
        assertThat(Rtp.pt(atTarget)).isEqualTo(8);
        assertThat(atTarget[12]).isEqualTo((byte) 0x44);
    }
}
