package org.opendialer.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.media.relay.MediaSession.Codec;
import org.opendialer.media.relay.MediaSession.Side;

/** A real relay on loopback between browser stand-ins (ICE, DTLS, SRTP) and a plain RTP peer. */
class MediaRelayTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final List<AutoCloseable> closeables = new ArrayList<>();
    final BlockingQueue<Side> timedOut = new LinkedBlockingQueue<>();
    final BlockingQueue<Side> connected = new LinkedBlockingQueue<>();
    final MediaSession.Listener listener = new MediaSession.Listener() {
        @Override
        public void mediaTimedOut(Side side) {
            timedOut.add(side);
        }

        @Override
        public void browserConnected(Side side) {
            connected.add(side);
        }
    };

    MediaRelay relay(int rtpMin, int rtpMax, Duration timeout) throws IOException {
        return track(MediaRelay.open(new RelaySettings(LOOPBACK, 0, "127.0.0.1", rtpMin, rtpMax, timeout)));
    }

    MediaRelay relay() throws IOException {
        return relay(35000, 35999, Duration.ofSeconds(30));
    }

    <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A browser on {@code side} connected through ICE and DTLS. */
    TestBrowser connectedBrowser(MediaSession session, Side side, Codec codec) throws Exception {
        TestBrowser browser = track(new TestBrowser());
        String answer = session.acceptOffer(side, browser.offer(true, true, 126), codec);
        browser.connect(answer);
        assertThat(connected.poll(10, TimeUnit.SECONDS)).isEqualTo(side);
        return browser;
    }

    SipPeer sipPeer(MediaSession session, Codec codec, int pt, int eventPt) throws IOException {
        SipPeer peer = track(new SipPeer());
        peer.relayAt(session.openRtp());
        session.rtpRemote(peer.address(), codec, pt, eventPt);
        return peer;
    }

    @Test
    void answerEchoesTheBrowsersPayloadTypesAndWhatChromiumInsistsOn() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        TestBrowser browser = track(new TestBrowser());
        String answer = session.acceptOffer(Side.A, browser.offer(true, true, 126), null);
        assertThat(answer.split("\r\n")).contains(
                "a=group:BUNDLE 0", "a=ice-lite",
                "m=audio " + relay.webRtcPort() + " UDP/TLS/RTP/SAVPF 0 8 126",
                "c=IN IP4 127.0.0.1", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=setup:passive",
                "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:126 telephone-event/8000",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 " + relay.webRtcPort() + " typ host",
                "a=end-of-candidates");
        assertThat(answer).containsPattern("a=ice-ufrag:\\S{4,}\r\n").containsPattern("a=ice-pwd:\\S{22,}\r\n")
                .containsPattern("a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\r\n");
        assertThat(session.browserCodec(Side.A)).isEqualTo(Codec.PCMU);

        String pcmaOnly = session.acceptOffer(Side.A, browser.offer(true, true, -1), Codec.PCMA);
        assertThat(pcmaOnly).contains("m=audio " + relay.webRtcPort() + " UDP/TLS/RTP/SAVPF 8\r\n")
                .doesNotContain("PCMU").doesNotContain("telephone-event");
        assertThat(session.browserCodec(Side.A)).isEqualTo(Codec.PCMA);
    }

    @Test
    void relaysG711BothWays_mapsPayloadTypes_andDtmf_andKeepsOneStreamWhenTheBrowserLegIsReplaced() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        SipPeer peer = sipPeer(session, Codec.PCMU, 0, 101);
        TestBrowser browser = connectedBrowser(session, Side.A, null);

        // Browser → SIP: PCMU keeps 0, the SSRC becomes the relay's, seq/ts stay continuous.
        for (int i = 0; i < 5; i++) {
            browser.sendRtp(0, 1000 + i, 5000 + 160L * i, 0xB1, i == 0, Rtp.payload(i));
        }
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] p = peer.receive(10_000);
            assertThat(p).isNotNull();
            got.add(p);
        }
        int sipSideSsrc = Rtp.ssrc(got.get(0));
        assertThat(sipSideSsrc).isNotEqualTo(0xB1);
        for (int i = 0; i < 5; i++) {
            assertThat(Rtp.pt(got.get(i))).isEqualTo(0);
            assertThat(Rtp.ssrc(got.get(i))).isEqualTo(sipSideSsrc);
            assertThat(Rtp.seq(got.get(i))).isEqualTo((Rtp.seq(got.get(0)) + i) & 0xFFFF);
            assertThat(Rtp.ts(got.get(i))).isEqualTo(Rtp.ts(got.get(0)) + 160L * i);
            assertThat(got.get(i)[12]).isEqualTo((byte) i);
        }
        byte[] last = got.get(4);

        // PCMA was in our answer but the SIP side chose PCMU: dropped (counted), never transcoded.
        long droppedBefore = session.stats().aToB().packetsDropped();
        browser.sendRtp(8, 1005, 5800, 0xB1, false, Rtp.payload(0x55));
        // DTMF: the browser's telephone-event 126 reaches the SIP side as 101, same event payload.
        browser.sendRtp(126, 1006, 5960, 0xB1, true, new byte[] {5, 10, 0, (byte) 160});
        byte[] event = peer.receive(10_000);
        assertThat(Rtp.pt(event)).isEqualTo(101);
        assertThat(Rtp.marker(event)).isTrue();
        assertThat(event).endsWith(5, 10, 0, (byte) 160);
        assertThat(Rtp.seq(event)).isEqualTo((Rtp.seq(last) + 2) & 0xFFFF); // the dropped PCMA packet left a gap
        assertThat(session.stats().aToB().packetsDropped()).isEqualTo(droppedBefore + 1);
        last = event;

        // SIP → browser: PCMU 0 stays 0, event 101 becomes the browser's 126.
        peer.send(0, 40, 800, 0x5151, true, Rtp.payload(0x11));
        peer.send(101, 41, 960, 0x5151, true, new byte[] {1, 10, 0, (byte) 160});
        byte[] voice = browser.nextRtp();
        byte[] digit = browser.nextRtp();
        assertThat(Rtp.pt(voice)).isEqualTo(0);
        assertThat(voice[12]).isEqualTo((byte) 0x11);
        assertThat(Rtp.pt(digit)).isEqualTo(126);
        assertThat(Rtp.seq(digit)).isEqualTo((Rtp.seq(voice) + 1) & 0xFFFF);
        int browserSideSsrc = Rtp.ssrc(voice);
        assertThat(browserSideSsrc).isNotEqualTo(0x5151).isEqualTo(Rtp.ssrc(digit));

        // A reload: a new browser (new DTLS certificate, new SSRC, seq and timestamp) takes side A over.
        TestBrowser reloaded = connectedBrowser(session, Side.A, null);
        reloaded.sendRtp(0, 7, 99_999, 0xB2, false, Rtp.payload(0x22));
        byte[] after = peer.receive(10_000);
        assertThat(after[12]).isEqualTo((byte) 0x22);
        assertThat(Rtp.ssrc(after)).isEqualTo(sipSideSsrc);
        assertThat(Rtp.seq(after)).isEqualTo((Rtp.seq(last) + 1) & 0xFFFF);
        assertThat(Rtp.ts(after)).isEqualTo(Rtp.ts(last) + 160);
        assertThat(Rtp.marker(after)).isTrue(); // a new talkspurt: jitter buffers resynchronise

        // And the SIP side's audio now reaches the new browser, continuing the same stream.
        peer.send(0, 42, 1120, 0x5151, false, Rtp.payload(0x33));
        byte[] toNew = reloaded.nextRtp();
        assertThat(toNew[12]).isEqualTo((byte) 0x33);
        assertThat(Rtp.ssrc(toNew)).isEqualTo(browserSideSsrc);
        assertThat(Rtp.seq(toNew)).isEqualTo((Rtp.seq(digit) + 1) & 0xFFFF);

        SessionStats stats = session.stats();
        assertThat(stats.aToB().packetsForwarded()).isEqualTo(7);
        assertThat(stats.bToA().packetsForwarded()).isEqualTo(3);
        assertThat(stats.aToB().bytesForwarded()).isEqualTo(5 * 160 + 4 + 160);
        assertThat(stats.aToB().lastPacket()).isNotNull();
        assertThat(relay.stats().packetsRelayed()).isEqualTo(10);
        assertThat(relay.stats().activeSessions()).isEqualTo(1);
    }
}
