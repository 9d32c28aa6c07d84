package org.opendialer.media.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The gateway's DTLS identity: a self-signed P-256 certificate made at start-up. WebRTC does
 * not use PKI; the peer trusts the certificate whose hash it read in our SDP (RFC 8122 §5).
 */
public final class DtlsCertificate {
    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = fingerprintOf(der);
    }

    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=opendialer");
            Instant now = Instant.now();
            byte[] der = new JcaX509v3CertificateBuilder(name, new BigInteger(63, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                    name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                    .getEncoded();
            return new DtlsCertificate(der, PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a P-256 certificate", e);
        }
    }

    /** DER encoding of the certificate. */
    public byte[] encoded() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** For the SDP line {@code a=fingerprint:sha-256 <this>}: upper-case hex pairs joined by colons. */
    public String fingerprint() {
        return fingerprint;
    }

    /** SHA-256 of a DER certificate in the SDP fingerprint notation (RFC 8122 §5). */
    public static String fingerprintOf(byte[] der) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }

    /**
     * True when {@code sdpFingerprint} ("sha-256 AB:CD:…", or just the hex) names this DER
     * certificate. Only sha-256 is accepted: it is what browsers send and RFC 8122 §5 requires
     * support for.
     */
    public static boolean matches(String sdpFingerprint, byte[] der) {
        if (sdpFingerprint == null) {
            return false;
        }
        String value = sdpFingerprint.trim();
        int space = value.indexOf(' ');
        if (space >= 0) {
            if (!value.substring(0, space).toLowerCase(Locale.ROOT).equals("sha-256")) {
                return false;
            }
            value = value.substring(space + 1).trim();
        }
        byte[] expected = value.toUpperCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] actual = fingerprintOf(der).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
