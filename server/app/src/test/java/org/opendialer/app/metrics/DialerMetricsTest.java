package org.opendialer.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opendialer.core.calls.CallDirection;
import org.opendialer.core.calls.CallResult;
import org.opendialer.core.calls.CallState;
import org.opendialer.core.calls.CallView;
import org.opendialer.core.calls.EndReason;
import org.opendialer.media.MediaMetrics;

class DialerMetricsTest {
    private static CallView view(CallState state, long seq) {
        Instant start = Instant.parse("2026-12-05T10:00:00Z");
        boolean ended = state == CallState.DISCONNECTED;
        return new CallView("c1", state, CallDirection.OUTBOUND, ended ? CallResult.ANSWERED : null, "1001",
                "+12025550143", "Alice", start, state == CallState.CONNECTING ? null : start.plusSeconds(2),
                ended ? start.plusSeconds(9) : null, ended ? EndReason.REMOTE_HANGUP : null, seq);
    }

    @Test
    void callsCounts_followTheEngineStates_withBoundedLabelsOnly() {
        try (DialerMetrics m = new DialerMetrics()) {
            m.calls().callChanged(7, view(CallState.CONNECTING, 1), -1);
            assertThat(m.scrape()).contains("dialer_calls_live 1.0");
            m.calls().callChanged(7, view(CallState.ANSWERED, 2), 3_000_000);
            m.calls().callChanged(7, view(CallState.DISCONNECTED, 3), -1);
            String text = m.scrape();
            assertThat(text).contains("dialer_calls_started_total{direction=\"outbound\"} 1.0")
                    .contains("dialer_calls_ended_total{direction=\"outbound\",end_reason=\"remote_hangup\",result=\"answered\"} 1.0")
                    .contains("dialer_calls_live 0.0")
                    .contains("dialer_answer_to_event_seconds_count 1")
                    .contains("dialer_invite_to_answer_seconds_count{direction=\"outbound\"} 1");
            assertThat(text).doesNotContain("+12025550143").doesNotContain("Alice").doesNotContain("1001\"");
        }
    }

    @Test
    void sipMethodsOutsideTheKnownSet_countAsOther_soASenderCannotMintSeries() {
        try (DialerMetrics m = new DialerMetrics()) {
            m.sip().requestReceived("INVITE");
            m.sip().requestReceived("X-EVIL-" + System.nanoTime());
            m.sip().responseReceived("INVITE", 486);
            assertThat(m.scrape()).contains("dialer_sip_requests_total{method=\"INVITE\"} 1.0")
                    .contains("dialer_sip_requests_total{method=\"other\"} 1.0")
                    .contains("dialer_sip_responses_total{method=\"INVITE\",status=\"486\"} 1.0")
                    .doesNotContain("X-EVIL");
        }
    }

    @Test
    void scrape_passesPromtoolCheckMetrics() throws Exception {
        try (DialerMetrics m = new DialerMetrics()) {
            m.calls().callChanged(7, view(CallState.CONNECTING, 1), -1);
            m.media().relayed(MediaMetrics.Direction.BROWSER_TO_SIP, 160);
            m.media().iceConnected(2_000_000);
            m.webSockets().signIn("signIn", "ok");
            m.connectedDialers(() -> 3);
            Process p;
            try {
                p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("promtool is missing: install the Debian package prometheus (./dialer test does)", e);
            }
            p.getOutputStream().write(m.scrape().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
        }
    }
}
