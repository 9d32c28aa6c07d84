package org.opendialer.media.dtls;

import org.bouncycastle.tls.DTLSTransport;

/**
 * A completed DTLS-SRTP handshake. Keep reading {@code transport} after the handshake: the
 * browser's close_notify arrives there when the peer connection closes.
 *
 * @param transport          the DTLS record layer (application data is unused by WebRTC audio)
 * @param keys               SRTP master keys and salts for both directions
 * @param clientFingerprint  the verified certificate fingerprint of the peer
 */
public record DtlsSrtpSession(DTLSTransport transport, SrtpKeyMaterial keys, String clientFingerprint) {
}
