package org.opendialer.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.WsTestClient;
import org.opendialer.testkit.HeapProbe;

/**
 * Hostile input on the dialer WebSocket (docs/protocol.md parts 2-4): thousands of random, mutated,
 * mistyped, oversized and out-of-order frames from a deterministic seed ({@code -Dfuzz.seed=N}).
 * Every frame must get exactly one well-formed response (never {@code internal_error}); only a frame
 * over 256 KiB may close the connection, with 1009. Between the phases and at the end a well-behaved
 * dialer on other connections signs in and places an extension call that rings, and the fuzzer
 * cannot touch that call.
 */
class WsProtocolFuzzTest {
    private static final Set<String> CODES = Set.of("bad_request", "unknown_method", "invalid_phone_number",
            "authentication_required", "invalid_credentials", "calls_unavailable", "call_not_found",
            "outgoing_call_already_ringing", "call_in_progress",
            // sign-in limits (security.md) and the destination policy: refusals the fuzz can cross
            "rate_limited", "destination_not_allowed", "call_rate_limited");
    private static final String SDP = String.join("\r\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-",
            "t=0 0", "a=group:BUNDLE 0", "m=audio 9 UDP/TLS/RTP/SAVPF 0 8 101", "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:fz01", "a=ice-pwd:fuzzfuzzfuzzfuzzfuzzfuzz",
            "a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
            "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000", "") ;

    @TempDir
    Path dir;
    private FuzzGateway gateway;
    /** Well inside the default DIALER_SIGNIN_WINDOW_S (10 s). */
    private static final Duration ANONYMOUS_RENEWAL = Duration.ofSeconds(5);
    private final Map<String, Integer> tried = new TreeMap<>();
    private final Map<String, Integer> answers = new TreeMap<>();
    private int frames;
    private int goodChecks;
    private int resigns;
    private String malloryToken;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A connection under fuzz: each frame is answered by exactly one response; events are checked and skipped. */
    private final class Fuzzer implements AutoCloseable {
        WsTestClient ws;
        final String name;
        /** When the connection was opened: an anonymous one is closed by the gateway after DIALER_SIGNIN_WINDOW_S. */
        private long openedAt = System.nanoTime();

        Fuzzer(WsTestClient ws, String name) {
            this.ws = ws;
            this.name = name;
        }

        /** Set for mallory's connection: signed in again (fresh sign-in token) every 50 frames, since the fuzz signs it out. */
        String resignAs;
        private int sent;

        void resign() throws Exception {
            String token = gateway.accounts.mintSignInToken(resignAs).token();
            ws.sendText(request("rs", "signInWithToken", "{\"token\":\"" + token + "\"}"));
            JsonNode r = response("re-sign-in", "signInWithToken", "rs");
            assertThat(r.path("ok").asBoolean()).as("re-sign-in: %s", r).isTrue();
            malloryToken = r.path("result").path("session").path("token").asText();
            resigns++;
        }

        private void maybeResign() throws Exception {
            if (resignAs != null && ++sent % 50 == 0) {
                resign();
            }
            if (resignAs == null && System.nanoTime() - openedAt > ANONYMOUS_RENEWAL.toNanos()) {
                // The gateway closes a socket that stays anonymous past the sign-in window (security.md):
                // a long run goes on with a fresh anonymous socket rather than meeting that close.
                ws.close();
                ws = gateway.connect();
                openedAt = System.nanoTime();
            }
        }

        JsonNode text(String category, String frame, String expectId) throws Exception {
            maybeResign();
            tried.merge(category, 1, Integer::sum);
            frames++;
            ws.sendText(frame);
            return response(category, frame, expectId);
        }

        JsonNode binary(String category, byte[] data) throws Exception {
            maybeResign();
            tried.merge(category, 1, Integer::sum);
            frames++;
            ws.sendBinary(data);
            JsonNode r = response(category, "<binary " + data.length + " bytes>", null);
            assertThat(r.path("error").path("code").asText()).as("binary frame").isEqualTo("bad_request");
            return r;
        }

        JsonNode response(String category, String frame, String expectId) throws Exception {
            while (true) {
                JsonNode f;
                try {
                    f = ws.next();
                } catch (AssertionError e) {
                    throw new AssertionError(name + ": no answer to " + category + " frame " + clip(frame) + ": "
                            + e.getMessage(), e);
                }
                assertThat(f.path("v").isInt() && f.path("v").asInt() == 1).as("v of %s", f).isTrue();
                String type = f.path("type").asText();
                if (type.equals("event")) {
                    assertThat(f.path("event").path("type").isTextual()).as("event %s", f).isTrue();
                    continue;
                }
                assertThat(type).as("frame type of %s", f).isEqualTo("response");
                assertThat(f.has("id") && (f.get("id").isNull() || f.get("id").isTextual())).as("id of %s", f).isTrue();
                assertThat(f.path("ok").isBoolean()).as("ok of %s", f).isTrue();
                if (f.get("ok").asBoolean()) {
                    assertThat(f.has("result")).as("result of %s", f).isTrue();
                    answers.merge("ok", 1, Integer::sum);
                } else {
                    String code = f.path("error").path("code").asText();
                    assertThat(f.path("error").path("message").isTextual()).as("message of %s", f).isTrue();
                    assertThat(code).as("%s: answer to %s frame %s", name, category, clip(frame)).isIn(CODES);
                    answers.merge(code, 1, Integer::sum);
                }
                if (expectId != null) {
                    assertThat(f.path("id").asText(null)).as("id of the answer to %s", clip(frame)).isEqualTo(expectId);
                }
                return f;
            }
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    private static String clip(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
    }

    private static String request(String id, String method, String paramsJson) {
        return "{\"v\":1,\"type\":\"request\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + paramsJson
                + "}";
    }

    /** Valid requests of every method, the seeds of the mutations. */
    private List<ObjectNode> templates(String malloryToken) {
        List<String[]> t = List.of(
                new String[] {"hello", "{\"protocol\":1}"},
                new String[] {"signIn", "{\"username\":\"mallory\",\"password\":\"not the password\"}"},
                new String[] {"signIn", "{\"username\":\"nobody\",\"password\":\"whatever123\"}"},
                new String[] {"signInWithToken", "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}"},
                new String[] {"resume", "{\"session_token\":\"" + malloryToken + "\"}"},
                new String[] {"signOut", "{}"},
                new String[] {"placeCall", "{\"to\":\"1009\"}"},
                new String[] {"placeCall", "{\"to\":\"+12025550143\"}"},
                new String[] {"placeCall", "{\"to\":\"1009\",\"sdp\":" + FuzzGateway.JSON.valueToTree(SDP) + "}"},
                new String[] {"hangUp", "{}"},
                new String[] {"hangUp", "{\"call_id\":\"c-0001\"}"},
                new String[] {"answer", "{\"call_id\":\"c-0001\",\"sdp\":" + FuzzGateway.JSON.valueToTree(SDP) + "}"},
                new String[] {"reject", "{}"},
                new String[] {"hold", "{\"call_id\":\"c-0001\",\"held\":true}"},
                new String[] {"updateMedia", "{\"call_id\":\"c-0001\",\"sdp\":" + FuzzGateway.JSON.valueToTree(SDP) + "}"},
                new String[] {"recentCalls", "{\"limit\":5}"},
                new String[] {"recentCalls", "{}"});
        List<ObjectNode> out = new ArrayList<>();
        for (String[] m : t) {
            try {
                out.add((ObjectNode) FuzzGateway.JSON.readTree(request("t", m[0], m[1])));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static List<Supplier<JsonNode>> wrongValues(Random rnd) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return List.of(f::nullNode, () -> f.booleanNode(true), () -> f.booleanNode(false), () -> f.numberNode(0),
                () -> f.numberNode(-1), () -> f.numberNode(1.5), () -> f.numberNode(2147483648L),
                () -> f.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
                () -> f.numberNode(1e308), () -> f.textNode(""), () -> f.textNode("x"), () -> f.textNode("\u0000\u202e"),
                () -> f.textNode("9".repeat(2000)), () -> f.textNode("é".repeat(1100)), f::arrayNode,
                () -> f.arrayNode().add(1).add("a"), f::objectNode, () -> f.objectNode().put("a", 1),
                () -> f.textNode(randomText(rnd, 1 + rnd.nextInt(40))));
    }

    /** Random code points (no lone surrogates: Java's WebSocket refuses to send those). */
    static String randomText(Random rnd, int length) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < length) {
            int kind = rnd.nextInt(10);
            int cp;
            if (kind < 5) {
                cp = 0x20 + rnd.nextInt(0x5f);
            } else if (kind < 6) {
                cp = rnd.nextInt(0x20);
            } else if (kind < 8) {
                cp = 0x80 + rnd.nextInt(0xD800 - 0x80);
            } else if (kind < 9) {
                cp = 0xE000 + rnd.nextInt(0x2000);
            } else {
                cp = 0x10000 + rnd.nextInt(0x10FFFF - 0x10000);
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** Replaces unpaired surrogates (which Java's WebSocket client refuses to send) by '?'. */
    static String wellFormed(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return sb.toString();
    }

    private static String mutate(Random rnd, String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + rnd.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(7)) {
                case 0 -> sb.setCharAt(at, (char) (0x20 + rnd.nextInt(0x5f)));
                case 1 -> sb.insert(at, "{}[]\",:\\0-e.tn".charAt(rnd.nextInt(14)));
                case 2 -> sb.delete(at, Math.min(sb.length(), at + 1 + rnd.nextInt(8)));
                case 3 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + 1 + rnd.nextInt(20))));
                case 4 -> sb.setCharAt(at, "\"{}[],:".charAt(rnd.nextInt(7)));
                case 5 -> sb.insert(at, randomText(rnd, 1 + rnd.nextInt(5)));
                default -> sb.setCharAt(at, Character.toUpperCase(sb.charAt(at)));
            }
        }
        return wellFormed(sb);
    }

    /** A frame of exactly {@code bytes} UTF-8 bytes: a placeCall whose number is padded. */
    private static String frameOfSize(int bytes, char pad) {
        String head = "{\"v\":1,\"type\":\"request\",\"id\":\"big\",\"method\":\"placeCall\",\"params\":{\"to\":\"";
        String tail = "\"}}";
        int padBytes = String.valueOf(pad).getBytes(StandardCharsets.UTF_8).length;
        int room = bytes - head.length() - tail.length();
        StringBuilder sb = new StringBuilder(head);
        sb.append(String.valueOf(pad).repeat(room / padBytes));
        sb.append("1".repeat(room % padBytes));
        sb.append(tail);
        assertThat(sb.toString().getBytes(StandardCharsets.UTF_8).length).isEqualTo(bytes);
        return sb.toString();
    }

    /**
     * A well-behaved dialer: alice and bob sign in on fresh connections (sign-in token), alice calls
     * bob's extension, bob's dialer rings; the fuzzer cannot hang up, answer, hold or reject either leg;
     * alice hangs up and both see disconnected.
     */
    private void wellBehavedCall(Fuzzer fuzzer) throws Exception {
        goodChecks++;
        // Clear whatever the fuzz left: mallory signed in again, her ringing call (if any) cancelled.
        fuzzer.resign();
        fuzzer.text("cleanup", request("c2", "hangUp", "{}"), "c2");
        try (WsTestClient alice = gateway.signInWithToken("alice"); WsTestClient bob = gateway.signInWithToken("bob")) {
            JsonNode placed = alice.request("g1", "placeCall", "{\"to\":\"1002\"}");
            while (placed.path("type").asText().equals("event")) {
                placed = alice.next();
            }
            assertThat(placed.path("ok").asBoolean()).as("good dialer's placeCall: %s", placed).isTrue();
            String aliceCall = placed.path("result").path("call_id").asText();
            JsonNode ringing = nextCall(bob, c -> c.path("from").asText().equals("1001")
                    && c.path("state").asText().equals("connecting"));
            String bobCall = ringing.path("id").asText();
            for (String id : List.of(aliceCall, bobCall)) {
                for (String m : List.of("hangUp", "answer", "reject")) {
                    JsonNode r = fuzzer.text("out-of-order: other user's call", request("x" + m, m, "{\"call_id\":\"" + id + "\"}"), "x" + m);
                    assertThat(r.path("error").path("code").asText()).as("%s of someone else's call: %s", m, r).isEqualTo("call_not_found");
                }
                JsonNode r = fuzzer.text("out-of-order: other user's call",
                        request("xh", "hold", "{\"call_id\":\"" + id + "\",\"held\":true}"), "xh");
                assertThat(r.path("error").path("code").asText()).as("hold of someone else's call: %s", r).isEqualTo("call_not_found");
            }
            JsonNode hung = alice.request("g2", "hangUp", "{\"call_id\":\"" + aliceCall + "\"}");
            while (hung.path("type").asText().equals("event")) {
                hung = alice.next();
            }
            assertThat(hung.path("ok").asBoolean()).as("good dialer's hangUp: %s", hung).isTrue();
            nextCall(bob, c -> c.path("id").asText().equals(bobCall) && c.path("state").asText().equals("disconnected"));
        }
    }

    /** Skips frames until a callStateChanged whose call matches. */
    private static JsonNode nextCall(WsTestClient ws, java.util.function.Predicate<JsonNode> match) throws Exception {
        for (int i = 0; i < 50; i++) {
            JsonNode f = ws.next();
            JsonNode call = f.path("event").path("call");
            if (f.path("event").path("type").asText().equals("callStateChanged") && match.test(call)) {
                return call;
            }
        }
        throw new AssertionError("no matching call event");
    }

    private long heapBefore;

    @Test
    @Timeout(120)
    void everyFrameGetsOneWellFormedAnswer_andAWellBehavedDialerKeepsWorking() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261125L);
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        gateway = new FuzzGateway(dir);

        // Before the run: a password sign-in works, and so does the well-behaved call.
        try (WsTestClient ws = gateway.connect()) {
            JsonNode r = ws.request("p", "signIn", "{\"username\":\"alice\",\"password\":\"" + FuzzGateway.PASSWORD + "\"}");
            assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        }
        WsTestClient malloryWs = gateway.connect();
        {
            String token = gateway.accounts.mintSignInToken("mallory").token();
            JsonNode r = malloryWs.request("m0", "signInWithToken", "{\"token\":\"" + token + "\"}");
            malloryToken = r.path("result").path("session").path("token").asText();
            assertThat(malloryToken).isNotEmpty();
        }
        try (Fuzzer mallory = new Fuzzer(malloryWs, "mallory (signed in)");
             Fuzzer anon = new Fuzzer(gateway.connect(), "anonymous")) {
            mallory.resignAs = "mallory";
            wellBehavedCall(mallory);
            heapBefore = HeapProbe.usedAfterGc();
            List<ObjectNode> templates = templates(malloryToken);
            List<Supplier<JsonNode>> wrong = wrongValues(rnd);

            // -Dfuzz.inputs=N (./dialer fuzz) scales steps 1-3 to N frames in all; default 2,700.
            double scale = Integer.getInteger("fuzz.inputs", 2700) / 2700.0;
            // 1. Random text (random code points, any length up to 2,000).
            for (int i = 0; i < (int) (600 * scale); i++) {
                Fuzzer f = i % 2 == 0 ? anon : mallory;
                f.text("random text", randomText(rnd, rnd.nextInt(i % 50 == 0 ? 2000 : 200)), null);
            }
            // 2. Truncated valid requests: every template cut at random points.
            for (int i = 0; i < (int) (600 * scale); i++) {
                String s = templates.get(rnd.nextInt(templates.size())).toString();
                (i % 2 == 0 ? anon : mallory).text("truncated request", wellFormed(s.substring(0, rnd.nextInt(s.length()))), null);
            }
            // 3. Mutated valid requests (character edits).
            for (int i = 0; i < (int) (1500 * scale); i++) {
                String s = templates.get(rnd.nextInt(templates.size())).toString();
                (i % 3 == 0 ? anon : mallory).text("mutated request", mutate(rnd, s), null);
            }
            wellBehavedCall(mallory);
            // 4. Wrong types in every field: each field of each template (envelope and params) replaced by each wrong value, and removed.
            for (ObjectNode template : templates) {
                List<String> paths = new ArrayList<>(List.of("v", "type", "id", "method", "params"));
                template.path("params").fieldNames().forEachRemaining(n -> paths.add("params." + n));
                paths.add("params.extra");
                for (String path : paths) {
                    for (int w = -1; w < wrong.size(); w++) {
                        ObjectNode frame = template.deepCopy();
                        frame.put("id", "w" + frames);
                        ObjectNode parent = path.startsWith("params.") && frame.get("params").isObject()
                                ? (ObjectNode) frame.get("params") : frame;
                        String field = path.startsWith("params.") ? path.substring(7) : path;
                        if (w < 0) {
                            parent.remove(field);
                        } else {
                            parent.set(field, wrong.get(w).get());
                        }
                        JsonNode idNode = frame.path("id");
                        String id = idNode.isTextual() && !idNode.asText().isEmpty() && idNode.asText().length() <= 64
                                ? idNode.asText() : null;
                        JsonNode r = (frames % 2 == 0 ? anon : mallory).text("wrong type in a field", frame.toString(), id);
                        if (path.equals("params.extra") && w >= 0) {
                            continue;
                        }
                        if (Set.of("v", "type", "method").contains(path)) {
                            assertThat(r.path("ok").asBoolean()).as("%s with %s = %s", template.path("method"), path,
                                    w < 0 ? "<absent>" : frame.get(field)).isFalse();
                        }
                    }
                }
            }
            // 5. Unknown methods (random names, case variants, prototype-ish names).
            List<String> names = new ArrayList<>(List.of("PLACECALL", "placecall", "placeCall ", " hello", "__proto__",
                    "constructor", "toString", "getClass", "hangup", "dial", "admin", "../signIn", "signIn\u0000",
                    "x".repeat(64)));
            for (int i = 0; i < 300; i++) {
                names.add(randomText(rnd, 1 + rnd.nextInt(30)));
            }
            for (String name : names) {
                String id = "u" + frames;
                ObjectNode frame = (ObjectNode) FuzzGateway.JSON.readTree(request(id, "hello", "{}"));
                frame.put("method", name);
                JsonNode r = mallory.text("unknown method", frame.toString(), id);
                assertThat(r.path("error").path("code").asText()).as("method %s", name).isEqualTo("unknown_method");
            }
            // 6. Duplicate ids, pipelined requests, duplicate keys, other JSON edge cases.
            for (int i = 0; i < 100; i++) {
                mallory.text("duplicate id", request("same", "hello", "{\"protocol\":1}"), "same");
                mallory.text("duplicate id", request("same", "placeCall", "{\"to\":\"12\"}"), "same");
            }
            for (int round = 0; round < 10; round++) {
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String id = "p" + round + "-" + i;
                    sent.add(id);
                    malloryWs.sendText(request(id, i % 2 == 0 ? "hello" : "recentCalls", i % 2 == 0 ? "{\"protocol\":1}" : "{}"));
                }
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    got.add(mallory.response("pipelined", "pipelined", null).path("id").asText());
                }
                tried.merge("pipelined (50 sent before reading)", 50, Integer::sum);
                frames += 50;
                assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
            }
            List<String> edge = List.of("", " ", "null", "true", "1", "\"request\"", "[]", "[{}]", "{}",
                    "{\"v\":1,\"v\":1,\"type\":\"request\",\"id\":\"d\",\"method\":\"hello\",\"params\":{\"protocol\":1}}",
                    request("d2", "hello", "{\"protocol\":1,\"protocol\":1}"),
                    "{\"v\":1.0,\"type\":\"request\",\"id\":\"f\",\"method\":\"hello\",\"params\":{}}",
                    "{\"v\":\"1\",\"type\":\"request\",\"id\":\"f\",\"method\":\"hello\",\"params\":{}}",
                    "\uFEFF" + request("bom", "hello", "{\"protocol\":1}"),
                    request("tr", "hello", "{\"protocol\":1}") + " {}",
                    request("tr2", "hello", "{\"protocol\":1}") + "garbage",
                    "{'v':1,'type':'request','id':'q','method':'hello','params':{}}",
                    "{\"v\":1,/*c*/\"type\":\"request\",\"id\":\"c\",\"method\":\"hello\",\"params\":{}}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"n\",\"method\":\"hello\",\"params\":{\"protocol\":NaN}}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"n\",\"method\":\"recentCalls\",\"params\":{\"limit\":" + "9".repeat(5000) + "}}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"n\",\"method\":\"recentCalls\",\"params\":{\"limit\":1e999999}}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"" + "i".repeat(65) + "\",\"method\":\"hello\",\"params\":{}}",
                    "{\"v\":1,\"type\":\"response\",\"id\":\"r\",\"ok\":true,\"result\":null}",
                    "{\"v\":1,\"type\":\"event\",\"event\":{\"type\":\"callStateChanged\"}}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"x\",\"method\":\"hello\",\"params\":{},}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"\\ud800\",\"method\":\"hello\",\"params\":{}}",
                    "{\"v\":1,\"type\":\"request\",\"id\":\"\\u0000\",\"method\":\"hello\",\"params\":{\"protocol\":1}}");
            for (String e : edge) {
                anon.text("JSON edge case", e, null);
                mallory.text("JSON edge case", e, null);
            }
            // 7. Deep nesting (the parser's limit is 32 levels; 60,000 stays under 64 KiB).
            for (int depth : new int[] {1, 10, 29, 30, 31, 32, 33, 64, 1000, 10_000, 32_000}) {
                String nested = "[".repeat(depth) + "]".repeat(depth);
                String objNested = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                for (String body : List.of(nested, objNested)) {
                    mallory.text("deep nesting", request("deep", "recentCalls", "{\"x\":" + body + "}"), null);
                    anon.text("deep nesting", body, null);
                }
            }
            // 8. Big frames up to and over the 64 KiB limit (bad_request), up to 256 KiB (still answered).
            for (int size : new int[] {60_000, 65_535, 65_536, 65_537, 100_000, 200_000, 262_143, 262_144}) {
                for (char pad : new char[] {'1', 'é', '€'}) {
                    JsonNode r = mallory.text("big frame", frameOfSize(size, pad), null);
                    if (size > 65_536) {
                        assertThat(r.path("error").path("code").asText()).as("%d bytes", size).isEqualTo("bad_request");
                        assertThat(r.get("id").isNull()).isTrue();
                    }
                }
            }
            for (int len : new int[] {16 * 1024, 16 * 1024 + 1, 60_000}) {
                mallory.text("big field", request("sdp", "placeCall", "{\"to\":\"1009\",\"sdp\":\"" + "a".repeat(len) + "\"}"), "sdp");
                mallory.text("big field", request("sdp", "signIn", "{\"username\":\"" + "u".repeat(len) + "\",\"password\":\"p\"}"), "sdp");
                mallory.text("big field", request("sdp", "signInWithToken", "{\"token\":\"" + "t".repeat(len) + "\"}"), "sdp");
            }
            // 9. Binary frames.
            for (int i = 0; i < 200; i++) {
                byte[] data = new byte[i % 20 == 0 ? 60_000 : rnd.nextInt(300)];
                rnd.nextBytes(data);
                (i % 2 == 0 ? anon : mallory).binary("binary frame", data);
            }
            mallory.binary("binary frame", request("b", "hello", "{\"protocol\":1}").getBytes(StandardCharsets.UTF_8));
            // 10. Out-of-order requests: call methods before any call, after signOut, anonymous.
            List<String[]> outOfOrder = List.of(new String[] {"answer", "{}"}, new String[] {"answer", "{\"call_id\":\"nope\"}"},
                    new String[] {"reject", "{}"}, new String[] {"hangUp", "{}"}, new String[] {"hold", "{\"held\":false}"},
                    new String[] {"hold", "{\"call_id\":\"nope\",\"held\":true}"},
                    new String[] {"updateMedia", "{\"call_id\":\"nope\",\"sdp\":" + FuzzGateway.JSON.valueToTree(SDP) + "}"},
                    new String[] {"signOut", "{}"}, new String[] {"recentCalls", "{}"},
                    new String[] {"resume", "{\"session_token\":\"" + malloryToken + "x\"}"});
            for (int i = 0; i < 20; i++) {
                for (String[] m : outOfOrder) {
                    JsonNode r = anon.text("out-of-order request", request("o", m[0], m[1]), "o");
                    if (!m[0].equals("signOut")) {
                        assertThat(r.path("ok").asBoolean()).as("anonymous %s", m[0]).isFalse();
                    }
                }
            }
            // Mallory hangs up whatever the fuzz left ringing, then tries the call methods with nothing going on.
            mallory.resign();
            mallory.text("out-of-order request", request("h", "hangUp", "{}"), "h");
            for (String[] m : outOfOrder) {
                if (!m[0].equals("signOut") && !m[0].equals("resume") && !m[0].equals("recentCalls")) {
                    JsonNode r = mallory.text("out-of-order request", request("o", m[0], m[1]), "o");
                    assertThat(r.path("ok").asBoolean()).as("%s without a call: %s", m[0], r).isFalse();
                }
            }
            // Signed out in the middle of a ringing call, then acting on it.
            JsonNode placed = mallory.text("out-of-order request", request("pc", "placeCall", "{\"to\":\"1009\"}"), "pc");
            if (placed.path("ok").asBoolean()) {
                String id = placed.path("result").path("call_id").asText();
                mallory.text("out-of-order request", request("so", "signOut", "{}"), "so");
                JsonNode r = mallory.text("out-of-order request", request("hu", "hangUp", "{\"call_id\":\"" + id + "\"}"), "hu");
                assertThat(r.path("error").path("code").asText()).isEqualTo("authentication_required");
                mallory.resign();
                r = mallory.text("out-of-order request", request("hu", "hangUp", "{\"call_id\":\"" + id + "\"}"), "hu");
                assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
                r = mallory.text("out-of-order request", request("hu", "hangUp", "{\"call_id\":\"" + id + "\"}"), "hu");
                assertThat(r.path("error").path("code").asText()).isEqualTo("call_not_found");
            }

            // Over 256 KiB: the WebSocket layer closes with 1009 (a fresh connection each time). When it
            // closes while the client is still writing the frame, the reset can discard the close frame
            // before the client reads it: then the client sees the connection end abnormally (1006).
            for (int size : new int[] {262_145, 300_000, 1_048_576}) {
                WsTestClient big = gateway.connect();
                tried.merge("frame over 256 KiB", 1, Integer::sum);
                frames++;
                try {
                    big.sendText(frameOfSize(size, '1'));
                } catch (RuntimeException e) {
                    // the server may close before the client has written everything
                }
                int code = big.awaitCloseCode();
                assertThat(code).as("close code after %d bytes", size).isIn(1009, WsTestClient.ABNORMAL_CLOSURE);
                answers.merge(code == 1009 ? "closed 1009" : "reset while sending", 1, Integer::sum);
                big.close();
            }

            // After the run: the fuzzed connections still answer, and the well-behaved dialer still works.
            assertThat(mallory.text("after the run", request("end", "hello", "{\"protocol\":1}"), "end").path("ok").asBoolean()).isTrue();
            assertThat(anon.text("after the run", request("end", "hello", "{\"protocol\":1}"), "end").path("ok").asBoolean()).isTrue();
            wellBehavedCall(mallory);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long heapAfter = HeapProbe.usedAfterGc(); // the fuzzed connections are closed
        String report = "WS fuzz: seed " + seed + ", " + frames + " frames in " + ms + " ms; tried " + tried
                + "; answers " + answers + "; well-behaved calls " + goodChecks + "; re-sign-ins of mallory " + resigns
                + "; heap after GC " + heapBefore / 1024 + " KiB before, " + heapAfter / 1024 + " KiB after";
        System.out.println(report);
        java.nio.file.Files.writeString(Path.of("target", "fuzz-ws-report.txt"), report + "\n");
        // Not a performance bound: a leak of the fuzz's 6,700 frames or their sessions would be tens of MiB.
        assertThat(heapAfter - heapBefore).as(report).isLessThan(32L * 1024 * 1024);
    }
}
