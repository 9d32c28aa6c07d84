package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opendialer.core.calls.CallDirection;
import org.opendialer.core.calls.CallResult;
import org.opendialer.core.calls.CallState;
import org.opendialer.core.calls.CallView;
import org.opendialer.core.calls.EndReason;

class WireCallTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");

    @Test
    void ringingCall_hasEveryFieldInSnakeCase_withNullsForWhatIsNotKnownYet() throws Exception {
        CallView view = new CallView("c1", CallState.CONNECTING, CallDirection.INBOUND, null, null, "1001", null, T0,
                null, null, null, 1);
        String json = new ObjectMapper().writeValueAsString(Wire.callStateChanged(view));
        assertThat(json).isEqualTo("{\"type\":\"callStateChanged\",\"call\":{\"id\":\"c1\",\"state\":\"connecting\","
                + "\"direction\":\"inbound\",\"result\":null,\"from\":null,\"to\":\"1001\","
                + "\"caller\":{\"caller_display_name\":null},\"start_time\":\"2026-01-01T10:00:00.123Z\","
                + "\"answer_time\":null,\"end_time\":null,\"end_reason\":null,\"seq\":1}}");
    }

    @Test
    void endedCall_carriesResultEndReasonAndIsoTimes() throws Exception {
        CallView view = new CallView("c2", CallState.DISCONNECTED, CallDirection.OUTBOUND, CallResult.ANSWERED,
                "+12015550123", "+14155550199", "Alice", T0, T0.plusSeconds(2), T0.plusSeconds(30),
                EndReason.REMOTE_HANGUP, 3);
        var node = Wire.call(view);
        assertThat(node.path("result").asText()).isEqualTo("answered");
        assertThat(node.path("end_reason").asText()).isEqualTo("remote_hangup");
        assertThat(node.path("answer_time").asText()).isEqualTo("2026-01-01T10:00:02.123Z");
        assertThat(node.path("end_time").asText()).isEqualTo("2026-01-01T10:00:30.123Z");
        assertThat(node.path("caller").path("caller_display_name").asText()).isEqualTo("Alice");
    }
}
