package org.opendialer.sip;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds an in-memory key store from a PEM certificate chain and an unencrypted PEM private key. */
public final class PemKeyStore {
    public static final String ALIAS = "gateway";

    private PemKeyStore() {}

    public static KeyStore load(Path certificateFile, Path keyFile, char[] password)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(certificateFile, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(certificates.getCertificate(holder));
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificateFile + " holds no PEM certificate");
        }
        PrivateKey key = readKey(keyFile);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(ALIAS, key, password, chain.toArray(new X509Certificate[0]));
        return store;
    }

    private static PrivateKey readKey(Path keyFile) throws IOException, GeneralSecurityException {
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    // SEC1 EC keys may omit the public point, so convert only the private half.
                    return keys.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return keys.getPrivateKey(info);
                }
            }
        }
        throw new GeneralSecurityException(keyFile + " holds no unencrypted PEM private key");
    }
}
