package org.opendialer.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opendialer.sandbox.Sandbox;
import org.opendialer.sandbox.SandboxSettings;

/** The sandbox's HTTP routes on a real Javalin server, with a real sandbox calling a silent "gateway". */
@Timeout(60)
class SandboxRoutesTest {
    private static final String DEMO = "http://localhost:8081";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static DatagramChannel gateway;
    static Sandbox sandbox;
    static Javalin app;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        // The "gateway" swallows the INVITE: the call-me call keeps trying, so it stays in progress.
        gateway = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int gatewayPort = ((InetSocketAddress) gateway.getLocalAddress()).getPort();
        sandbox = Sandbox.start(new SandboxSettings("127.0.0.1", 0, "sip:127.0.0.1:" + gatewayPort, 33000, 34999));
        Set<String> users = Set.of("1001", "+12015550142");
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            SandboxRoutes.register(cfg, sandbox, List.of(DEMO, "https://crm.example.com"), users::contains);
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        gateway.close();
    }

    private static HttpResponse<String> send(String method, String path, String origin, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getSandbox_listsTheTestNumbers_withCorsForAnAllowedOrigin() throws Exception {
        HttpResponse<String> r = send("GET", "/api/sandbox", DEMO, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(DEMO);
        JsonNode json = JSON.readTree(r.body());
        assertThat(json.get("sandbox").asBoolean()).isTrue();
        assertThat(json.get("call_me_seconds").asInt()).isEqualTo(30);
        assertThat(json.get("numbers")).hasSize(sandbox.testNumbers().size());
        assertThat(json.get("numbers").get(0).get("e164").asText()).isEqualTo("+16505550100");
        assertThat(json.get("numbers").get(0).get("behaviour").asText()).isEqualTo("echo");
        assertThat(json.get("numbers").get(0).get("description").asText()).isNotBlank();
    }

    @Test
    void getSandbox_fromAnotherOrigin_hasNoCorsHeaders() throws Exception {
        HttpResponse<String> r = send("GET", "/api/sandbox", "https://evil.example", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void preflight_isAllowedOnlyForAllowedOrigins() throws Exception {
        HttpResponse<String> ok = send("OPTIONS", "/api/sandbox/call-me", "https://crm.example.com", null);
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://crm.example.com");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).hasValue("Content-Type");
        HttpResponse<String> no = send("OPTIONS", "/api/sandbox/call-me", "https://evil.example", null);
        assertThat(no.statusCode()).isEqualTo(403);
        assertThat(no.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void callMe_fromAnOriginNotAllowed_is403() throws Exception {
        HttpResponse<String> r = send("POST", "/api/sandbox/call-me", "https://evil.example", "{\"to\":\"1001\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("origin_not_allowed");
    }

    @Test
    void callMe_withBadInput_is400() throws Exception {
        for (String body : new String[] {"", "not json", "[]", "{}", "{\"to\": 1001}", "{\"to\":\"abc\"}",
            "{\"to\":\"1001; x\"}", "{\"to\":\"" + "1".repeat(5000) + "\"}"}) {
            HttpResponse<String> r = send("POST", "/api/sandbox/call-me", DEMO, body);
            assertThat(r.statusCode()).as(body.length() > 40 ? "long body" : body).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("invalid_");
        }
    }

    @Test
    void callMe_forAnExtensionNobodyHas_is404() throws Exception {
        HttpResponse<String> r = send("POST", "/api/sandbox/call-me", DEMO, "{\"to\":\"1999\"}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("no_such_user");
    }

    @Test
    void callMe_invitesTheUser_thenRefusesASecondWith429() throws Exception {
        HttpResponse<String> r = send("POST", "/api/sandbox/call-me", DEMO, "{\"to\":\" 1001 \"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("calling");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(DEMO);

        ByteBuffer datagram = ByteBuffer.allocate(4096);
        gateway.receive(datagram); // blocking: the INVITE is on its way already
        String invite = new String(datagram.array(), 0, datagram.position(), StandardCharsets.UTF_8);
        assertThat(invite).startsWith("INVITE sip:1001@");

        HttpResponse<String> again = send("POST", "/api/sandbox/call-me", null, "{\"to\":\"+12015550142\"}");
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(again.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(again.body()).get("message").asText()).contains("already calling 1001")
                .doesNotStartWith("SANDBOX");
    }
}
