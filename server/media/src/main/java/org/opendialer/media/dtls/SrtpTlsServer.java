package org.opendialer.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** The BouncyCastle peer behind {@link DtlsSrtpServer}; one instance per handshake. */
final class SrtpTlsServer extends DefaultTlsServer {
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final BcTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final String remoteFingerprint;
    private final int handshakeTimeoutMillis;
    private final Runnable onPeerClosed;
    private volatile byte[] keyingMaterial;
    private volatile String clientFingerprint;

    SrtpTlsServer(BcTlsCrypto crypto, DtlsCertificate certificate, String remoteFingerprint, int handshakeTimeoutMillis,
                  Runnable onPeerClosed) {
        super(crypto);
        this.onPeerClosed = onPeerClosed;
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    byte[] keyingMaterial() {
        return keyingMaterial;
    }

    String clientFingerprint() {
        return clientFingerprint;
    }

    /** BouncyCastle 1.84 has no DTLS 1.3 server; offering it makes Chromium's handshake die. */
    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        };
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.encoded())});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), chain, ECDSA_SHA256);
    }

    /**
     * Without a CertificateRequest the browser sends no certificate, and there is nothing to
     * compare with the a=fingerprint of its SDP (RFC 8827 §6.5 requires the check).
     */
    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        algorithms.add(ECDSA_SHA256);
        algorithms.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no client certificate");
        }
        byte[] der = clientCertificate.getCertificateAt(0).getEncoded();
        clientFingerprint = DtlsCertificate.fingerprintOf(der);
        if (!DtlsCertificate.matches(remoteFingerprint, der)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate does not match a=fingerprint");
        }
    }

    /** RFC 5764 §4.1.1: without a common protection profile there is no SRTP, so no call. */
    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null || !contains(offered.getProtectionProfiles(), SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offers no SRTP_AES128_CM_HMAC_SHA1_80");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    /** RFC 5764 §4.2: the SRTP master keys come from the TLS exporter. */
    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyMaterial.LENGTH);
    }

    /** Chromium sends close_notify on pc.close(): the leg is over even if media still trickles. */
    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        super.notifyAlertReceived(alertLevel, alertDescription);
        if (alertDescription == AlertDescription.close_notify || alertLevel == org.bouncycastle.tls.AlertLevel.fatal) {
            onPeerClosed.run();
        }
    }

    private static boolean contains(int[] values, int wanted) {
        for (int v : values) {
            if (v == wanted) {
                return true;
            }
        }
        return false;
    }
}
