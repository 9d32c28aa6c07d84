package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.LogSetup;

/**
 * A call can be followed by its id through the log (docs/operations.md): the lines the engine writes
 * for what the SIP stack reports (the far end answered, hung up) carry the call's {@code call_id},
 * though no dialer request is running then. JSON format, as a log shipper reads it.
 */
class CallLogLinesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void sipCallbackLines_carryTheCallId_inJsonLogs() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String callId;
        LogSetup.apply("info", true);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (SippTrunk trunk = SippTrunk.uas("uas_answer_then_bye.xml");
             CallGateway gateway = new CallGateway(dir, Map.of(
                     "DIALER_SIP_TRUNK", trunk.uri(),
                     "DIALER_SIP_PORT", String.valueOf(SippTrunk.freeEvenUdpPort()),
                     "DIALER_PUBLIC_ADDRESS", "127.0.0.1",
                     "DIALER_RTP_PORTS", "19150-19179"));
             var alice = gateway.signIn("alice")) {
            callId = alice.call("placeCall", "{\"to\":\"+1 415 555 0199\"}").path("result").path("call_id").asText();
            assertThat(alice.nextCalls(3)).last().satisfies(c -> assertThat(CallGateway.Dialer.summary(c))
                    .isEqualTo("disconnected/remote_hangup@3"));
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
        } finally {
            System.setErr(err);
            LogSetup.apply("info", false);
        }
        List<JsonNode> sipLines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                JsonNode json = new ObjectMapper().readTree(line);
                if (json.path("message").asText().startsWith("SIP: ")) {
                    sipLines.add(json);
                }
            }
        }
        assertThat(sipLines).extracting(l -> l.path("message").asText())
                .contains("SIP: the far end answered", "SIP: the far end hung up");
        assertThat(sipLines).allSatisfy(l -> assertThat(l.path("call_id").asText()).as(l.toString()).isEqualTo(callId));
    }
}
