package org.opendialer.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendialer.app.GatewayFixture;

class GatewayHttpTest {
    @TempDir
    static Path dir;
    static GatewayFixture gateway;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String ADMIN_KEY = "admin-key-for-tests-0123456789";

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start(dir, Map.of("DIALER_ALLOWED_ORIGINS",
                "http://localhost:3000, https://crm.example.com", "DIALER_ADMIN_KEY", ADMIN_KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dialer-sdk.umd.js", "dialer-sdk.mjs"})
    void sdkBundles_areJavaScriptThatAnyOriginMayLoad(String file) throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/sdk/" + file);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        assertThat(response.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void sdkSourceMap_isServedAsJson() throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/sdk/dialer-sdk.umd.js.map");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
    }

    @Test
    void sdkBundle_withMatchingEtag_answersNotModified() throws Exception {
        String url = gateway.baseUrl() + "/sdk/dialer-sdk.mjs";
        String etag = get(url).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sdk/missing.js", "/sdk/..%2Fsecret.txt", "/sdk/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/dialer/.secret", "/dialer/../../secret.txt", "/dialer/assets/../../../secret.txt"})
    void missingOrEscapingPaths_areNotFound(String path) throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + path);
        assertThat(response.statusCode()).isIn(400, 404);
        assertThat(response.body()).doesNotContain("outside every served directory");
    }

    @Test
    void dialerIndex_carriesFrameAncestorsOfTheAllowedOriginsAndNoFrameDeny() throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/dialer/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<title>dialer</title>");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue(
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                        + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self' " + wsOrigin() + "; "
                        + "object-src 'none'; base-uri 'none'; form-action 'none'; "
                        + "frame-ancestors http://localhost:3000 https://crm.example.com");
        assertThat(response.headers().firstValue("X-Frame-Options")).isEmpty();
    }

    @Test
    void dialerPageWithAnInlineModule_allowsExactlyThatScriptByItsHash() throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/dialer/inline.html");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("id=\"dialer-config\"");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue(
                "default-src 'self'; script-src 'self' 'sha256-ic4Nk+xnjhSnUlKkEvSC84wo138fWX+Tcp6cUXCe5UY='; "
                        + "style-src 'self' 'unsafe-inline'; "
                        + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self' " + wsOrigin() + "; "
                        + "object-src 'none'; base-uri 'none'; form-action 'none'; "
                        + "frame-ancestors http://localhost:3000 https://crm.example.com");
        String etag = response.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/dialer/inline.html"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("'sha256-ic4Nk+xnjhSnUlKkEvSC84wo138fWX+Tcp6cUXCe5UY='"));
    }

    @Test
    void dialerContentHashedChunks_areImmutable_andOtherAssetsCachedFiveMinutes() throws Exception {
        HttpResponse<String> chunk = get(gateway.baseUrl() + "/dialer/chunk-ABCDEFGH.js");
        assertThat(chunk.statusCode()).isEqualTo(200);
        assertThat(chunk.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get(gateway.baseUrl() + "/dialer/assets/main.js").headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=300");
        assertThat(get(gateway.baseUrl() + "/dialer/").headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void dialerAssetsAndNotFound_carryTheSamePolicy() throws Exception {
        HttpResponse<String> asset = get(gateway.baseUrl() + "/dialer/assets/main.js");
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(asset.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).endsWith("frame-ancestors http://localhost:3000 https://crm.example.com"));
        HttpResponse<String> missing = get(gateway.baseUrl() + "/dialer/nope.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void dialerWithoutSlash_redirectsKeepingTheQuery() throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/dialer?parentOrigin=http%3A%2F%2Flocalhost%3A3000");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location"))
                .hasValue("/dialer/?parentOrigin=http%3A%2F%2Flocalhost%3A3000");
    }

    @Test
    void dialerConfig_listsAllowedOriginsRegionAndVersion() throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/dialer/config.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.get("allowedOrigins").toString())
                .isEqualTo("[\"http://localhost:3000\",\"https://crm.example.com\"]");
        assertThat(body.get("defaultRegion").textValue()).isEqualTo("US");
        assertThat(body.get("version").textValue()).isNotBlank();
        assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void healthz_saysOk_withTheNodeAndItsCounts() throws Exception {
        HttpResponse<String> response = get(gateway.baseUrl() + "/healthz");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"node\":\""
                + org.opendialer.core.config.NodeConfig.hostName() + "\",\"dialers\":0,\"calls\":0}");
    }

    @Test
    void demoSite_pointsItsPagesAtThePublicUrl() throws Exception {
        HttpResponse<String> index = get(gateway.demoUrl() + "/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).isEqualTo("<script src=\"" + gateway.baseUrl() + "/sdk/dialer-sdk.umd.js\"></script>\n");
        HttpResponse<String> script = get(gateway.demoUrl() + "/app.js");
        assertThat(script.body()).contains("__GATEWAY_URL__");
        assertThat(get(gateway.demoUrl() + "/../secret.txt").statusCode()).isIn(400, 404);
    }

    @Test
    void adminApi_isMountedAndGuardedByTheAdminKey() throws Exception {
        String url = gateway.baseUrl() + "/api/v1/users";
        assertThat(get(url).statusCode()).isEqualTo(401);
        HttpResponse<String> users = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.body()).contains("\"alice\"");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String wsOrigin() {
        return gateway.baseUrl().replaceFirst("^http", "ws");
    }

    @Test
    void everyResponse_carriesNosniff_andNoHstsWithoutTls() throws Exception {
        for (String path : List.of("/healthz", "/api/v1/users", "/sdk/dialer-sdk.umd.js", "/dialer/", "/no-such-page")) {
            HttpResponse<String> response = get(gateway.baseUrl() + path);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as(path).isEmpty();
        }
    }

    @Test
    void dialerCsp_allowsWebSocketsOnlyToTheGatewayItself() throws Exception {
        String csp = get(gateway.baseUrl() + "/dialer/").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("connect-src 'self' ws://127.0.0.1:").doesNotContain("ws: ").doesNotContain("wss:");
    }
}
