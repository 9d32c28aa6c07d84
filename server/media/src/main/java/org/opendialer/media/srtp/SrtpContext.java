package org.opendialer.media.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP with AES_CM_128_HMAC_SHA1_80 (RFC 3711; profile of RFC 5764 §4.1.2) for one
 * direction of one session: create one context to protect what we send and another, from the
 * peer's key and salt, to unprotect what we receive. Session keys are derived once; Cipher and
 * Mac instances are reused, so a packet costs its output array and nothing else.
 * Not thread-safe: one context belongs to the thread that handles its socket.
 */
public final class SrtpContext {
    public static final int MASTER_KEY_LENGTH = 16;
    public static final int MASTER_SALT_LENGTH = 14;
    /** HMAC-SHA1 truncated to 80 bits. */
    public static final int AUTH_TAG_LENGTH = 10;
    /** E flag and 31-bit index after an SRTCP packet (§3.4). */
    public static final int SRTCP_INDEX_LENGTH = 4;
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    private static final int MAX_SSRCS = 32;

    private final AesCounterMode rtpCipher;
    private final AesCounterMode rtcpCipher;
    private final Mac rtpMac;
    private final Mac rtcpMac;
    private final byte[] tag = new byte[20];
    private final byte[] rocBytes = new byte[4];
    private final Map<Integer, SsrcState> states = new HashMap<>();
    private int lastSsrc;
    private SsrcState lastState;

    public SrtpContext(byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != MASTER_KEY_LENGTH || masterSalt.length != MASTER_SALT_LENGTH) {
            throw new IllegalArgumentException("master key of 16 bytes and master salt of 14 bytes expected");
        }
        rtpCipher = new AesCounterMode(
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_SALT, 14));
        rtcpCipher = new AesCounterMode(
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_ENCRYPTION, 16),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_SALT, 14));
        rtpMac = hmac(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTP_AUTHENTICATION, 20));
        rtcpMac = hmac(SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.RTCP_AUTHENTICATION, 20));
    }

    /** RTP → SRTP (§3.3): payload encrypted, tag over header, ciphertext and ROC appended. */
    public byte[] protectRtp(byte[] packet, int off, int len) throws SrtpException {
        int header = rtpHeaderLength(packet, off, len);
        int ssrc = readInt(packet, off + 8);
        int seq = readShort(packet, off + 2);
        SsrcState state = state(ssrc);
        long v = state.guessRoc(seq);
        if (v < 0) {
            throw new SrtpException(SrtpException.Reason.REPLAYED, "sequence " + seq + " precedes the stream");
        }
        state.advance(v, seq);
        byte[] out = new byte[len + AUTH_TAG_LENGTH];
        System.arraycopy(packet, off, out, 0, len);
        rtpCipher.apply(ssrc, (v << 16) | seq, out, header, len - header);
        computeTag(rtpMac, out, len, v);
        System.arraycopy(tag, 0, out, len, AUTH_TAG_LENGTH);
        return out;
    }

    /** SRTP → RTP (§3.3): index guessed, replay checked, tag verified, then decrypted. */
    public byte[] unprotectRtp(byte[] packet, int off, int len) throws SrtpException {
        int plainLength = len - AUTH_TAG_LENGTH;
        int header = rtpHeaderLength(packet, off, plainLength);
        int ssrc = readInt(packet, off + 8);
        int seq = readShort(packet, off + 2);
        SsrcState known = find(ssrc);
        SsrcState state = known != null ? known : new SsrcState();
        long v = state.guessRoc(seq);
        long index = (v << 16) | seq;
        if (v < 0 || !state.rtpWindow.isFresh(index)) {
            throw new SrtpException(SrtpException.Reason.REPLAYED, "RTP index " + index + " ssrc " + ssrc);
        }
        computeTag(rtpMac, packet, off, plainLength, v);
        if (!tagMatches(packet, off + plainLength)) {
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "RTP seq " + seq + " ssrc " + ssrc);
        }
        byte[] out = Arrays.copyOfRange(packet, off, off + plainLength);
        rtpCipher.apply(ssrc, index, out, header, plainLength - header);
        if (known == null) {
            remember(ssrc, state);
        }
        state.rtpWindow.accept(index);
        state.advance(v, seq);
        return out;
    }

    /** RTCP → SRTCP (§3.4): all but the first 8 bytes encrypted, then E|index, then the tag. */
    public byte[] protectRtcp(byte[] packet, int off, int len) throws SrtpException {
        if (len < RTCP_HEADER || (packet[off] & 0xC0) != 0x80) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "not an RTCP packet");
        }
        int ssrc = readInt(packet, off + 4);
        SsrcState state = state(ssrc);
        int index = state.nextRtcpIndex;
        state.nextRtcpIndex = (index + 1) & 0x7FFFFFFF;
        byte[] out = new byte[len + SRTCP_INDEX_LENGTH + AUTH_TAG_LENGTH];
        System.arraycopy(packet, off, out, 0, len);
        rtcpCipher.apply(ssrc, index, out, RTCP_HEADER, len - RTCP_HEADER);
        writeInt(out, len, 0x80000000 | index);
        computeTag(rtcpMac, out, len + SRTCP_INDEX_LENGTH, -1);
        System.arraycopy(tag, 0, out, len + SRTCP_INDEX_LENGTH, AUTH_TAG_LENGTH);
        return out;
    }

    /** SRTCP → RTCP (§3.4). An E flag of 0 means the sender left the payload in clear. */
    public byte[] unprotectRtcp(byte[] packet, int off, int len) throws SrtpException {
        int plainLength = len - SRTCP_INDEX_LENGTH - AUTH_TAG_LENGTH;
        if (plainLength < RTCP_HEADER || (packet[off] & 0xC0) != 0x80) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "too short for SRTCP: " + len);
        }
        int ssrc = readInt(packet, off + 4);
        int word = readInt(packet, off + plainLength);
        boolean encrypted = word < 0;
        int index = word & 0x7FFFFFFF;
        SsrcState known = find(ssrc);
        SsrcState state = known != null ? known : new SsrcState();
        if (!state.rtcpWindow.isFresh(index)) {
            throw new SrtpException(SrtpException.Reason.REPLAYED, "SRTCP index " + index + " ssrc " + ssrc);
        }
        computeTag(rtcpMac, packet, off, plainLength + SRTCP_INDEX_LENGTH, -1);
        if (!tagMatches(packet, off + plainLength + SRTCP_INDEX_LENGTH)) {
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTCP ssrc " + ssrc);
        }
        byte[] out = Arrays.copyOfRange(packet, off, off + plainLength);
        if (encrypted) {
            rtcpCipher.apply(ssrc, index, out, RTCP_HEADER, plainLength - RTCP_HEADER);
        }
        if (known == null) {
            remember(ssrc, state);
        }
        state.rtcpWindow.accept(index);
        return out;
    }

    /** The rollover counter of an SSRC as this context knows it (for tests and diagnostics). */
    public long rolloverCounter(int ssrc) {
        SsrcState state = states.get(ssrc);
        return state == null ? 0 : state.roc;
    }

    /** Sender side: our own streams, created on first use. */
    private SsrcState state(int ssrc) {
        SsrcState state = find(ssrc);
        if (state == null) {
            state = new SsrcState();
            remember(ssrc, state);
        }
        return state;
    }

    private SsrcState find(int ssrc) {
        // One stream per direction is the rule for audio: skip the map (and its boxing) for it.
        if (lastState != null && lastSsrc == ssrc) {
            return lastState;
        }
        SsrcState state = states.get(ssrc);
        if (state != null) {
            lastSsrc = ssrc;
            lastState = state;
        }
        return state;
    }

    /**
     * Receive side calls this only after a packet authenticated, so forged packets with made-up
     * SSRCs cannot grow the map; the cap bounds what even a keyed peer can make us hold.
     */
    private void remember(int ssrc, SsrcState state) {
        if (states.size() >= MAX_SSRCS) {
            states.clear();
        }
        states.put(ssrc, state);
        lastSsrc = ssrc;
        lastState = state;
    }

    int ssrcCount() {
        return states.size();
    }

    private void computeTag(Mac mac, byte[] buf, int len, long roc) {
        computeTag(mac, buf, 0, len, roc);
    }

    /** HMAC-SHA1 over the authenticated portion, then the ROC for SRTP (§4.2); roc < 0 for SRTCP. */
    private void computeTag(Mac mac, byte[] buf, int off, int len, long roc) {
        mac.update(buf, off, len);
        if (roc >= 0) {
            writeInt(rocBytes, 0, (int) roc);
            mac.update(rocBytes, 0, 4);
        }
        try {
            mac.doFinal(tag, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // tag holds the full 20-byte SHA-1 output
        }
    }

    /** Constant-time comparison of the 80-bit tag. */
    private boolean tagMatches(byte[] buf, int at) {
        int diff = 0;
        for (int i = 0; i < AUTH_TAG_LENGTH; i++) {
            diff |= tag[i] ^ buf[at + i];
        }
        return diff == 0;
    }

    /** Fixed header, CSRCs and header extension (RFC 3550 §5.1, §5.3.1) are sent in clear. */
    private static int rtpHeaderLength(byte[] p, int off, int len) throws SrtpException {
        if (len < RTP_HEADER || (p[off] & 0xC0) != 0x80) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "not an RTP packet");
        }
        int header = RTP_HEADER + 4 * (p[off] & 0x0F);
        if ((p[off] & 0x10) != 0) {
            if (header + 4 > len) {
                throw new SrtpException(SrtpException.Reason.MALFORMED, "extension header past the end");
            }
            header += 4 + 4 * readShort(p, off + header + 2);
        }
        if (header > len) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "header " + header + " longer than packet " + len);
        }
        return header;
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is mandatory in every JDK", e);
        }
    }

    private static int readShort(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
