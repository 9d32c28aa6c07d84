package org.opendialer.app.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on the admin REST API (docs/admin-api.md): random methods, paths, bodies and
 * headers, with missing, forged and right bearer keys, from a deterministic seed
 * ({@code -Dfuzz.seed=N}). Every answer is 2xx or 4xx (never 5xx), and afterwards the users are
 * exactly what the accepted requests made of them: alice, bob and carol are only ever sent
 * requests with a missing or forged key and stay unchanged (their passwords still work).
 */
class AdminApiFuzzTest {
    @TempDir
    Path dir;
    private FuzzGateway gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // Requests go over raw sockets, one connection each (see send); java.net.http is used for the snapshots only.
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> tried = new TreeMap<>();
    private int headWithoutKey;
    private final List<String> closedWithoutAnswer = new ArrayList<>();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** An answer read off a raw socket. */
    record Answer(int statusCode, String body) {}

    /**
     * One request on its own connection ({@code Connection: close}), written by hand so that any
     * method, header and body can be sent; reads until the server closes.
     */
    private Answer send(String category, String method, String path, Map<String, String> headers,
                        byte[] body, boolean chunked) throws Exception {
        tried.merge(category, 1, Integer::sum);
        int port = URI.create(gateway.baseUrl()).getPort();
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            h.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
        }
        h.append("\r\n");
        head.write(h.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            if (chunked) {
                for (int off = 0; off < body.length; off += 8192) {
                    int len = Math.min(8192, body.length - off);
                    head.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    head.write(body, off, len);
                    head.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                head.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                head.write(body);
            }
        }
        byte[] request = head.toByteArray();
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        String writeError = null;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (java.io.IOException e) {
                writeError = e.toString(); // the server stopped reading (e.g. after answering 413); read what it sent
            }
            try {
                socket.getInputStream().transferTo(in);
            } catch (java.net.SocketException e) {
                // reset after the answer: keep what arrived
            }
        }
        String raw = in.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(raw);
        if (!m.find()) {
            String what = method + " " + clip(path) + " (" + category + ", " + (body == null ? 0 : body.length)
                    + "-byte body" + (chunked ? ", chunked" : "") + ", headers " + headers.keySet() + "; write: " + writeError + ")";
            assertThat(body != null && body.length > 65_536).as("connection closed without an answer: %s", what).isTrue();
            closedWithoutAnswer.add(what);
            statuses.merge("closed without an answer (body over 64 KiB)", 1, Integer::sum);
            return null;
        }
        int status = Integer.parseInt(m.group(1));
        int sep = raw.indexOf("\r\n\r\n");
        String headerText = sep < 0 ? raw : raw.substring(0, sep);
        String bodyText = sep < 0 ? "" : raw.substring(sep + 4);
        if (headerText.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            StringBuilder decoded = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = bodyText.indexOf("\r\n", at);
                if (eol < 0) {
                    break;
                }
                int size = Integer.parseInt(bodyText.substring(at, eol).trim().split(";")[0], 16);
                if (size == 0) {
                    break;
                }
                decoded.append(bodyText, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
            bodyText = decoded.toString();
        }
        bodyText = new String(bodyText.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        statuses.merge(String.valueOf(status), 1, Integer::sum);
        assertThat(status).as("%s %s (%s) with %s and %s body: %s", method, clip(path), category,
                headers.keySet(), body == null ? "no" : body.length + "-byte", clip(bodyText)).isBetween(200, 499);
        return new Answer(status, bodyText);
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private Map<String, JsonNode> snapshot() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/users"))
                .header("Authorization", "Bearer " + FuzzGateway.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, JsonNode> users = new TreeMap<>();
        for (JsonNode u : FuzzGateway.JSON.readTree(r.body()).path("users")) {
            users.put(u.path("username").asText(), u);
        }
        return users;
    }

    @Test
    void headWithoutTheKey_isRefused() throws Exception {
        gateway = new FuzzGateway(dir);
        for (String path : List.of("/api/v1/users", "/api/v1/users/alice", "/api/v1/calls")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("HEAD %s without the key", path).isEqualTo(401);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
    }

    @Test
    @Timeout(120)
    void noServerErrors_andUsersChangeOnlyThroughAcceptedRequests() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261125L);
        Random rnd = new Random(seed);
        long t0 = System.nanoTime();
        gateway = new FuzzGateway(dir);
        Map<String, JsonNode> before = snapshot();
        Set<String> protectedUsers = Set.of("alice", "bob", "carol");

        String key = FuzzGateway.ADMIN_KEY;
        List<Map<String, String>> forgedAuth = List.of(Map.of(), Map.of("Authorization", ""),
                Map.of("Authorization", "Bearer"), Map.of("Authorization", "Bearer "),
                Map.of("Authorization", "Bearer " + key + "x"), Map.of("Authorization", "Bearer " + key.substring(1)),
                Map.of("Authorization", "Bearer " + key.toUpperCase()), Map.of("Authorization", "Basic " + key),
                Map.of("Authorization", key), Map.of("Authorization", "Bearer  " + key + " trailing"),
                Map.of("Authorization", "Bearer " + "k".repeat(8000)), Map.of("Authorization", "Bearer \u00e9\u00e9"),
                Map.of("X-Admin-Key", key), Map.of("Authorization", "Bearer " + key.substring(0, key.length() - 1) + "0"));
        Map<String, String> rightAuth = Map.of("Authorization", "Bearer " + key);
        String[] methods = {"GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS", "HEAD", "TRACE", "FOO"};
        String[] contentTypes = {"application/json", "text/plain", "application/x-www-form-urlencoded",
                "application/json; charset=utf-16", "multipart/form-data; boundary=x", "", "application/json;;;"};

        // Users the fuzzer may create and change with the right key (fz0..fz19), besides random names.
        List<String> own = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            own.add("fz" + i);
        }
        Set<String> created = new TreeSet<>();
        Set<String> deleted = new HashSet<>();

        List<String> valueSamples = List.of("null", "true", "1", "-1", "1.5", "1e999", "\"\"", "\"x\"", "[]", "{}",
                "\"" + "a".repeat(300) + "\"", "\"\\u0000\"", "\"+14155550123\"", "\"+1 415-555-0199\"", "\"12\"",
                "\"1234567\"", "\"correct horse\"", "\"a b\"", "\"<script>\"", "\"\\ud800\"", "{\"registrar\":\"sip:pbx.example.com\",\"username\":\"u\",\"password\":\"p\"}",
                "{\"registrar\":1}", "\"sip:x\"", "99999999999999999999999",
                "{\"allow_premium\":true,\"allowed_countries\":[\"GB\",\"xx\"]}", "{\"allowed_countries\":\"GB\"}",
                "{\"allow_premium\":\"yes\"}");
        String[] fields = {"username", "password", "display_name", "extension", "number", "sip_account",
                "destination_policy", "created_at", "extra"};

        int requests = Integer.getInteger("fuzz.inputs", 1500); // -Dfuzz.inputs=N (./dialer fuzz)
        for (int i = 0; i < requests; i++) {
            boolean useKey = rnd.nextInt(3) > 0;
            Map<String, String> headers = new java.util.HashMap<>(useKey ? rightAuth : forgedAuth.get(rnd.nextInt(forgedAuth.size())));
            if (rnd.nextInt(4) > 0) {
                String ct = contentTypes[rnd.nextInt(contentTypes.length)];
                if (!ct.isEmpty()) {
                    headers.put("Content-Type", ct);
                }
            }
            if (rnd.nextInt(10) == 0) {
                headers.put("X-Forwarded-For", "10.0.0." + rnd.nextInt(256));
            }
            // Target: with the right key only the fuzzer's own users or random names; protected users only without it.
            String target;
            int pick = rnd.nextInt(10);
            if (!useKey && pick < 4) {
                target = List.copyOf(protectedUsers).get(rnd.nextInt(3));
            } else if (pick < 8) {
                target = own.get(rnd.nextInt(own.size()));
            } else {
                target = WsProtocolFuzzTest.randomText(rnd, 1 + rnd.nextInt(20));
            }
            if (useKey && protectedUsers.contains(target)) {
                target = own.get(0);
            }
            String enc = java.net.URLEncoder.encode(target, StandardCharsets.UTF_8).replace("+", "%20");
            String[] paths = {"/api/v1/users", "/api/v1/users/" + enc, "/api/v1/users/" + enc + "/tokens",
                    "/api/v1/calls?limit=" + List.of("0", "1", "1000", "1001", "-5", "abc", "1e3", "", "99999999999999999999").get(rnd.nextInt(9)),
                    "/api/v1/calls", "/api/v1/users/" + enc + "/", "/api/v1/users/" + enc + "/tokens/x", "/api/v1//users",
                    "/api/v1/users/%2e%2e/" + enc, "/api/v1/users?username=" + enc, "/api/v2/users", "/api/v1/" + enc};
            String path = paths[rnd.nextInt(paths.length)];
            String method = methods[rnd.nextInt(methods.length)];
            if (rnd.nextInt(10) < 6) {
                // Most requests hit a real route with its own method, so that the checks behind routing run.
                String[][] routes = {{"POST", paths[0]}, {"GET", paths[0]}, {"GET", paths[1]}, {"PATCH", paths[1]},
                        {"DELETE", paths[1]}, {"POST", paths[2]}, {"GET", paths[3]}, {"POST", paths[0]}, {"PATCH", paths[1]}};
                String[] route = routes[rnd.nextInt(routes.length)];
                method = route[0];
                path = route[1];
            }
            // With the right key, requests that could change a protected user by a path trick are skipped.
            byte[] body = null;
            boolean chunked = false;
            int bodyKind = rnd.nextInt(10);
            String category;
            if (bodyKind < 3) {
                // Nearly valid: a plausible create/patch body with one field possibly wrong.
                ObjectNode o = FuzzGateway.JSON.createObjectNode();
                o.put("username", target);
                o.put("password", "fuzz-password-" + i);
                o.put("extension", String.valueOf(5000 + rnd.nextInt(200)));
                if (rnd.nextBoolean()) {
                    o.put("display_name", WsProtocolFuzzTest.randomText(rnd, 1 + rnd.nextInt(30)));
                }
                if (rnd.nextBoolean()) {
                    o.put("number", "+1415555" + (1000 + rnd.nextInt(9000)));
                }
                if (rnd.nextInt(3) == 0) {
                    String field = fields[rnd.nextInt(fields.length)];
                    o.set(field, FuzzGateway.JSON.readTree(valueSamples.get(rnd.nextInt(valueSamples.size()))));
                }
                if (method.equals("PATCH")) {
                    o.remove("username");
                }
                body = o.toString().getBytes(StandardCharsets.UTF_8);
                category = "nearly valid JSON body";
            } else if (bodyKind < 6) {
                StringBuilder sb = new StringBuilder("{");
                int n = rnd.nextInt(5);
                Set<String> used = new HashSet<>();
                for (int f = 0; f < n; f++) {
                    String field = fields[rnd.nextInt(fields.length)];
                    if (!used.add(field) && rnd.nextBoolean()) {
                        continue;
                    }
                    if (sb.length() > 1) {
                        sb.append(',');
                    }
                    String value = field.equals("username") && rnd.nextBoolean() ? "\"" + target.replace("\\", "").replace("\"", "") + "\""
                            : valueSamples.get(rnd.nextInt(valueSamples.size()));
                    if (field.equals("password") && rnd.nextBoolean()) {
                        value = "\"fuzz-password-" + i + "\"";
                    }
                    if (field.equals("extension") && rnd.nextBoolean()) {
                        value = "\"" + (5000 + rnd.nextInt(50)) + "\"";
                    }
                    sb.append('"').append(field).append("\":").append(value);
                }
                sb.append('}');
                body = sb.toString().getBytes(StandardCharsets.UTF_8);
                category = "JSON body with random fields and types";
            } else if (bodyKind < 7) {
                body = WsProtocolFuzzTest.randomText(rnd, rnd.nextInt(300)).getBytes(StandardCharsets.UTF_8);
                category = "random text body";
            } else if (bodyKind < 8) {
                String[] bad = {"{", "}", "[]", "null", "\"x\"", "{\"username\":\"a\",\"username\":\"b\"}", "{\"a\":" + "[".repeat(5000) + "}",
                        "{\"username\":\"fz1\",\"password\":\"correct horse\",\"extension\":\"4100\"} trailing", "\uFEFF{}", "{'a':1}"};
                body = bad[rnd.nextInt(bad.length)].getBytes(StandardCharsets.UTF_8);
                category = "malformed JSON body";
            } else if (bodyKind < 9) {
                int size = List.of(65_536, 65_537, 200_000, 1_500_000).get(rnd.nextInt(4));
                body = ("{\"display_name\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
                chunked = rnd.nextBoolean();
                category = "huge body";
            } else {
                byte[] b = new byte[rnd.nextInt(500)];
                rnd.nextBytes(b);
                body = b;
                category = "random bytes body";
            }
            if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE")) {
                if (rnd.nextBoolean()) {
                    body = null;
                }
            }
            if (!useKey) {
                category = "forged or missing key: " + category;
            }
            Answer r = send(category, method, path, headers, body, chunked);
            if (r == null) {
                continue;
            }
            // Book-keeping of accepted changes.
            if (useKey && r.statusCode() == 201 && method.equals("POST") && path.equals("/api/v1/users")) {
                created.add(FuzzGateway.JSON.readTree(r.body()).path("username").asText());
            }
            if (useKey && r.statusCode() == 204 && method.equals("DELETE")) {
                deleted.add(target);
            }
            if (r.statusCode() / 100 == 2 && !useKey && method.equals("HEAD")) {
                assertThat(r.statusCode()).isEqualTo(200);
                // Known deviation (see headWithoutTheKey_isRefused below): HEAD on a GET route answers 200 with
                // no handler run. Nothing may leak: no body, and the same answer whoever asks.
                assertThat(r.body()).isEmpty();
                headWithoutKey++;
            } else if (r.statusCode() / 100 == 2 && !useKey && Set.of("GET", "POST", "PATCH", "DELETE", "PUT").contains(method)) {
                throw new AssertionError("accepted without the key: " + method + " " + path + " with headers " + headers + ": " + r.statusCode() + " " + clip(r.body()));
            }
        }

        // Afterwards: the protected users are unchanged and their passwords work; the user list is what was accepted.
        Map<String, JsonNode> after = snapshot();
        for (String u : protectedUsers) {
            assertThat(after.get(u)).as("user %s after the fuzz", u).isEqualTo(before.get(u));
            assertThat(gateway.accounts.signIn(u, FuzzGateway.PASSWORD, "192.0.2." + u.length())).as("%s's password", u).isPresent();
        }
        Set<String> expected = new TreeSet<>(before.keySet());
        for (String c : created) {
            expected.add(c);
        }
        Set<String> actual = new TreeSet<>(after.keySet());
        // A created user may have been deleted later: anything in actual must be initial or created.
        assertThat(expected).containsAll(actual);
        for (String u : before.keySet()) {
            if (!deleted.contains(u)) {
                assertThat(actual).contains(u);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int total = tried.values().stream().mapToInt(Integer::intValue).sum();
        String report = "Admin API fuzz: seed " + seed + ", " + total + " requests in " + ms + " ms; tried " + tried
                + "; statuses " + statuses + "; users created " + created.size() + ", deleted " + deleted.size()
                + "; HEAD answered 2xx without the key " + headWithoutKey + "; closed without an answer " + closedWithoutAnswer;
        System.out.println(report);
        java.nio.file.Files.writeString(Path.of("target", "fuzz-admin-report.txt"), report + "\n");
    }
}
