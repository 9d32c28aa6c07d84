package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayConfigTest {

    @Test
    void emptyEnvironment_givesDocumentedDefaults() {
        GatewayConfig c = GatewayConfig.from(Map.of());
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.publicUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(c.demoPort()).isEqualTo(8081);
        assertThat(c.allowedOrigins()).containsExactly("http://localhost:8081", "http://127.0.0.1:8080");
        assertThat(c.defaultRegion()).isEqualTo("US");
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.webDir()).isEqualTo(Path.of("./web"));
        assertThat(c.dbUrl()).startsWith("jdbc:h2:file:").endsWith("/data/dialer");
        assertThat(c.dbUser()).isEmpty();
        assertThat(c.dbPassword()).isEmpty();
        assertThat(c.adminKey()).isEmpty();
        assertThat(c.sessionIdleTtl()).isEqualTo(Duration.ofSeconds(43200));
        assertThat(c.signInTokenTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.logLevel()).isEqualTo("info");
    }

    @Test
    void defaultPublicUrlAndOrigins_followTheConfiguredPorts() {
        GatewayConfig c = GatewayConfig.from(Map.of("DIALER_HTTP_PORT", "9000", "DIALER_DEMO_PORT", "9001"));
        assertThat(c.publicUrlText()).isEqualTo("http://127.0.0.1:9000");
        assertThat(c.allowedOrigins()).containsExactly("http://localhost:9001", "http://127.0.0.1:9000");
    }

    @Test
    void demoPortZero_disablesDemoAndItsOrigin() {
        GatewayConfig c = GatewayConfig.from(Map.of("DIALER_DEMO_PORT", "0"));
        assertThat(c.demoEnabled()).isFalse();
        assertThat(c.allowedOrigins()).containsExactly("http://127.0.0.1:8080");
    }

    @Test
    void allowedOrigins_areTrimmedNormalisedAndDeduplicated() {
        GatewayConfig c = GatewayConfig.from(Map.of("DIALER_ALLOWED_ORIGINS",
                " https://CRM.example.com/ , https://crm.example.com:443,http://localhost:3000,"));
        assertThat(c.allowedOrigins()).containsExactly("https://crm.example.com", "http://localhost:3000");
    }

    @Test
    void dataDir_movesTheDefaultDatabase() {
        GatewayConfig c = GatewayConfig.from(Map.of("DIALER_DATA_DIR", "/var/lib/dialer"));
        assertThat(c.dbUrl()).isEqualTo("jdbc:h2:file:/var/lib/dialer/dialer");
    }

    @Test
    void publicUrl_withTrailingSlash_isAcceptedAndOriginOmitsDefaultPort() {
        GatewayConfig c = GatewayConfig.from(Map.of("DIALER_PUBLIC_URL", "https://dialer.example.com:443/"));
        assertThat(c.publicOrigin()).isEqualTo("https://dialer.example.com");
        assertThat(c.publicUrlText()).isEqualTo("https://dialer.example.com:443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "65536", "http", "80a", "99999999999"})
    void badHttpPort_failsNamingTheKey(String value) {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_HTTP_PORT", value)))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo(ConfigKey.HTTP_PORT))
                .hasMessageStartingWith("DIALER_HTTP_PORT: '" + value + "' is not a port number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x.example", "https://x.example/path", "not a url", "https://", "*"})
    void badAllowedOrigin_failsNamingTheKey(String value) {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_ALLOWED_ORIGINS", value)))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo(ConfigKey.ALLOWED_ORIGINS));
    }

    @Test
    void badPublicUrl_failsNamingTheKey() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_PUBLIC_URL", "dialer.example.com")))
                .hasMessageStartingWith("DIALER_PUBLIC_URL:");
    }

    @Test
    void unknownRegion_failsNamingTheKey() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_DEFAULT_REGION", "XX")))
                .hasMessageStartingWith("DIALER_DEFAULT_REGION:");
        assertThat(GatewayConfig.from(Map.of("DIALER_DEFAULT_REGION", "gb")).defaultRegion()).isEqualTo("GB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "soon", "31536001"})
    void badTtl_failsNamingTheKey(String value) {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_SESSION_IDLE_TTL_S", value)))
                .hasMessageStartingWith("DIALER_SESSION_IDLE_TTL_S:");
    }

    @Test
    void shortAdminKey_isRefused_longOneEnablesTheApi() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_ADMIN_KEY", "short")))
                .hasMessageStartingWith("DIALER_ADMIN_KEY:");
        assertThat(GatewayConfig.from(Map.of("DIALER_ADMIN_KEY", "k".repeat(32))).adminKey())
                .isEqualTo(Optional.of("k".repeat(32)));
    }

    @Test
    void badLogLevel_failsNamingTheKey() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_LOG_LEVEL", "loud")))
                .hasMessageStartingWith("DIALER_LOG_LEVEL:");
    }

    @Test
    void tlsCertWithoutKey_isRefused(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_TLS_CERT", cert.toString())))
                .hasMessageStartingWith("DIALER_TLS_KEY: must be set together with DIALER_TLS_CERT");
    }

    @Test
    void missingTlsFile_isRefused() {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_TLS_CERT", "/nonexistent/cert.pem")))
                .hasMessageStartingWith("DIALER_TLS_CERT: file");
    }

    @Test
    void tlsPair_switchesDefaultPublicUrlToHttps(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        GatewayConfig c = GatewayConfig.from(Map.of("DIALER_TLS_CERT", cert.toString(),
                "DIALER_TLS_KEY", key.toString()));
        assertThat(c.tlsEnabled()).isTrue();
        assertThat(c.publicUrlText()).isEqualTo("https://127.0.0.1:8080");
    }
}
