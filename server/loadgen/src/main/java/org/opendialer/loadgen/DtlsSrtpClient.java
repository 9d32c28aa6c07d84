package org.opendialer.loadgen;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.opendialer.media.dtls.DtlsCertificate;
import org.opendialer.media.dtls.SrtpKeyMaterial;

/**
 * The browser's side of DTLS-SRTP: a DTLS 1.2 client offering use_srtp with
 * SRTP_AES128_CM_HMAC_SHA1_80, presenting its certificate, checking the relay's against the
 * answer's fingerprint, and exporting the 60 bytes of SRTP keying material.
 */
final class DtlsSrtpClient extends DefaultTlsClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final BcTlsCrypto crypto;
    private final BrowserCertificate own;
    private final String expectedServerFingerprint;
    private volatile byte[] keyingMaterial;

    DtlsSrtpClient(BrowserCertificate own, String expectedServerFingerprint) {
        this(new BcTlsCrypto(RANDOM), own, expectedServerFingerprint);
    }

    private DtlsSrtpClient(BcTlsCrypto crypto, BrowserCertificate own, String expectedServerFingerprint) {
        super(crypto);
        this.crypto = crypto;
        this.own = own;
        this.expectedServerFingerprint = expectedServerFingerprint;
    }

    SrtpKeyMaterial keys() {
        return SrtpKeyMaterial.split(keyingMaterial);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 20_000;
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return 250; // Chromium starts at 50 ms on loopback-fast links; BC's default is 1 s
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(
                new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                byte[] der = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!DtlsCertificate.matches(expectedServerFingerprint, der)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(own.der())});
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, own.privateKey(),
                        chain, new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyMaterial.LENGTH);
    }
}
