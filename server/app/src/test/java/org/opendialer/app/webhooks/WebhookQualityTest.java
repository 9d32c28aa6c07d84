package org.opendialer.app.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.calls.CallDirection;
import org.opendialer.core.calls.CallResult;
import org.opendialer.core.calls.CallState;
import org.opendialer.core.calls.CallView;
import org.opendialer.core.calls.EndReason;
import org.opendialer.media.quality.LegSummary;
import org.opendialer.media.quality.QualitySummary;

/** call.ended carries the call's stored quality summary; the other events and calls without one do not. */
class WebhookQualityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database db = Database.open("jdbc:h2:mem:webhookquality;DB_CLOSE_DELAY=-1", "", "");
    private final WebhookOutbox outbox = new WebhookOutbox(db);

    @AfterEach
    void close() {
        db.close();
    }

    private static CallView view(String id, CallState state, long seq) {
        Instant start = Instant.parse("2026-12-05T10:00:00Z");
        boolean ended = state == CallState.DISCONNECTED;
        return new CallView(id, state, CallDirection.OUTBOUND, ended ? CallResult.ANSWERED : null, "1001",
                "+12025550143", null, start, state == CallState.CONNECTING ? null : start.plusSeconds(3),
                ended ? start.plusSeconds(65) : null, ended ? EndReason.LOCAL_HANGUP : null, seq);
    }

    private Map<String, JsonNode> eventsOf(String callId) throws Exception {
        Map<String, JsonNode> byType = new HashMap<>();
        for (WebhookOutbox.Delivery d : outbox.ofCall(callId)) {
            byType.put(d.type(), JSON.readTree(d.payload()).path("data").path("call"));
        }
        return byType;
    }

    @Test
    void callEnded_carriesTheQualitySummary_whereTheCallHasOne() throws Exception {
        QualitySummary summary = new QualitySummary(12, 3.3, 4.0,
                new LegSummary(12, 4.4, 4.41, 0.0, 0.0, 1.0, 2.0, 1.5),
                new LegSummary(12, 3.3, 4.02, 4.0, 10.5, 3.0, 9.0, Double.NaN));
        WebhookEvents events = new WebhookEvents(outbox, Clock.systemUTC(), () -> {},
                id -> id.equals("call-q") ? summary : null);
        for (String id : new String[] {"call-q", "call-none"}) {
            events.callSaved(1, view(id, CallState.CONNECTING, 1));
            events.callSaved(1, view(id, CallState.ANSWERED, 2));
            events.callSaved(1, view(id, CallState.DISCONNECTED, 3));
        }

        Map<String, JsonNode> q = eventsOf("call-q");
        JsonNode quality = q.get("call.ended").path("quality");
        assertThat(quality.path("mos_min").asDouble()).isEqualTo(3.3);
        assertThat(quality.path("mos_avg").asDouble()).isEqualTo(4.0);
        assertThat(quality.at("/legs/sip/packet_loss_pct_max").asDouble()).isEqualTo(10.5);
        assertThat(quality.at("/legs/browser/jitter_ms_max").asDouble()).isEqualTo(2.0);
        assertThat(quality.at("/legs/sip/rtt_ms_avg").isNull()).isTrue();
        assertThat(q.get("call.started").has("quality")).isFalse();
        assertThat(q.get("call.answered").has("quality")).isFalse();
        JsonNode none = eventsOf("call-none").get("call.ended");
        assertThat(none.has("quality")).isTrue();
        assertThat(none.get("quality").isNull()).isTrue();
    }
}
