/**
 * The gateway's media library: everything between a browser's WebRTC audio and plain RTP,
 * and nothing about SIP or HTTP.
 *
 * <ul>
 *   <li>{@code stun}: STUN messages (RFC 5389) and the ICE-lite responder (RFC 8445 §2.5).</li>
 *   <li>{@code dtls}: the DTLS 1.2 server that yields SRTP keys (RFC 5764), on BouncyCastle.</li>
 *   <li>{@code srtp}: SRTP/SRTCP with AES_CM_128_HMAC_SHA1_80 (RFC 3711) on javax.crypto.</li>
 *   <li>{@code rtp}: RTP/RTCP headers, first-byte demultiplexing (RFC 7983), stream rewriting.</li>
 *   <li>{@code g711}: μ-law and A-law, for tones and tests.</li>
 *   <li>{@code webrtc}: one UDP port shared by all browser legs, and the SDP answer.</li>
 * </ul>
 *
 * Why these are hand-written and not libraries: docs/decisions/0004-media-relay.md.
 */
package org.opendialer.media;
