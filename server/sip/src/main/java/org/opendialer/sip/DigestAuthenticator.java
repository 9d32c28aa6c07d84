package org.opendialer.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Answers an HTTP digest challenge (RFC 2617, as used by SIP in RFC 3261 22.4) with MD5 and, when the
 * server offers it, qop=auth. Hand-written: the RI's AuthenticationHelper hides the computation behind
 * a transaction resend we do ourselves anyway, and this can be checked against RFC 2617's example.
 */
final class DigestAuthenticator {
    /** A parsed WWW-Authenticate or Proxy-Authenticate challenge. {@code qop} may be a list like "auth,auth-int". */
    record Challenge(String realm, String nonce, String opaque, String algorithm, String qop) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestAuthenticator() {
    }

    /** Whether we can answer the challenge: MD5 (or no algorithm) and, if qop is given, "auth" among them. */
    static boolean supports(Challenge c) {
        boolean md5 = c.algorithm() == null || c.algorithm().equalsIgnoreCase("MD5");
        return md5 && c.nonce() != null && (c.qop() == null || offersAuth(c.qop()));
    }

    /** The credentials value (without the header name), with a fresh client nonce. */
    static String authorization(Challenge c, String method, String uri, String username, String password,
                                int nonceCount) {
        byte[] cnonce = new byte[8];
        RANDOM.nextBytes(cnonce);
        return authorization(c, method, uri, username, password, nonceCount, HexFormat.of().formatHex(cnonce));
    }

    static String authorization(Challenge c, String method, String uri, String username, String password,
                                int nonceCount, String cnonce) {
        boolean qopAuth = c.qop() != null;
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        String response = response(username, c.realm(), password, method, uri, c.nonce(), qopAuth ? nc : null,
                qopAuth ? cnonce : null, qopAuth ? "auth" : null);
        StringBuilder b = new StringBuilder("Digest username=\"").append(username)
                .append("\",realm=\"").append(c.realm())
                .append("\",nonce=\"").append(c.nonce())
                .append("\",uri=\"").append(uri)
                .append("\",response=\"").append(response)
                .append("\",algorithm=MD5");
        if (c.opaque() != null) {
            b.append(",opaque=\"").append(c.opaque()).append('"');
        }
        if (qopAuth) {
            b.append(",qop=auth,nc=").append(nc).append(",cnonce=\"").append(cnonce).append('"');
        }
        return b.toString();
    }

    /** The request-digest of RFC 2617 3.2.2.1; without qop when {@code qop} is null (RFC 2069 form). */
    static String response(String username, String realm, String password, String method, String uri,
                           String nonce, String nc, String cnonce, String qop) {
        String ha1 = md5(username + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        return qop == null ? md5(ha1 + ":" + nonce + ":" + ha2)
                : md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private static boolean offersAuth(String qop) {
        for (String option : qop.split(",")) {
            if (option.strip().equalsIgnoreCase("auth")) {
                return true;
            }
        }
        return false;
    }

    private static String md5(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is mandatory in every JDK", e);
        }
    }
}
