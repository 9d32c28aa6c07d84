package org.opendialer.media.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS-SRTP server side of a WebRTC leg (RFC 5764; we answer with a=setup:passive, so the
 * browser is the DTLS client). One shared certificate; one blocking {@link #accept} per leg.
 */
public final class DtlsSrtpServer {
    private static final int DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

    private final DtlsCertificate certificate;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final int handshakeTimeoutMillis;

    public DtlsSrtpServer(DtlsCertificate certificate) {
        this(certificate, DEFAULT_HANDSHAKE_TIMEOUT_MS);
    }

    public DtlsSrtpServer(DtlsCertificate certificate, int handshakeTimeoutMillis) {
        this.certificate = certificate;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /**
     * Runs the handshake over {@code transport}, blocking until it completes, fails or times
     * out. The peer must present the certificate named by {@code remoteFingerprint} (its SDP's
     * a=fingerprint value, e.g. "sha-256 AB:CD:…").
     *
     * @throws IOException on any handshake failure, including a fingerprint mismatch
     */
    public DtlsSrtpSession accept(DatagramTransport transport, String remoteFingerprint) throws IOException {
        return accept(transport, remoteFingerprint, () -> { });
    }

    /**
     * As {@link #accept(DatagramTransport, String)}; {@code onPeerClosed} runs when the peer
     * sends close_notify or a fatal alert, seen while someone keeps reading the session's transport.
     */
    public DtlsSrtpSession accept(DatagramTransport transport, String remoteFingerprint, Runnable onPeerClosed)
            throws IOException {
        SrtpTlsServer server = new SrtpTlsServer(crypto, certificate, remoteFingerprint, handshakeTimeoutMillis,
                onPeerClosed);
        DTLSTransport dtls = new DTLSServerProtocol().accept(server, transport);
        byte[] material = server.keyingMaterial();
        if (material == null) {
            dtls.close();
            throw new IOException("handshake completed without keying material");
        }
        return new DtlsSrtpSession(dtls, SrtpKeyMaterial.split(material), server.clientFingerprint());
    }
}
