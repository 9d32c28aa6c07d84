package org.opendialer.core.accounts;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendialer.core.accounts.AccountException.Reason;

/**
 * A user's own SIP account on an existing PBX (PBX mode): the gateway registers it while the user has a
 * dialer connected and places and receives the user's calls through it. Validated on construction
 * (INVALID_INPUT with a message naming the field). {@link #toString()} never shows the password.
 *
 * @param registrar    {@code sip:host[:port][;transport=udp|tcp]}, e.g. {@code sip:pbx.example.com;transport=tcp}
 * @param username     the account's SIP user name (the user part of its address of record)
 * @param authUsername the digest user name when the PBX wants a different one; null means {@code username}
 * @param password     the digest password, stored as given (digest needs it) and never shown
 */
public record SipAccount(String registrar, String username, String authUsername, String password) {

    private static final Pattern REGISTRAR = Pattern.compile(
            "(?i)sip:(\\[[0-9a-f:.]+\\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:(\\d{1,5}))?(;transport=(udp|tcp))?");
    /** RFC 3261 25.1 unreserved and user-unreserved characters, minus the ones that need escaping in headers. */
    private static final Pattern SIP_USER = Pattern.compile("[A-Za-z0-9._~+!$&'*=-]{1,64}");

    public SipAccount {
        registrar = registrar(registrar);
        username = user("sip_account.username", username);
        authUsername = authUsername == null || authUsername.isEmpty() ? null
                : user("sip_account.auth_username", authUsername);
        password = password(password);
    }

    /** The digest user name: {@link #authUsername()} when set, else {@link #username()}. */
    public String digestUsername() {
        return authUsername != null ? authUsername : username;
    }

    @Override
    public String toString() {
        return "SipAccount[registrar=" + registrar + ", username=" + username
                + (authUsername == null ? "" : ", authUsername=" + authUsername) + ", password=(hidden)]";
    }

    private static String registrar(String value) {
        String v = value == null ? "" : value.strip();
        Matcher m = REGISTRAR.matcher(v);
        if (v.length() > 255 || !m.matches()) {
            throw invalid("sip_account.registrar must be a SIP URI like sip:pbx.example.com[:port][;transport=udp|tcp]"
                    + " (no user part)");
        }
        if (m.group(4) != null) {
            int port = Integer.parseInt(m.group(4));
            if (port < 1 || port > 65535) {
                throw invalid("sip_account.registrar has a port out of range (1-65535)");
            }
        }
        // Canonical form: lower-case scheme, host and transport.
        return v.toLowerCase(Locale.ROOT);
    }

    private static String user(String field, String value) {
        if (value == null || !SIP_USER.matcher(value).matches()) {
            throw invalid(field + " must be 1-64 characters of A-Z a-z 0-9 . _ ~ + ! $ & ' * = -");
        }
        return value;
    }

    private static String password(String value) {
        if (value == null || value.isEmpty()) {
            throw invalid("sip_account.password is required");
        }
        int length = value.codePointCount(0, value.length());
        if (length > 128) {
            throw invalid("sip_account.password must be 1-128 characters");
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("sip_account.password must not contain control characters");
        }
        return value;
    }

    private static AccountException invalid(String message) {
        return new AccountException(Reason.INVALID_INPUT, message);
    }
}
