package org.opendialer.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void lineBreaksNulAndBidiOverridesBecomeQuestionMarks() {
        assertThat(LogText.printable("x\n[main] INFO forged")).isEqualTo("x?[main] INFO forged");
        assertThat(LogText.printable("a\u0000b\r\u202Ec\u200Bd")).isEqualTo("a?b??c?d");
    }

    @Test
    void longTextIsClipped_plainTextAndNullStayReadable() {
        assertThat(LogText.printable("n".repeat(100))).hasSize(65).endsWith("…");
        assertThat(LogText.printable("alice")).isEqualTo("alice");
        assertThat(LogText.printable(null)).isEqualTo("null");
    }
}
