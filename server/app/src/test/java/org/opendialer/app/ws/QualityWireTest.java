package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opendialer.media.quality.LegQuality;

class QualityWireTest {

    @Test
    void sipQuality_carriesTheFourFigures_anUnknownRoundTripAsNull() {
        JsonNode event = QualityWire.sipQuality("c-1", LegQuality.of(10.2, 8.0, Double.NaN));
        assertThat(event.get("type").asText()).isEqualTo("sipQuality");
        assertThat(event.get("call_id").asText()).isEqualTo("c-1");
        assertThat(event.get("packet_loss_pct").asDouble()).isEqualTo(10.2);
        assertThat(event.get("jitter_ms").asDouble()).isEqualTo(8.0);
        assertThat(event.get("rtt_ms").isNull()).isTrue();
        assertThat(event.get("mos").asDouble()).isBetween(3.0, 3.6);
        assertThat(event.size()).isEqualTo(6); // the dialer's guard: these fields and no others it must skip
    }
}
