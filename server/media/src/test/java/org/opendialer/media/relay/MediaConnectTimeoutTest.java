package org.opendialer.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opendialer.media.relay.MediaSession.Side;

/** media_failed's trigger: a browser side that never completed ICE and DTLS within the connect timeout of the answer. */
class MediaConnectTimeoutTest {
    /** The relay test's helpers (browser stand-ins, clean-up), not its tests. */
    final MediaRelayTest base = new MediaRelayTest();
    final BlockingQueue<Side> timedOut = base.timedOut;
    final BlockingQueue<Side> connected = base.connected;
    final BlockingQueue<Side> neverConnected = new LinkedBlockingQueue<>();
    final MediaSession.Listener failures = new MediaSession.Listener() {
        @Override
        public void mediaTimedOut(Side side) {
            timedOut.add(side);
        }

        @Override
        public void browserConnected(Side side) {
            connected.add(side);
        }

        @Override
        public void browserNeverConnected(Side side) {
            neverConnected.add(side);
        }
    };

    @org.junit.jupiter.api.AfterEach
    void tearDown() throws Exception {
        base.tearDown();
    }

    <T extends AutoCloseable> T track(T closeable) {
        return base.track(closeable);
    }

    MediaRelay relayWithConnectTimeout(Duration connectTimeout) throws Exception {
        return track(MediaRelay.open(new RelaySettings(MediaRelayTest.LOOPBACK, 0, "127.0.0.1", 35000, 35999, Duration.ofSeconds(30),
                0, connectTimeout)));
    }

    @Test
    void answeredCall_whoseBrowserNeverConnects_isReportedOnce_afterTheConnectTimeout() throws Exception {
        MediaSession session = relayWithConnectTimeout(Duration.ofMillis(300)).newSession(failures);
        TestBrowser browser = track(new TestBrowser());
        session.acceptOffer(Side.A, browser.offer(true, true, 126), null); // the browser never sends a check
        session.openRtp();
        // Not a sleep-then-look-for-nothing: the report that comes after the answer is the proof. The timeout runs
        // from the answer, so the report comes at least 300 ms after it; a timeout armed at the offer would have
        // reported by 300 ms + one 60 ms timer tick after it, so with the answer 500 ms after the offer that report
        // would be waiting already and arrive at once. (This wait only spaces the two; nothing is checked after it.)
        Thread.sleep(500);
        long answeredAt = System.nanoTime();
        session.answered();
        assertThat(neverConnected.poll(5, TimeUnit.SECONDS)).isEqualTo(Side.A);
        assertThat(System.nanoTime() - answeredAt).as("reported after the answer's timeout, not before the answer")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        session.answered(); // a second answer (extension pair) does not re-arm a reported side
        assertThat(neverConnected.poll(700, TimeUnit.MILLISECONDS)).isNull();
        assertThat(session.browserEverConnected(Side.A)).isFalse();
    }

    @Test
    void aBrowserThatConnected_isNeverReported_evenAfterItsLegIsReplacedByOneThatDoesNotConnect() throws Exception {
        MediaSession session = relayWithConnectTimeout(Duration.ofMillis(300)).newSession(failures);
        TestBrowser first = track(new TestBrowser());
        first.connect(session.acceptOffer(Side.A, first.offer(true, true, 126), null));
        assertThat(connected.poll(10, TimeUnit.SECONDS)).isEqualTo(Side.A);
        assertThat(session.browserEverConnected(Side.A)).isTrue();
        // A reload: a new peer connection offers and never gets through; the RTP timeout decides that one.
        session.acceptOffer(Side.A, track(new TestBrowser()).offer(true, true, 126), null);
        session.answered();
        assertThat(neverConnected.poll(1, TimeUnit.SECONDS)).isNull();
    }
}
