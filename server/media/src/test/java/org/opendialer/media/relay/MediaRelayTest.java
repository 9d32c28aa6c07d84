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

    @Test
    void reOfferFromTheSamePeerConnection_keepsItsDtls_forACodecChangeAndAnIceRestart() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        SipPeer peer = sipPeer(session, Codec.PCMA, 8, -1); // the trunk chose PCMA
        TestBrowser browser = track(new TestBrowser());
        String first = session.acceptOffer(Side.A, browser.offer(true, true, 126), null);
        browser.connect(first);
        assertThat(connected.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.A);
        assertThat(session.browserCodec(Side.A)).isEqualTo(Codec.PCMU); // mediaUpdate would follow

        // updateMedia from the same peer connection, PCMA first: same ICE credentials, same DTLS.
        String second = session.acceptOffer(Side.A, browser.offer(true, true, 126), Codec.PCMA);
        assertThat(TestBrowser.find(second, "^a=ice-ufrag:(\\S+)")).isEqualTo(TestBrowser.find(first, "^a=ice-ufrag:(\\S+)"));
        assertThat(session.browserCodec(Side.A)).isEqualTo(Codec.PCMA);
        browser.sendRtp(8, 1, 160, 0xB1, true, Rtp.payload(0x44));
        byte[] got = peer.receive(10_000);
        assertThat(Rtp.pt(got)).isEqualTo(8);
        assertThat(got[12]).isEqualTo((byte) 0x44);

        // ICE restart: new ufrags both ways, checks with the new ones answered, media still flows.
        browser.restartIce();
        String third = session.acceptOffer(Side.A, browser.offer(true, true, 126), Codec.PCMA);
        assertThat(TestBrowser.find(third, "^a=ice-ufrag:(\\S+)")).isNotEqualTo(TestBrowser.find(first, "^a=ice-ufrag:(\\S+)"));
        assertThat(browser.checkWhileConnected(third).type()).isEqualTo(org.opendialer.media.stun.StunMessageType.BINDING_SUCCESS);
        browser.sendRtp(8, 2, 320, 0xB1, false, Rtp.payload(0x45));
        assertThat(peer.receive(10_000)[12]).isEqualTo((byte) 0x45);
        peer.send(8, 1, 160, 0x5151, true, Rtp.payload(0x46));
        assertThat(browser.nextRtp()[12]).isEqualTo((byte) 0x46);
        assertThat(connected).isEmpty(); // no second handshake happened
    }

    @Test
    void hold_stopsForwardingBothWays_andResumeForwardsAgain() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        SipPeer peer = sipPeer(session, Codec.PCMU, 0, 101);
        TestBrowser browser = connectedBrowser(session, Side.A, Codec.PCMU);

        session.hold(true);
        for (int i = 0; i < 5; i++) {
            browser.sendRtp(0, 10 + i, 160L * i, 0xB1, false, Rtp.payload(0x70 + i));
            peer.send(0, 20 + i, 160L * i, 0x5151, false, Rtp.payload(0x70 + i));
        }
        waitFor("all held packets to arrive", () -> session.receivedFrom(Side.A) == 5 && session.receivedFrom(Side.B) == 5);
        session.hold(false);
        // Packets of one sender are handled in order: the first to come out is the one after resume.
        browser.sendRtp(0, 15, 800, 0xB1, false, Rtp.payload(0x7F));
        peer.send(0, 25, 800, 0x5151, false, Rtp.payload(0x7F));
        assertThat(peer.receive(10_000)[12]).isEqualTo((byte) 0x7F);
        assertThat(browser.nextRtp()[12]).isEqualTo((byte) 0x7F);
        assertThat(session.stats().aToB().packetsForwarded()).isEqualTo(1);
        assertThat(session.stats().bToA().packetsForwarded()).isEqualTo(1);
        assertThat(session.stats().aToB().packetsDropped()).isZero(); // held is not a loss
    }

    @Test
    void rtpTimeout_firesOnceForASilentLeg_butNotWhileHeldOrBeforeTheLegIsExpectedToSend() throws Exception {
        MediaRelay relay = relay(35000, 35999, Duration.ofMillis(300));
        BlockingQueue<Side> silentEvents = new LinkedBlockingQueue<>();
        BlockingQueue<Side> heldEvents = new LinkedBlockingQueue<>();
        BlockingQueue<Side> unexpectedEvents = new LinkedBlockingQueue<>();
        MediaSession silent = relay.newSession(silentEvents::add);
        MediaSession held = relay.newSession(heldEvents::add);
        MediaSession notYet = relay.newSession(unexpectedEvents::add);
        held.openRtp();
        held.hold(true);
        notYet.openRtp(); // no rtpRemote yet: the SIP side is not expected to send
        sipPeer(held, Codec.PCMU, 0, -1);
        long start = System.nanoTime(); // before the silent session's rtpRemote
        sipPeer(silent, Codec.PCMU, 0, -1);

        assertThat(silentEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.B);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(silentEvents.poll(1, TimeUnit.SECONDS)).isNull(); // once per session
        assertThat(heldEvents).isEmpty();
        assertThat(unexpectedEvents).isEmpty();

        // Resumed: the clock restarts at the resume and then runs.
        held.hold(false);
        assertThat(heldEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.B);

        // A new SDP from the trunk (say the 200 OK after a timeout the engine ignored while
        // ringing) re-arms it: still silent, so it fires once more.
        silent.rtpRemote(new InetSocketAddress(LOOPBACK, 9), Codec.PCMU, 0, -1);
        assertThat(silentEvents.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.B);
        assertThat(silentEvents.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void rtpTimeout_ofABrowserThatStopsSending() throws Exception {
        // 1 s: long enough that a loaded 2-core machine stalling a thread does not fake a silence.
        MediaRelay relay = relay(35000, 35999, Duration.ofMillis(1000));
        MediaSession session = relay.newSession(listener);
        TestBrowser browser = connectedBrowser(session, Side.A, null);
        // Keep talking for 1.5 × the timeout: no timeout while packets arrive.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        long last = System.nanoTime();
        long longestGap = 0;
        for (int seq = 0; System.nanoTime() < until; seq++) {
            browser.sendRtp(0, seq, 160L * seq, 0xB1, false, Rtp.payload(1));
            long now = System.nanoTime();
            longestGap = Math.max(longestGap, now - last);
            last = now;
            Thread.sleep(20);
        }
        if (longestGap < TimeUnit.MILLISECONDS.toNanos(500)) { // unless this machine stalled the sender
            assertThat(timedOut).isEmpty();
        }
        long stopped = System.nanoTime();
        assertThat(timedOut.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.A);
        assertThat(System.nanoTime() - stopped).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
    }

    @Test
    void rtpTimeout_ofABrowserThatNeverConnects_startsOneTimeoutAfterTheAnswer() throws Exception {
        MediaRelay relay = relay(35000, 35999, Duration.ofMillis(300));
        MediaSession session = relay.newSession(listener);
        TestBrowser browser = track(new TestBrowser());
        long answered = System.nanoTime();
        session.acceptOffer(Side.A, browser.offer(true, true, 126), null); // no ICE, no DTLS follow
        assertThat(timedOut.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.A);
        // Allowed one timeout to connect, then one timeout of silence: not before 2 × 300 ms.
        assertThat(System.nanoTime() - answered).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
    }

    @Test
    void unusableOffers_areRefusedWithAClearMediaException() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        TestBrowser browser = track(new TestBrowser());
        String good = browser.offer(true, true, 126);
        assertThatThrownBy(() -> session.acceptOffer(Side.A, good.replace("m=audio", "m=video"), null))
                .isInstanceOf(MediaException.class).hasMessageContaining("no usable audio");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, good.replaceAll("a=ice-ufrag:.*\r\n", ""), null))
                .isInstanceOf(MediaException.class).hasMessageContaining("ice-ufrag");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, good.replaceAll("a=ice-pwd:.*\r\n", ""), null))
                .isInstanceOf(MediaException.class).hasMessageContaining("ice-pwd");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, good.replaceAll("a=fingerprint:.*\r\n", ""), null))
                .isInstanceOf(MediaException.class).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, browser.offer(false, false, 126), null))
                .isInstanceOf(MediaException.class).hasMessageContaining("neither PCMU nor PCMA");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, browser.offer(true, false, 126), Codec.PCMA))
                .isInstanceOf(MediaException.class).hasMessageContaining("PCMA");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, good + "a=x:" + "y".repeat(16 * 1024) + "\r\n", null))
                .isInstanceOf(MediaException.class).hasMessageContaining("16384");
        assertThatThrownBy(() -> session.acceptOffer(Side.A, "", null)).isInstanceOf(MediaException.class);
        assertThatThrownBy(() -> session.acceptOffer(Side.A, "\u0000garbage\r\nm=\r\na=", null))
                .isInstanceOf(MediaException.class);
        assertThat(session.browserCodec(Side.A)).isNull();
        assertThat(session.acceptOffer(Side.A, good, null)).contains("a=setup:passive");
    }

    @Test
    void anExhaustedPortRange_givesAClearIOException_andCloseFreesThePorts() throws Exception {
        int base = 36000 + 4 * java.util.concurrent.ThreadLocalRandom.current().nextInt(400);
        MediaRelay relay = relay(base, base + 3, Duration.ofSeconds(30)); // two RTP/RTCP pairs
        MediaSession first = relay.newSession(listener);
        MediaSession second = relay.newSession(listener);
        MediaSession third = relay.newSession(listener);
        int p1 = first.openRtp();
        int p2 = second.openRtp();
        assertThat(List.of(p1, p2)).containsExactlyInAnyOrder(base, base + 2);
        assertThat(first.openRtp()).isEqualTo(p1);
        assertThatThrownBy(third::openRtp).isInstanceOf(IOException.class)
                .hasMessageContaining("no free RTP port pair in " + base + "-" + (base + 3));

        first.close();
        first.close(); // idempotent
        assertThat(relay.stats().activeSessions()).isEqualTo(2);
        for (int port : new int[] {p1, p1 + 1}) { // the OS sees both ports free at once
            try (DatagramChannel probe = DatagramChannel.open()) {
                probe.bind(new InetSocketAddress(LOOPBACK, port));
            }
        }
        assertThat(third.openRtp()).isEqualTo(p1);
    }

    @Test
    void closingASession_endsItsBrowserLeg_andClosingTheRelayFreesTheWebRtcPortAndItsThreads() throws Exception {
        MediaRelay relay = MediaRelay.open(new RelaySettings(LOOPBACK, 0, "127.0.0.1", 35000, 35999, Duration.ofSeconds(30)));
        try {
            MediaSession session = relay.newSession(listener);
            TestBrowser browser = track(new TestBrowser());
            String answer = session.acceptOffer(Side.A, browser.offer(true, true, 126), null);
            browser.connect(answer);
            assertThat(browser.checkWhileConnected(answer)).isNotNull(); // consent checks answered
            session.close();
            assertThat(relay.stats().activeSessions()).isZero();
            assertThat(browser.checkWhileConnected(answer, 3, 300)).isNull(); // the leg's ufrag is gone
            assertThatThrownBy(() -> session.acceptOffer(Side.A, browser.offer(true, true, 126), null))
                    .isInstanceOf(MediaException.class);
        } finally {
            relay.close();
        }
        relay.close(); // idempotent
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(LOOPBACK, relay.webRtcPort()));
        }
        // Every other relay of this class is closed after its test, so none of these should remain.
        waitFor("the relay's threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("rtp-io") || t.getName().equals("media-timer")
                        || t.getName().equals("webrtc-udp-" + relay.webRtcPort())));
    }

    @Test
    void extensionCall_relaysBetweenTwoBrowsers_mappingTheirOwnPayloadTypes() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        TestBrowser caller = track(new TestBrowser());
        TestBrowser callee = track(new TestBrowser());
        String answerA = session.acceptOffer(Side.A, caller.offer(true, true, 126), Codec.PCMU);
        String answerB = session.acceptOffer(Side.B, callee.offer(true, false, 101), Codec.PCMU);
        caller.connect(answerA);
        callee.connect(answerB);
        waitFor("both browsers connected", () -> connected.size() == 2);

        caller.sendRtp(0, 100, 1600, 0xA1, true, Rtp.payload(0x0A));
        caller.sendRtp(126, 101, 1760, 0xA1, true, new byte[] {3, 10, 0, (byte) 160});
        callee.sendRtp(0, 500, 3200, 0xB1, true, Rtp.payload(0x0B));
        callee.sendRtp(101, 501, 3360, 0xB1, true, new byte[] {4, 10, 0, (byte) 160});
        byte[] atCallee = callee.nextRtp();
        byte[] eventAtCallee = callee.nextRtp();
        byte[] atCaller = caller.nextRtp();
        byte[] eventAtCaller = caller.nextRtp();
        assertThat(atCallee[12]).isEqualTo((byte) 0x0A);
        assertThat(Rtp.pt(eventAtCallee)).isEqualTo(101);
        assertThat(atCaller[12]).isEqualTo((byte) 0x0B);
        assertThat(Rtp.pt(eventAtCaller)).isEqualTo(126);
        assertThat(eventAtCaller).endsWith(4, 10, 0, (byte) 160);
        assertThat(relay.stats().packetsRelayed()).isEqualTo(4);
        assertThatThrownBy(session::openRtp).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rtcpIsTerminated_andTheRelaySendsItsOwnReportsOnEachLeg() throws Exception {
        MediaRelay relay = track(MediaRelay.open(new RelaySettings(LOOPBACK, 0, "127.0.0.1", 35000, 35999,
                Duration.ofSeconds(30)), Duration.ofMillis(200)));
        MediaSession session = relay.newSession(listener);
        SipPeer peer = sipPeer(session, Codec.PCMU, 0, 101);
        TestBrowser browser = connectedBrowser(session, Side.A, null);
        browser.sendRtp(0, 1, 160, 0xB1, true, Rtp.payload(1));
        int towardSip = Rtp.ssrc(peer.receive(10_000));
        peer.send(0, 1, 160, 0x5151, true, Rtp.payload(2));
        int towardBrowser = Rtp.ssrc(browser.nextRtp());

        // The browser's own SR (its SSRC 0xB1) must not cross to the SIP side; the SIP peer's SR
        // must not reach the browser. Each side hears only the relay's reports.
        byte[] browserSr = org.opendialer.media.rtp.RtcpPacket.senderReport(0xB1, System.currentTimeMillis(), 160, 1, 160, "b");
        browser.sendRtcp(browserSr);
        byte[] peerSr = org.opendialer.media.rtp.RtcpPacket.senderReport(0x5151, System.currentTimeMillis(), 160, 1, 160, "p");
        peer.rtcp.send(new java.net.DatagramPacket(peerSr, peerSr.length, new InetSocketAddress(LOOPBACK, session.rtpPort() + 1)));
        long peerSrMiddle = org.opendialer.media.rtp.RtcpPacket.senderReportNtpMiddle(peerSr, 0, peerSr.length);

        boolean echoedLsr = false;
        for (int i = 0; i < 10 && !echoedLsr; i++) {
            byte[] report = peer.receiveRtcp(5_000);
            assertThat(report).isNotNull();
            assertThat(org.opendialer.media.rtp.RtcpPacket.isValidCompound(report, 0, report.length)).isTrue();
            assertThat(org.opendialer.media.rtp.RtpPacket.rtcpSenderSsrc(report, 0)).isEqualTo(towardSip);
            int type = org.opendialer.media.rtp.RtpPacket.rtcpPacketType(report, 0);
            // An RR until the relay has sent the peer media (one may be queued from before), then SRs.
            assertThat(type).isIn(org.opendialer.media.rtp.RtcpPacket.SR, org.opendialer.media.rtp.RtcpPacket.RR);
            if ((report[0] & 0x1F) == 1) {
                // SR: 28 bytes of header and sender info, then the block: SSRC at 28, LSR at 44. An RR (the
                // relay's last packet to the peer is over two intervals old on a loaded machine): block at 8.
                int block = type == org.opendialer.media.rtp.RtcpPacket.SR ? 28 : 8;
                assertThat(readInt(report, block)).isEqualTo(0x5151); // about the SIP peer's stream
                echoedLsr = (readInt(report, block + 16) & 0xFFFFFFFFL) == peerSrMiddle;
            }
        }
        assertThat(echoedLsr).isTrue();
        byte[] toBrowser = browser.rtcp.poll(10, TimeUnit.SECONDS);
        assertThat(toBrowser).isNotNull();
        assertThat(org.opendialer.media.rtp.RtpPacket.rtcpSenderSsrc(toBrowser, 0)).isEqualTo(towardBrowser);
        for (byte[] r; (r = browser.rtcp.poll()) != null; ) {
            assertThat(org.opendialer.media.rtp.RtpPacket.rtcpSenderSsrc(r, 0)).isEqualTo(towardBrowser);
        }
        assertThat(peer.receive(300)).isNull(); // nothing RTCP-shaped on the SIP side's RTP port
    }

    @Test
    void aReceiverReportFromTheSipPeer_givesTheSipLegsQuality() throws Exception {
        MediaRelay relay = track(MediaRelay.open(new RelaySettings(LOOPBACK, 0, "127.0.0.1", 35000, 35999,
                Duration.ofSeconds(30)), Duration.ofMillis(200)));
        MediaSession session = relay.newSession(listener);
        SipPeer peer = sipPeer(session, Codec.PCMU, 0, 101);
        TestBrowser browser = connectedBrowser(session, Side.A, null);
        browser.sendRtp(0, 1, 160, 0xB1, true, Rtp.payload(1));
        int towardSip = Rtp.ssrc(peer.receive(10_000));
        assertThat(session.sipLegQuality()).isNull();
        // The far end lost 26/256 of our packets and measured 240 timestamp units (30 ms) of jitter.
        byte[] rr = org.opendialer.media.rtp.RtcpPacket.report(0x5151, false, 0, 0, 0, 0,
                new org.opendialer.media.rtp.RtcpPacket.ReportBlock(towardSip, 26, 5, 100, 240, 0, 0), "p");
        peer.rtcp.send(new java.net.DatagramPacket(rr, rr.length, new InetSocketAddress(LOOPBACK, session.rtpPort() + 1)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (session.sipLegQuality() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        org.opendialer.media.quality.LegQuality q = session.sipLegQuality();
        assertThat(q).isNotNull();
        assertThat(q.packetLossPct()).isEqualTo(10.2);
        assertThat(q.jitterMs()).isEqualTo(30.0);
        assertThat(q.rttMs()).isNaN(); // no LSR echoed
        assertThat(q.mos()).isLessThan(3.5);
    }

    @Test
    void rtcpMuxSignalledByTheTrunk_sendsReportsToItsRtpPort() throws Exception {
        MediaRelay relay = track(MediaRelay.open(new RelaySettings(LOOPBACK, 0, "127.0.0.1", 35000, 35999,
                Duration.ofSeconds(30)), Duration.ofMillis(100)));
        MediaSession session = relay.newSession(listener);
        SipPeer peer = track(new SipPeer());
        peer.relayAt(session.openRtp());
        session.rtpRemote(peer.address(), peer.address(), Codec.PCMU, 0, -1);
        byte[] report = peer.receive(10_000);
        assertThat(report).isNotNull();
        assertThat(org.opendialer.media.rtp.PacketKind.of(report, 0, report.length))
                .isEqualTo(org.opendialer.media.rtp.PacketKind.RTCP);
        assertThat(org.opendialer.media.rtp.RtcpPacket.isValidCompound(report, 0, report.length)).isTrue();
        assertThat(peer.receiveRtcp(300)).isNull();
    }

    @Test
    void symmetricRtp_latchesToTheRealSource_andDropsStrangers() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        SipPeer nat = track(new SipPeer());
        SipPeer stranger = track(new SipPeer());
        int port = session.openRtp();
        nat.relayAt(port);
        stranger.relayAt(port);
        // The SDP names a private address; packets really come from `nat`.
        session.rtpRemote(new InetSocketAddress(LOOPBACK, 9), Codec.PCMU, 0, -1);
        TestBrowser browser = connectedBrowser(session, Side.A, null);
        nat.send(0, 1, 160, 0x5151, true, Rtp.payload(1));
        assertThat(browser.nextRtp()[12]).isEqualTo((byte) 1);
        long droppedBefore = relay.stats().packetsDropped();
        stranger.send(0, 1, 160, 0x6666, true, Rtp.payload(6));
        nat.send(0, 2, 320, 0x5151, false, Rtp.payload(2));
        assertThat(browser.nextRtp()[12]).isEqualTo((byte) 2); // the stranger's packet never arrives
        waitFor("the stranger's packet counted", () -> relay.stats().packetsDropped() == droppedBefore + 1);
        browser.sendRtp(0, 1, 160, 0xB1, true, Rtp.payload(3));
        assertThat(nat.receive(10_000)[12]).isEqualTo((byte) 3);
        assertThat(stranger.receive(200)).isNull();
    }

    @Test
    void badInput_neverStopsTheRelay_andIsCounted() throws Exception {
        MediaRelay relay = relay();
        MediaSession session = relay.newSession(listener);
        SipPeer peer = sipPeer(session, Codec.PCMU, 0, 101);
        TestBrowser browser = connectedBrowser(session, Side.A, null);
        java.util.Random random = new java.util.Random(4733);
        try (java.net.DatagramSocket junk = new java.net.DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress webRtc = new InetSocketAddress(LOOPBACK, relay.webRtcPort());
            InetSocketAddress rtp = new InetSocketAddress(LOOPBACK, session.rtpPort());
            InetSocketAddress rtcp = new InetSocketAddress(LOOPBACK, session.rtpPort() + 1);
            for (int i = 0; i < 200; i++) {
                byte[] b = new byte[1 + random.nextInt(i % 20 == 0 ? 4000 : 300)];
                random.nextBytes(b);
                if (i % 3 == 0) {
                    b[0] = (byte) 0x80; // looks like RTP/RTCP
                }
                for (InetSocketAddress to : new InetSocketAddress[] {webRtc, rtp, rtcp}) {
                    junk.send(new java.net.DatagramPacket(b, b.length, to));
                }
                // From the known addresses too: malformed RTP/RTCP/SRTP and short STUN/DTLS.
                peer.sendRaw(b);
                browser.sendRaw(b);
            }
        }
        byte[] oversized = new byte[3000];
        oversized[0] = (byte) 0x80;
        peer.sendRaw(oversized);
        browser.sendRaw(oversized);
        waitFor("junk counted", () -> relay.stats().packetsDropped() >= 300);
        // Still relaying both ways (retried: the burst may have overflowed a socket buffer).
        byte[] got = null;
        for (int seq = 10; got == null && seq < 30; seq++) {
            browser.sendRtp(0, seq, 160L * seq, 0xB1, false, Rtp.payload(0x5A));
            got = peer.receive(500);
            while (got != null && got[12] != 0x5A) {
                got = peer.receive(500);
            }
        }
        assertThat(got).isNotNull();
        peer.send(0, 100, 16000, 0x5151, false, Rtp.payload(0x5B));
        byte[] back;
        do {
            back = browser.nextRtp();
        } while (back != null && back[12] != 0x5B);
        assertThat(back).isNotNull();
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }
}
