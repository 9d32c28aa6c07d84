package org.opendialer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSetupTest {
    private final PrintStream err = System.err;

    @AfterEach
    void restore() {
        System.setErr(err);
        LogSetup.apply("info", false);
    }

    private String capture(Runnable logging) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(err);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void json_writesOneObjectPerLine_withTheCallIdAndUserOfTheLogContext() throws Exception {
        LogSetup.apply("info", true);
        String out = capture(() -> {
            MDC.put("call_id", "c-42");
            MDC.put("user", "alice");
            try {
                LoggerFactory.getLogger("org.opendialer.test").info("call {} answered", "c-42");
            } finally {
                MDC.clear();
            }
            System.getLogger("org.opendialer.sip.Test").log(System.Logger.Level.WARNING, "from the SIP module");
        });
        String[] lines = out.strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.path("message").asText()).isEqualTo("call c-42 answered");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("logger_name").asText()).isEqualTo("org.opendialer.test");
        assertThat(first.path("call_id").asText()).isEqualTo("c-42");
        assertThat(first.path("user").asText()).isEqualTo("alice");
        assertThat(first.has("@timestamp")).isTrue();
        JsonNode second = new ObjectMapper().readTree(lines[1]);
        assertThat(second.path("logger_name").asText()).isEqualTo("org.opendialer.sip.Test");
        assertThat(second.path("level").asText()).isEqualTo("WARN");
    }

    @Test
    void text_staysReadable_andHonoursTheLevel() {
        LogSetup.apply("warn", false);
        String out = capture(() -> {
            LoggerFactory.getLogger("org.opendialer.test").info("hidden at warn");
            LoggerFactory.getLogger("org.opendialer.test").warn("shown");
        });
        assertThat(out).doesNotContain("hidden").contains(" WARN org.opendialer.test - shown");
        assertThat(out.strip()).doesNotStartWith("{");
    }

    @Test
    void text_namesTheCallOnLinesThatHaveOne_andOnlyThere() {
        LogSetup.apply("info", false);
        String out = capture(() -> {
            MDC.put("call_id", "c-42");
            try {
                LoggerFactory.getLogger("org.opendialer.test").info("about a call");
            } finally {
                MDC.clear();
            }
            LoggerFactory.getLogger("org.opendialer.test").info("about nothing");
        });
        assertThat(out).contains(" INFO org.opendialer.test call=c-42 - about a call")
                .contains(" INFO org.opendialer.test - about nothing");
    }
}
