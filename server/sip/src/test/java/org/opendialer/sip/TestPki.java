package org.opendialer.sip;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made at test time (none in the repository): a CA, and server certificates it or another CA signs. */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    record Issued(X509Certificate certificate, PrivateKey key) {
        /** Writes cert.pem and key.pem under {@code dir/name}; returns the directory. */
        Path write(Path dir, String name) throws IOException {
            Path d = Files.createDirectories(dir.resolve(name));
            Files.writeString(d.resolve("cert.pem"), pem(certificate));
            Files.writeString(d.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n"); // PKCS#8, which OpenSSL 3 reads
            return d;
        }

        /** Writes the certificate alone to {@code file} (a CA file a peer trusts); returns the file. */
        Path writeCertificate(Path file) throws IOException {
            return Files.writeString(file, pem(certificate));
        }
    }

    private TestPki() {
    }

    static Issued ca(String name) throws Exception {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    /** A server certificate for {@code names} (DNS names, or IP addresses), valid from {@code from} to {@code to}. */
    static Issued server(Issued ca, Instant from, Instant to, String... names) throws Exception {
        KeyPair keys = keyPair();
        var builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from), Date.from(to), new X500Name("CN=" + names[0]), keys.getPublic());
        GeneralName[] alt = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            alt[i] = new GeneralName(names[i].matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new Issued(sign(builder, ca.key()), keys.getPrivate());
    }

    static Issued server(Issued ca, String... names) throws Exception {
        Instant now = Instant.now();
        return server(ca, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), names);
    }

    static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }
}
