package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallStateTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void canMoveTo_allowsOnlyConnectingToAnsweredOrDisconnected_andAnsweredToDisconnected() {
        Set<String> allowed = Set.of("CONNECTING->ANSWERED", "CONNECTING->DISCONNECTED", "ANSWERED->DISCONNECTED");
        for (CallState from : CallState.values()) {
            for (CallState to : CallState.values()) {
                assertThat(from.canMoveTo(to)).as(from + "->" + to).isEqualTo(allowed.contains(from + "->" + to));
            }
        }
    }

    @Test
    void onlyDisconnectedIsFinal() {
        assertThat(EnumSet.allOf(CallState.class).stream().filter(CallState::isFinal)).containsExactly(
                CallState.DISCONNECTED);
    }

    @Test
    void moveTo_rejectsEveryIllegalMove() {
        Call answered = call();
        answered.moveTo(CallState.ANSWERED, null, T0);
        assertThatThrownBy(() -> answered.moveTo(CallState.ANSWERED, null, T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> answered.moveTo(CallState.CONNECTING, null, T0)).isInstanceOf(IllegalStateException.class);
        Call ended = call();
        ended.moveTo(CallState.DISCONNECTED, EndReason.BUSY, T0);
        for (CallState s : CallState.values()) {
            assertThatThrownBy(() -> ended.moveTo(s, s.isFinal() ? EndReason.FAILED : null, T0))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> call().moveTo(CallState.CONNECTING, null, T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void moveTo_rejectsEndReasonsThatDoNotFitTheStateLeft() {
        assertThatThrownBy(() -> call().moveTo(CallState.DISCONNECTED, null, T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> call().moveTo(CallState.ANSWERED, EndReason.BUSY, T0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> call().moveTo(CallState.DISCONNECTED, EndReason.LOCAL_HANGUP, T0))
                .isInstanceOf(IllegalStateException.class);
        Call answered = call();
        answered.moveTo(CallState.ANSWERED, null, T0);
        // answered_elsewhere ends a ringing call (a forking proxy's CANCEL), never an answered one
        assertThatThrownBy(() -> answered.moveTo(CallState.DISCONNECTED, EndReason.ANSWERED_ELSEWHERE, T0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> answered.moveTo(CallState.DISCONNECTED, EndReason.BUSY, T0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void result_isNullUntilDisconnected_thenNotAnsweredWithoutAnAnswer() {
        Call c = call();
        assertThat(c.view().result()).isNull();
        CallView end = c.moveTo(CallState.DISCONNECTED, EndReason.NO_ANSWER, T0.plusSeconds(60));
        assertThat(end.result()).isEqualTo(CallResult.NOT_ANSWERED);
        assertThat(end.answerTime()).isNull();
        assertThat(end.endTime()).isEqualTo(T0.plusSeconds(60));
        assertThat(end.seq()).isEqualTo(2);
    }

    @Test
    void result_isAnsweredAfterAnAnswer_evenWhenTheCallFailsLater() {
        Call c = call();
        CallView answered = c.moveTo(CallState.ANSWERED, null, T0.plusSeconds(3));
        assertThat(answered.result()).isNull();
        assertThat(answered.answerTime()).isEqualTo(T0.plusSeconds(3));
        CallView end = c.moveTo(CallState.DISCONNECTED, EndReason.FAILED, T0.plusSeconds(9));
        assertThat(end.result()).isEqualTo(CallResult.ANSWERED);
        assertThat(end.endReason()).isEqualTo(EndReason.FAILED);
        assertThat(end.seq()).isEqualTo(3);
    }

    @Test
    void answeredElsewhere_isADisconnectedViewWithTheAnswerTimeAsEnd() {
        Call c = call();
        CallView v = c.moveTo(CallState.ANSWERED, null, T0.plusSeconds(2)).answeredElsewhere();
        assertThat(v.state()).isEqualTo(CallState.DISCONNECTED);
        assertThat(v.endReason()).isEqualTo(EndReason.ANSWERED_ELSEWHERE);
        assertThat(v.result()).isEqualTo(CallResult.ANSWERED);
        assertThat(v.endTime()).isEqualTo(T0.plusSeconds(2));
        assertThat(v.seq()).isEqualTo(2);
    }

    private static Call call() {
        return new Call("c1", 1, CallDirection.INBOUND, "+14155550100", "1001", "Ada", T0);
    }
}
