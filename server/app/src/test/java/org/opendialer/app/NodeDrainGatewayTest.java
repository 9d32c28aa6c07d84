package org.opendialer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.config.NodeConfig;

/**
 * Draining the real gateway in-process (the engine, /healthz and the WebSockets wired as SIGTERM wires
 * them): a live extension call goes on, new calls and new WebSockets are refused, a dialer without a call
 * is asked to reconnect elsewhere, and the node exits once the call has ended.
 */
class NodeDrainGatewayTest {
    private static final String PASSWORD = "correct horse battery";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private int nextId;

    @TempDir
    Path dir;

    @Test
    void drain_keepsTheLiveCall_refusesNewCallsAndSockets_releasesIdleDialers_exitsWhenTheCallEnds() throws Exception {
        try (EngineGateway gw = new EngineGateway(dir, Map.of(), List.of(
                new NewUser("alice", PASSWORD, "Alice", "1001", null),
                new NewUser("bob", PASSWORD, "Bob", "1002", null),
                new NewUser("carol", PASSWORD, "Carol", "1003", null)));
             WsTestClient alice = signIn(gw, "alice");
             WsTestClient bob = signIn(gw, "bob");
             WsTestClient carol = signIn(gw, "carol")) {
            JsonNode health = healthz(gw, 200);
            assertThat(health.path("status").asText()).isEqualTo("ok");
            assertThat(health.path("node").asText()).isEqualTo(NodeConfig.hostName());
            assertThat(health.path("dialers").asInt()).isEqualTo(3);
            assertThat(health.path("calls").asInt()).isZero();

            assertThat(request(alice, "placeCall", "{\"to\":\"1002\"}").path("ok").asBoolean()).isTrue();
            assertThat(request(bob, "answer", "{}").path("ok").asBoolean()).isTrue();
            assertThat(healthz(gw, 200).path("calls").asInt()).as("both sides of the extension call").isEqualTo(2);

            CountDownLatch exited = new CountDownLatch(1);
            new NodeDrain(NodeDrain.node(gw.engine, gw.server), Duration.ofMinutes(5), exited::countDown).signal();

            assertThat(carol.awaitCloseCode()).as("a dialer without a call here is asked to reconnect")
                    .isEqualTo(1012);
            health = healthz(gw, 503);
            assertThat(health.path("status").asText()).isEqualTo("draining");
            assertThat(health.path("calls").asInt()).isEqualTo(2);
            assertThatThrownBy(() -> WsTestClient.connect(gw.config.publicUrlText()))
                    .as("a new WebSocket is refused while draining").isInstanceOf(Exception.class);
            JsonNode refused = request(alice, "placeCall", "{\"to\":\"1003\"}");
            assertThat(refused.path("error").path("code").asText()).isEqualTo("node_draining");
            assertThat(refused.path("error").path("message").asText()).contains("takes no new calls");
            assertThat(exited.await(1, TimeUnit.SECONDS)).as("still up while the call is").isFalse();

            assertThat(request(alice, "hangUp", "{}").path("ok").asBoolean()).isTrue();
            assertThat(exited.await(20, TimeUnit.SECONDS)).as("exits once the call ended").isTrue();
            assertThat(alice.awaitCloseCode()).as("and tells the dialers left to reconnect before it goes")
                    .isEqualTo(1012);
            assertThat(bob.awaitCloseCode()).isEqualTo(1012);
            assertThat(gw.engine.liveCallCount()).isZero();
        }
    }

    private WsTestClient signIn(EngineGateway gw, String user) throws Exception {
        WsTestClient ws = connectPatiently(gw);
        JsonNode r = request(ws, "signIn", "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        return ws;
    }

    /**
     * The test client gives the opening handshake 5 s; on a loaded machine a cold gateway can take longer
     * to answer its first upgrades, so up to three tries.
     */
    private static WsTestClient connectPatiently(EngineGateway gw) {
        for (int attempt = 1; ; attempt++) {
            try {
                return WsTestClient.connect(gw.config.publicUrlText());
            } catch (java.util.concurrent.CompletionException e) {
                if (attempt == 3 || !(e.getCause() instanceof java.net.http.HttpTimeoutException)) {
                    throw e;
                }
            }
        }
    }

    /** Sends a request and returns its response, skipping the events that arrive before it. */
    private JsonNode request(WsTestClient ws, String method, String params) throws Exception {
        String id = "d" + (++nextId);
        ws.sendText("{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":"
                + params + "}");
        while (true) {
            JsonNode frame = ws.next();
            if (id.equals(frame.path("id").asText())) {
                return frame;
            }
        }
    }

    /** /healthz, polled until it answers {@code status} (within 10 s). */
    private JsonNode healthz(EngineGateway gw, int status) throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 100; i++) {
            last = http.send(HttpRequest.newBuilder(URI.create(gw.config.publicUrlText() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == status) {
                return JSON.readTree(last.body());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/healthz did not answer " + status + ": " + last.statusCode() + " " + last.body());
    }
}
