package org.opendialer.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A parsed STUN message (RFC 5389 §6). The datagram is copied once; attributes are offsets into
 * that copy, so a hostile length can never cause an allocation larger than the datagram itself.
 */
public final class StunMessage {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    static final int FINGERPRINT_XOR = 0x5354554E;
    static final int INTEGRITY_LENGTH = 20;

    private final byte[] data;
    private final int type;
    private final int[] attrType;
    private final int[] attrOffset;
    private final int[] attrLength;
    private final int integrityIndex;
    private final int fingerprintIndex;

    private StunMessage(byte[] data, int type, int[] attrType, int[] attrOffset, int[] attrLength,
                        int integrityIndex, int fingerprintIndex) {
        this.data = data;
        this.type = type;
        this.attrType = attrType;
        this.attrOffset = attrOffset;
        this.attrLength = attrLength;
        this.integrityIndex = integrityIndex;
        this.fingerprintIndex = fingerprintIndex;
    }

    /** True when the datagram could be STUN: first two bits zero and the magic cookie (§6). */
    public static boolean looksLikeStun(byte[] buf, int off, int len) {
        return len >= HEADER_LENGTH && (buf[off] & 0xC0) == 0 && readInt(buf, off + 4) == MAGIC_COOKIE;
    }

    public static StunMessage parse(byte[] buf, int off, int len) throws StunException {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IllegalArgumentException("range outside buffer");
        }
        if (len < HEADER_LENGTH) {
            throw new StunException("shorter than a STUN header: " + len);
        }
        if (!looksLikeStun(buf, off, len)) {
            throw new StunException("no STUN magic cookie");
        }
        int bodyLength = readShort(buf, off + 2);
        if ((bodyLength & 3) != 0) {
            throw new StunException("message length not a multiple of 4: " + bodyLength);
        }
        if (HEADER_LENGTH + bodyLength != len) {
            throw new StunException("message length " + bodyLength + " does not match datagram " + len);
        }
        byte[] data = Arrays.copyOfRange(buf, off, off + len);
        // At most one attribute per 4 bytes of body: bounds the arrays by the datagram size.
        int max = bodyLength / 4;
        int[] types = new int[max];
        int[] offsets = new int[max];
        int[] lengths = new int[max];
        int count = 0;
        int integrity = -1;
        int fingerprint = -1;
        int pos = HEADER_LENGTH;
        while (pos < len) {
            if (len - pos < 4) {
                throw new StunException("truncated attribute header at " + pos);
            }
            int t = readShort(data, pos);
            int l = readShort(data, pos + 2);
            int padded = (l + 3) & ~3;
            if (padded > len - pos - 4) {
                throw new StunException("attribute 0x" + Integer.toHexString(t) + " overruns the message");
            }
            if (fingerprint >= 0) {
                throw new StunException("attribute after FINGERPRINT"); // §15.5: it must be last
            }
            if (t == StunAttribute.FINGERPRINT) {
                if (l != 4) {
                    throw new StunException("FINGERPRINT length " + l);
                }
                fingerprint = count;
            } else if (integrity >= 0) {
                // §15.4: everything after MESSAGE-INTEGRITY except FINGERPRINT is ignored.
                pos += 4 + padded;
                continue;
            } else if (t == StunAttribute.MESSAGE_INTEGRITY) {
                if (l != INTEGRITY_LENGTH) {
                    throw new StunException("MESSAGE-INTEGRITY length " + l);
                }
                integrity = count;
            }
            types[count] = t;
            offsets[count] = pos + 4;
            lengths[count] = l;
            count++;
            pos += 4 + padded;
        }
        return new StunMessage(data, readShort(data, 0), Arrays.copyOf(types, count),
                Arrays.copyOf(offsets, count), Arrays.copyOf(lengths, count), integrity, fingerprint);
    }

    public int type() {
        return type;
    }

    public byte[] transactionId() {
        return Arrays.copyOfRange(data, 8, 20);
    }

    /** The message as received. */
    public byte[] bytes() {
        return data.clone();
    }

    public int attributeCount() {
        return attrType.length;
    }

    public int attributeType(int index) {
        return attrType[index];
    }

    public boolean has(int attributeType) {
        return find(attributeType) >= 0;
    }

    /** The value of the first attribute of this type, without padding, or null. */
    public byte[] attribute(int attributeType) {
        int i = find(attributeType);
        return i < 0 ? null : Arrays.copyOfRange(data, attrOffset[i], attrOffset[i] + attrLength[i]);
    }

    /** Comprehension-required attribute types this parser does not know (answer 420, §7.3.1). */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> unknown = new ArrayList<>();
        for (int t : attrType) {
            if (StunAttribute.isComprehensionRequired(t) && !StunAttribute.isKnown(t)) {
                unknown.add(t);
            }
        }
        return unknown;
    }

    public String username() throws StunException {
        int i = find(StunAttribute.USERNAME);
        if (i < 0) {
            return null;
        }
        if (attrLength[i] > 513) {
            throw new StunException("USERNAME longer than 513 bytes"); // §15.3
        }
        return new String(data, attrOffset[i], attrLength[i], StandardCharsets.UTF_8);
    }

    public long priority() throws StunException {
        int i = find(StunAttribute.PRIORITY);
        if (i < 0) {
            return -1;
        }
        requireLength(i, 4);
        return readInt(data, attrOffset[i]) & 0xFFFFFFFFL;
    }

    /** The ICE tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED (RFC 8445 §7.1.3), if present. */
    public Long tieBreaker(int roleAttribute) throws StunException {
        int i = find(roleAttribute);
        if (i < 0) {
            return null;
        }
        requireLength(i, 8);
        return ((long) readInt(data, attrOffset[i]) << 32) | (readInt(data, attrOffset[i] + 4) & 0xFFFFFFFFL);
    }

    /** ERROR-CODE as class*100+number (§15.6), or -1. */
    public int errorCode() throws StunException {
        int i = find(StunAttribute.ERROR_CODE);
        if (i < 0) {
            return -1;
        }
        if (attrLength[i] < 4) {
            throw new StunException("ERROR-CODE too short");
        }
        int o = attrOffset[i];
        return (data[o + 2] & 0x07) * 100 + (data[o + 3] & 0xFF);
    }

    public String errorReason() {
        int i = find(StunAttribute.ERROR_CODE);
        if (i < 0 || attrLength[i] < 4) {
            return null;
        }
        return new String(data, attrOffset[i] + 4, attrLength[i] - 4, StandardCharsets.UTF_8);
    }

    /** XOR-MAPPED-ADDRESS decoded (§15.2), or null when absent. */
    public InetSocketAddress xorMappedAddress() throws StunException {
        int i = find(StunAttribute.XOR_MAPPED_ADDRESS);
        if (i < 0) {
            return null;
        }
        int o = attrOffset[i];
        int family = data[o + 1] & 0xFF;
        int addressLength = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (addressLength < 0) {
            throw new StunException("XOR-MAPPED-ADDRESS family " + family);
        }
        requireLength(i, 4 + addressLength);
        int port = readShort(data, o + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] address = new byte[addressLength];
        for (int k = 0; k < addressLength; k++) {
            // Cookie then transaction id: header bytes 4..19 are exactly the XOR mask.
            address[k] = (byte) (data[o + 4 + k] ^ data[4 + k]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new StunException("bad address length"); // unreachable: 4 or 16 bytes
        }
    }

    public boolean hasIntegrity() {
        return integrityIndex >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintIndex >= 0;
    }

    /**
     * Checks MESSAGE-INTEGRITY with a short-term credential key (the ICE password as UTF-8,
     * RFC 5389 §15.4): HMAC-SHA1 over the message up to the attribute, with the header length
     * rewritten to end just after MESSAGE-INTEGRITY.
     */
    public boolean verifyIntegrity(byte[] key) {
        if (integrityIndex < 0) {
            return false;
        }
        int attrStart = attrOffset[integrityIndex] - 4;
        byte[] copy = Arrays.copyOf(data, attrStart);
        writeShort(copy, 2, attrStart + 4 + INTEGRITY_LENGTH - HEADER_LENGTH);
        byte[] expected = StunCrypto.hmacSha1(key, copy, 0, copy.length);
        return MessageDigest.isEqual(expected,
                Arrays.copyOfRange(data, attrOffset[integrityIndex], attrOffset[integrityIndex] + INTEGRITY_LENGTH));
    }

    /** Checks FINGERPRINT: CRC-32 of everything before it, XOR 0x5354554e (§15.5). */
    public boolean verifyFingerprint() {
        if (fingerprintIndex < 0) {
            return false;
        }
        int attrStart = attrOffset[fingerprintIndex] - 4;
        CRC32 crc = new CRC32();
        crc.update(data, 0, attrStart);
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == readInt(data, attrOffset[fingerprintIndex]);
    }

    private int find(int attributeType) {
        for (int i = 0; i < attrType.length; i++) {
            if (attrType[i] == attributeType) {
                return i;
            }
        }
        return -1;
    }

    private void requireLength(int i, int expected) throws StunException {
        if (attrLength[i] != expected) {
            throw new StunException("attribute 0x" + Integer.toHexString(attrType[i]) + " length " + attrLength[i]);
        }
    }

    static int readShort(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    static void writeShort(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
