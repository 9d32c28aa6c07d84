package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallStateTest {
    @Test
    void transitionsFollowTheDialogLifecycle() {
        assertThat(CallState.INITIAL.canMoveTo(CallState.EARLY)).isTrue();
        assertThat(CallState.INITIAL.canMoveTo(CallState.CONFIRMED)).isTrue();
        assertThat(CallState.EARLY.canMoveTo(CallState.CANCELING)).isTrue();
        assertThat(CallState.EARLY.canMoveTo(CallState.INITIAL)).isFalse();
        assertThat(CallState.CANCELING.canMoveTo(CallState.CONFIRMED)).isFalse();
        assertThat(CallState.CONFIRMED.canMoveTo(CallState.EARLY)).isFalse();
        assertThat(CallState.CONFIRMED.canMoveTo(CallState.TERMINATED)).isTrue();
        for (CallState next : CallState.values()) {
            assertThat(CallState.TERMINATED.canMoveTo(next)).isFalse();
        }
        assertThat(CallState.TERMINATED.isFinal()).isTrue();
        assertThat(CallState.CONFIRMED.isFinal()).isFalse();
    }

    @Test
    void endReasonFromStatus() {
        assertThat(EndReason.fromStatus(486)).isEqualTo(EndReason.BUSY);
        assertThat(EndReason.fromStatus(600)).isEqualTo(EndReason.BUSY);
        assertThat(EndReason.fromStatus(603)).isEqualTo(EndReason.DECLINED);
        assertThat(EndReason.fromStatus(408)).isEqualTo(EndReason.NO_ANSWER);
        assertThat(EndReason.fromStatus(480)).isEqualTo(EndReason.NO_ANSWER);
        assertThat(EndReason.fromStatus(404)).isEqualTo(EndReason.FAILED);
        assertThat(EndReason.fromStatus(503)).isEqualTo(EndReason.FAILED);
    }
}
