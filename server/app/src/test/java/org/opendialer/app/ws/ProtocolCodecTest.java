package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolCodecTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    @Test
    void wellFormedRequest_isParsed() {
        WsRequest request = codec.parse(
                "{\"v\":1,\"type\":\"request\",\"id\":\"r1\",\"method\":\"placeCall\",\"params\":{\"to\":\"1001\"}}");
        assertThat(request.id()).isEqualTo("r1");
        assertThat(request.method()).isEqualTo("placeCall");
        assertThat(request.params().get("to").textValue()).isEqualTo("1001");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "", "   ", "{", "{\"v\":1,}", "[1,2]", "\"text\"", "42", "null", "true",
        "{\"v\":1} {\"v\":1}", "{\"id\":\"r\",\"id\":\"r\",\"v\":1}", "{\"v\":1,\"type\":\"request\",\"id\":\"a\",\"method\":\"m\",\"params\":{}} x"
    })
    void nonObjectOrBrokenJson_isBadFrameWithoutId(String frame) {
        assertThatThrownBy(() -> codec.parse(frame))
                .isInstanceOfSatisfying(BadFrameException.class, e -> assertThat(e.id()).isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"v\":1,\"type\":\"request\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":7,\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":null,\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":[\"a\"],\"method\":\"hello\",\"params\":{}}"
    })
    void missingOrUnusableId_isBadFrameWithoutId(String frame) {
        assertThatThrownBy(() -> codec.parse(frame))
                .isInstanceOfSatisfying(BadFrameException.class, e -> assertThat(e.id()).isNull())
                .hasMessageContaining("id");
    }

    @Test
    void idLongerThan64Characters_isBadFrameWithoutId() {
        String id = "x".repeat(65);
        assertThatThrownBy(() -> codec.parse(
                "{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"hello\",\"params\":{}}"))
                .isInstanceOfSatisfying(BadFrameException.class, e -> assertThat(e.id()).isNull());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"v\":2,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":\"1\",\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1.0,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":99999999999999999999,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1e400,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"type\":\"response\",\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"id\":\"r\",\"method\":\"hello\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"\",\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":{},\"params\":{}}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\"}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":[]}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":null}",
        "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"hello\",\"params\":{},\"extra\":true}"
    })
    void wrongEnvelope_isBadFrameCarryingTheId(String frame) {
        assertThatThrownBy(() -> codec.parse(frame))
                .isInstanceOfSatisfying(BadFrameException.class, e -> assertThat(e.id()).isEqualTo("r"));
    }

    @Test
    void hugeNumberLiteral_isRejected() {
        String frame = "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"m\",\"params\":{\"n\":"
                + "9".repeat(5000) + "}}";
        assertThatThrownBy(() -> codec.parse(frame)).isInstanceOf(BadFrameException.class);
    }

    @Test
    void deeplyNestedGarbage_isRejectedWithoutStackOverflow() {
        String frame = "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"m\",\"params\":{\"a\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}}";
        assertThatThrownBy(() -> codec.parse(frame)).isInstanceOf(BadFrameException.class);
    }

    @Test
    void frameOver64KiB_isRejected_evenWhenMultibyte() {
        String pad = "é".repeat(33 * 1024); // 66 KiB in UTF-8, 33 Ki chars
        String frame = "{\"v\":1,\"type\":\"request\",\"id\":\"r\",\"method\":\"m\",\"params\":{\"p\":\"" + pad + "\"}}";
        assertThatThrownBy(() -> codec.parse(frame))
                .isInstanceOf(BadFrameException.class).hasMessageContaining("larger than");
    }

    @Test
    void responsesAndEvents_haveTheProtocolShape() throws Exception {
        JsonNode ok = codec.mapper().readTree(codec.success("r1", null));
        assertThat(ok.toString()).isEqualTo("{\"v\":1,\"type\":\"response\",\"id\":\"r1\",\"ok\":true,\"result\":null}");
        JsonNode error = codec.mapper().readTree(codec.error(null, ErrorCode.BAD_REQUEST, "Nope."));
        assertThat(error.toString()).isEqualTo(
                "{\"v\":1,\"type\":\"response\",\"id\":null,\"ok\":false,\"error\":{\"code\":\"bad_request\",\"message\":\"Nope.\"}}");
        JsonNode event = codec.mapper().readTree(codec.event(Wire.sessionEnded("revoked")));
        assertThat(event.toString()).isEqualTo(
                "{\"v\":1,\"type\":\"event\",\"event\":{\"type\":\"authStateChanged\",\"signed_in\":false,\"user\":null,\"reason\":\"revoked\"}}");
    }
}
