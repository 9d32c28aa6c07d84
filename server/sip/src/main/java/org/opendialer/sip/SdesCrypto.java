package org.opendialer.sip;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * One SDES crypto attribute (RFC 4568 9.1): {@code a=crypto:<tag> AES_CM_128_HMAC_SHA1_80 inline:<key||salt>}.
 * Only that suite (the one RFC 4568 and every SDES carrier support, and the one the relay's SRTP implements),
 * one key per attribute, no MKI and no session parameters; any other attribute is not usable here.
 *
 * @param tag     the offerer's tag, echoed in the answer (RFC 4568 5.1.2)
 * @param keySalt 16 bytes of master key followed by 14 of master salt
 */
public record SdesCrypto(int tag, byte[] keySalt) {
    public static final String SUITE = "AES_CM_128_HMAC_SHA1_80";
    private static final int KEY_SALT_LENGTH = 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    public SdesCrypto {
        if (tag < 0 || tag > 999_999_999) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SDP, "crypto tag out of range: " + tag);
        }
        if (keySalt == null || keySalt.length != KEY_SALT_LENGTH) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SDP, "SDES key||salt of 30 bytes expected");
        }
        keySalt = keySalt.clone();
    }

    /** A fresh random master key and salt under {@code tag}. */
    public static SdesCrypto fresh(int tag) {
        byte[] k = new byte[KEY_SALT_LENGTH];
        RANDOM.nextBytes(k);
        return new SdesCrypto(tag, k);
    }

    @Override
    public byte[] keySalt() {
        return keySalt.clone();
    }

    /** The attribute value after {@code a=crypto:}. */
    public String attribute() {
        return tag + " " + SUITE + " inline:" + Base64.getEncoder().encodeToString(keySalt);
    }

    /**
     * The attribute value after {@code a=crypto:} if this gateway can use it; empty for another suite, a key
     * with an MKI or of the wrong length, or session parameters. Lifetimes are accepted (we never send 2^31
     * packets under one key in a call).
     */
    public static Optional<SdesCrypto> parse(String value) {
        String[] parts = value.strip().split("\\s+");
        if (parts.length != 3 || !parts[1].equals(SUITE) || !parts[2].startsWith("inline:")) {
            return Optional.empty();
        }
        String[] key = parts[2].substring("inline:".length()).split("\\|");
        if (key.length > 2) {
            return Optional.empty(); // an MKI: we would have to tag every packet with it
        }
        try {
            int tag = Integer.parseInt(parts[0]);
            byte[] k = Base64.getDecoder().decode(key[0]);
            return k.length == KEY_SALT_LENGTH && tag >= 0 && tag <= 999_999_999
                    ? Optional.of(new SdesCrypto(tag, k)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SdesCrypto c && c.tag == tag && Arrays.equals(c.keySalt, keySalt);
    }

    @Override
    public int hashCode() {
        return 31 * tag + Arrays.hashCode(keySalt);
    }

    @Override
    public String toString() {
        return "SdesCrypto[" + tag + " " + SUITE + " inline:(hidden)]"; // keys never go to logs
    }
}
