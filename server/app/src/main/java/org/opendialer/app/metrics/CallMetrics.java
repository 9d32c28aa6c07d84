package org.opendialer.app.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.opendialer.core.calls.CallObserver;
import org.opendialer.core.calls.CallState;
import org.opendialer.core.calls.CallView;

/** Counts calls from the engine's saved states: started, answered (with timings), ended, live. */
public final class CallMetrics implements CallObserver {
    private final DialerMetrics m;

    CallMetrics(DialerMetrics metrics) {
        this.m = metrics;
    }

    @Override
    public void callChanged(long userId, CallView view, long sinceSipAnswerNanos) {
        String direction = view.direction().wire();
        if (view.seq() == 1) {
            m.callStarted(direction);
            m.liveCalls.incrementAndGet();
        }
        if (view.state() == CallState.ANSWERED) {
            if (view.startTime() != null && view.answerTime() != null) {
                m.inviteToAnswer(direction).record(Duration.between(view.startTime(), view.answerTime()));
            }
            if (sinceSipAnswerNanos >= 0) {
                m.answerToEvent.record(sinceSipAnswerNanos, TimeUnit.NANOSECONDS);
            }
        } else if (view.state() == CallState.DISCONNECTED) {
            m.callEnded(direction, view.result() == null ? "none" : view.result().wire(),
                    view.endReason() == null ? "none" : view.endReason().wire());
            m.liveCalls.decrementAndGet();
        }
    }
}
