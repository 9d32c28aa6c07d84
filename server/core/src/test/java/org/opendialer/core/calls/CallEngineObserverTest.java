package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.sip.SipMetrics;

/**
 * The observer is told of each state twice, around the dialers: callSaved before any dialer has it (the
 * webhook outbox row is written there, so a gateway killed the moment a dialer sees "answered" has already
 * queued call.answered), callChanged after (metrics time the event handed to the dialers).
 */
class CallEngineObserverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private SipEngineFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void callSaved_runsBeforeTheDialersHaveTheState_callChangedAfter() throws Exception {
        fx = new SipEngineFixture(dir);
        RecordingDialer dialer = new RecordingDialer(fx.alice.id());
        List<String> seen = new ArrayList<>(); // engine thread only while the call runs
        CallObserver observer = new CallObserver() {
            @Override
            public void callSaved(long userId, CallView view) {
                seen.add("saved " + view.state().wire() + (delivered(view) ? " (dialer had it)" : ""));
            }

            @Override
            public void callChanged(long userId, CallView view, long nanos) {
                seen.add("changed " + view.state().wire() + (delivered(view) ? "" : " (dialer did not have it)"));
            }

            private boolean delivered(CallView view) {
                return dialer.received().stream().anyMatch(v -> v.seq() == view.seq());
            }
        };
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            CallEngine engine = fx.start(trunk.uri(), 20960, 20979, e -> e.instrument(observer, SipMetrics.NONE));
            engine.attach(dialer);
            engine.place(fx.alice, new DialTarget.PhoneNumber("+12025550143"));
            dialer.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
        }
        fx.close(); // the engine thread has stopped: seen is complete
        fx = null;
        List<String> expected = new ArrayList<>();
        for (String state : dialer.states()) {
            String s = state.replaceAll("/.*", "");
            expected.add("saved " + s);
            expected.add("changed " + s);
        }
        assertThat(seen).isEqualTo(expected).contains("saved answered", "saved disconnected");
    }
}
