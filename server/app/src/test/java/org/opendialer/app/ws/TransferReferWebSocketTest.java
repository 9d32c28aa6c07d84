package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DIALER_TRANSFER=refer through the real gateway: the WebSocket {@code transfer} of a trunk call to a number
 * becomes a REFER to SIPp as the trunk, whose NOTIFY 200 ends the call {@code transferred}.
 */
class TransferReferWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private CallGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void transferToANumber_inReferMode_sendsRefer_andTheCallEndsTransferredOnTheTrunksNotify200() throws Exception {
        try (SippTrunk trunk = SippTrunk.uas("uas_refer_accept.xml")) {
            gateway = new CallGateway(dir, Map.of(
                    "DIALER_SIP_TRUNK", trunk.uri(),
                    "DIALER_SIP_PORT", String.valueOf(SippTrunk.freeEvenUdpPort()),
                    "DIALER_PUBLIC_ADDRESS", "127.0.0.1",
                    "DIALER_RTP_PORTS", "19580-19599",
                    "DIALER_TRANSFER", "refer"));
            try (var alice = gateway.signIn("alice")) {
                JsonNode placed = alice.call("placeCall", "{\"to\":\"+1 415 555 0199\"}");
                String callId = placed.path("result").path("call_id").asText();
                assertThat(callId).as(placed.toString()).isNotEmpty();
                assertThat(alice.nextCalls(2).stream().map(CallGateway.Dialer::summary))
                        .containsExactly("connecting@1", "answered@2");
                JsonNode transfer = alice.call("transfer", "{\"to\":\"+1 415 555 0177\",\"call_id\":\"" + callId + "\"}");
                assertThat(transfer.path("error").isMissingNode()).as(transfer.toString()).isTrue();
                assertThat(alice.nextCalls(1).stream().map(CallGateway.Dialer::summary))
                        .containsExactly("disconnected/transferred@3");
                assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero(); // REFER checked, NOTIFYs answered, BYE
            }
        }
    }
}
