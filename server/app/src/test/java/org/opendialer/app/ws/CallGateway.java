package org.opendialer.app.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendialer.app.CallEngines;
import org.opendialer.app.GatewayServer;
import org.opendialer.app.WsTestClient;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.config.GatewayConfig;

/** A real gateway with the real call engine (no SIP trunk unless one is given) and users alice and bob. */
final class CallGateway implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";

    final Database db;
    final AccountService accounts;
    final CallEngine engine;
    final org.opendialer.media.relay.MediaRelay relay;
    final GatewayServer server;
    final GatewayConfig config;

    CallGateway(Path dir, Map<String, String> extraEnv) throws Exception {
        Files.createDirectories(dir.resolve("web"));
        Map<String, String> env = new HashMap<>();
        try (ServerSocket s = new ServerSocket(0)) {
            env.put("DIALER_HTTP_PORT", String.valueOf(s.getLocalPort()));
        }
        env.put("DIALER_DEMO_PORT", "0");
        env.put("DIALER_WEB_DIR", dir.resolve("web").toString());
        env.put("DIALER_DATA_DIR", dir.resolve("data").toString());
        env.put("DIALER_SIP_LISTEN_ADDRESS", "127.0.0.1");
        try (java.net.DatagramSocket u = new java.net.DatagramSocket(0)) {
            env.put("DIALER_WEBRTC_PORT", String.valueOf(u.getLocalPort()));
        }
        env.putAll(extraEnv);
        config = GatewayConfig.from(env);
        Files.createDirectories(config.dataDir());
        db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        accounts = new AccountService(db, Clock.systemUTC(), config.sessionIdleTtl(), config.signInTokenTtl(),
                PasswordHasher.forTests());
        if (accounts.findUser("alice").isEmpty()) {
            accounts.createUser(new NewUser("alice", PASSWORD, "Alice Agent", "1001", "+12015550123"));
            accounts.createUser(new NewUser("bob", PASSWORD, "Bob Builder", "1002", null));
        }
        relay = CallEngines.openRelay(config.sip());
        engine = CallEngines.create(config.sip(), accounts, db, relay, Clock.systemUTC());
        engine.start();
        server = GatewayServer.start(config, accounts, new CallLog(db), new EngineCalls(engine));
    }

    Dialer signIn(String username) throws Exception {
        Dialer d = new Dialer(WsTestClient.connect(config.publicUrlText()));
        JsonNode r = d.call("signIn", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        return d;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        relay.close();
        db.close();
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

        /** The next callStateChanged's call, waiting up to 10 s. */
        JsonNode nextCall() throws Exception {
            JsonNode event = events.isEmpty() ? nextEventFrame() : events.poll();
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
