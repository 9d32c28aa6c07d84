package org.opendialer.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void acceptsNewAndReorderedWithinWindow_rejectsDuplicatesAndTooOld() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.isFresh(100)).isTrue();
        w.accept(100);
        assertThat(w.isFresh(100)).isFalse();
        assertThat(w.isFresh(99)).isTrue();
        w.accept(99);
        assertThat(w.isFresh(99)).isFalse();
        w.accept(200);
        assertThat(w.isFresh(137)).isTrue();   // 63 behind: still inside
        assertThat(w.isFresh(136)).isFalse();  // 64 behind: outside (§3.3.2)
        assertThat(w.isFresh(201)).isTrue();
        w.accept(137);
        assertThat(w.isFresh(137)).isFalse();
        w.accept(202);
        assertThat(w.isFresh(137)).as("65 behind").isFalse();
        assertThat(w.isFresh(200)).as("seen bit kept across the shift").isFalse();
        assertThat(w.isFresh(201)).isTrue();
    }
}
