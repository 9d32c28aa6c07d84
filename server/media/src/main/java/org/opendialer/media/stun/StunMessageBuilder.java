package org.opendialer.media.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Encodes a STUN message (RFC 5389 §6, §15). Attributes are appended in call order;
 * {@link #messageIntegrity} and {@link #fingerprint} must come last, in that order.
 */
public final class StunMessageBuilder {
    private byte[] buf = new byte[256];
    private int len = StunMessage.HEADER_LENGTH;
    private byte padding;

    public StunMessageBuilder(int type, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        StunMessage.writeShort(buf, 0, type);
        StunMessage.writeInt(buf, 4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, buf, 8, 12);
    }

    /**
     * The byte used to pad attribute values to 4 bytes. Receivers ignore it (§15); RFC 5769's
     * vectors pad with 0x20 to prove that, so the tests reproduce them byte for byte.
     */
    public StunMessageBuilder padding(byte value) {
        this.padding = value;
        return this;
    }

    public StunMessageBuilder attribute(int type, byte[] value) {
        ensure(4 + value.length + 3);
        StunMessage.writeShort(buf, len, type);
        StunMessage.writeShort(buf, len + 2, value.length);
        System.arraycopy(value, 0, buf, len + 4, value.length);
        len += 4 + value.length;
        while ((len & 3) != 0) {
            buf[len++] = padding;
        }
        return this;
    }

    public StunMessageBuilder username(String username) {
        return attribute(StunAttribute.USERNAME, username.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageBuilder software(String software) {
        return attribute(StunAttribute.SOFTWARE, software.getBytes(StandardCharsets.UTF_8));
    }

    public StunMessageBuilder priority(long priority) {
        byte[] v = new byte[4];
        StunMessage.writeInt(v, 0, (int) priority);
        return attribute(StunAttribute.PRIORITY, v);
    }

    public StunMessageBuilder iceRole(int roleAttribute, long tieBreaker) {
        byte[] v = new byte[8];
        StunMessage.writeInt(v, 0, (int) (tieBreaker >>> 32));
        StunMessage.writeInt(v, 4, (int) tieBreaker);
        return attribute(roleAttribute, v);
    }

    public StunMessageBuilder useCandidate() {
        return attribute(StunAttribute.USE_CANDIDATE, new byte[0]);
    }

    /** ERROR-CODE: class in the hundreds digit, number in the rest, then a reason phrase (§15.6). */
    public StunMessageBuilder errorCode(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] v = Arrays.copyOf(new byte[4], 4 + r.length);
        v[2] = (byte) (code / 100);
        v[3] = (byte) (code % 100);
        System.arraycopy(r, 0, v, 4, r.length);
        return attribute(StunAttribute.ERROR_CODE, v);
    }

    public StunMessageBuilder unknownAttributes(List<Integer> types) {
        byte[] v = new byte[types.size() * 2];
        for (int i = 0; i < types.size(); i++) {
            StunMessage.writeShort(v, i * 2, types.get(i));
        }
        return attribute(StunAttribute.UNKNOWN_ATTRIBUTES, v);
    }

    /** XOR-MAPPED-ADDRESS: port XOR the cookie's top half, address XOR cookie||transaction id (§15.2). */
    public StunMessageBuilder xorMappedAddress(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 0x01 : 0x02);
        StunMessage.writeShort(v, 2, address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16));
        for (int k = 0; k < ip.length; k++) {
            v[4 + k] = (byte) (ip[k] ^ buf[4 + k]);
        }
        return attribute(StunAttribute.XOR_MAPPED_ADDRESS, v);
    }

    /** Appends MESSAGE-INTEGRITY keyed with a short-term credential (the ICE password, §15.4). */
    public StunMessageBuilder messageIntegrity(byte[] key) {
        StunMessage.writeShort(buf, 2, len + 4 + StunMessage.INTEGRITY_LENGTH - StunMessage.HEADER_LENGTH);
        byte[] mac = StunCrypto.hmacSha1(key, buf, 0, len);
        return attribute(StunAttribute.MESSAGE_INTEGRITY, mac);
    }

    /** Appends FINGERPRINT: CRC-32 of the message so far XOR 0x5354554e (§15.5). */
    public StunMessageBuilder fingerprint() {
        StunMessage.writeShort(buf, 2, len + 8 - StunMessage.HEADER_LENGTH);
        CRC32 crc = new CRC32();
        crc.update(buf, 0, len);
        byte[] v = new byte[4];
        StunMessage.writeInt(v, 0, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
        return attribute(StunAttribute.FINGERPRINT, v);
    }

    public byte[] build() {
        StunMessage.writeShort(buf, 2, len - StunMessage.HEADER_LENGTH);
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
