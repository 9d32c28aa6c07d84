package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.opendialer.app.EngineGateway;
import org.opendialer.app.WsTestClient;
import org.opendialer.core.accounts.NewUser;

/** A real gateway with the real call engine (no SIP trunk unless one is given) and users alice and bob. */
final class CallGateway extends EngineGateway {
    static final String PASSWORD = "correct horse battery";

    CallGateway(Path dir, Map<String, String> extraEnv) throws Exception {
        super(dir, extraEnv, List.of(
                new NewUser("alice", PASSWORD, "Alice Agent", "1001", "+12015550123"),
                new NewUser("bob", PASSWORD, "Bob Builder", "1002", null)));
    }

    Dialer signIn(String username) throws Exception {
        Dialer d = new Dialer(WsTestClient.connect(config.publicUrlText()));
        JsonNode r = d.call("signIn", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        return d;
    }

    /** One dialer connection: requests and their responses, with events kept aside in arrival order. */
    static final class Dialer implements AutoCloseable {
        final WsTestClient ws;
        private final Deque<JsonNode> events = new ArrayDeque<>();
        private int nextId;

        Dialer(WsTestClient ws) {
            this.ws = ws;
        }

        /** Sends a request and returns its response; events that arrive meanwhile are queued. */
        JsonNode call(String method, String paramsJson) throws Exception {
            String id = "r" + (++nextId);
            ws.sendText("{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"" + method
                    + "\",\"params\":" + paramsJson + "}");
            while (true) {
                JsonNode frame = ws.next();
                if (frame.path("type").asText().equals("event")) {
                    events.add(frame.path("event"));
                } else {
                    assertThat(frame.path("id").asText()).isEqualTo(id);
                    return frame;
                }
            }
        }

        /**
         * The next callStateChanged's call, waiting up to 10 s. {@code callProgress} (early media on or
         * off, protocol.md) is the dialer's own hint and is skipped: these tests compare state sequences.
         */
        JsonNode nextCall() throws Exception {
            JsonNode event = events.isEmpty() ? nextEventFrame() : events.poll();
            while (event.path("type").asText().equals("callProgress")) {
                event = events.isEmpty() ? nextEventFrame() : events.poll();
            }
            assertThat(event.path("type").asText()).as(event.toString()).isEqualTo("callStateChanged");
            return event.path("call");
        }

        private JsonNode nextEventFrame() throws Exception {
            JsonNode frame = ws.next();
            assertThat(frame.path("type").asText()).as(frame.toString()).isEqualTo("event");
            return frame.path("event");
        }

        /** Reads {@code n} call events. */
        List<JsonNode> nextCalls(int n) throws Exception {
            List<JsonNode> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(nextCall());
            }
            return calls;
        }

        /** "state/end_reason@seq" of a call event, the form the tests compare sequences in. */
        static String summary(JsonNode call) {
            return call.path("state").asText()
                    + (call.path("end_reason").isNull() ? "" : "/" + call.path("end_reason").asText())
                    + "@" + call.path("seq").asLong();
        }

        /** Events that arrived before the responses read so far and were not read yet. */
        int queuedEvents() {
            return events.size();
        }

        boolean quiet(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
            return events.isEmpty() && ws.hasNoPendingFrames();
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}
