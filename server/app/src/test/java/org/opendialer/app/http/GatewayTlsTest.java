package org.opendialer.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.app.GatewayFixture;

class GatewayTlsTest {

    @Test
    void tlsCertificateAndKey_makeTheGatewayServeHttps(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate certificate = selfSigned(keys);
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        writePem(certFile, certificate);
        writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null));

        try (GatewayFixture gateway = GatewayFixture.start(dir, Map.of(
                "DIALER_TLS_CERT", certFile.toString(), "DIALER_TLS_KEY", keyFile.toString()))) {
            assertThat(gateway.baseUrl()).startsWith("https://127.0.0.1:");
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("{\"status\":\"ok\"");
            for (String path : List.of("/healthz", "/api/v1/users", "/dialer/")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.headers().firstValue("Strict-Transport-Security")).as(path).hasValue("max-age=31536000");
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            }
            String csp = client.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/dialer/")).build(),
                    HttpResponse.BodyHandlers.ofString()).headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("connect-src 'self' wss://127.0.0.1:");
        }
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static void writePem(Path file, Object object) throws Exception {
        try (Writer writer = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
