package org.opendialer.loadgen;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opendialer.media.dtls.DtlsCertificate;

/** The simulated browsers' self-signed P-256 certificate (one for all of them, as a browser profile would). */
record BrowserCertificate(byte[] der, AsymmetricKeyParameter privateKey, String fingerprint) {
    static BrowserCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=loadgen");
            Instant now = Instant.now();
            byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            return new BrowserCertificate(der, PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()),
                    DtlsCertificate.fingerprintOf(der));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a P-256 certificate", e);
        }
    }
}
