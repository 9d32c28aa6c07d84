package org.opendialer.sip;

import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/**
 * Who calls whom, as the gateway shows it: a number is an E.164 number ("+14155550100") or another run of
 * digits (an extension, or a national number the trunk sent without "+"); anything else is null.
 *
 * @param from        the caller's number: the P-Asserted-Identity one, else From's; null when hidden (anonymous
 *                    From, or Privacy: id/user/header) or not a number
 * @param displayName the P-Asserted-Identity display name, else the From one, else null; null when hidden
 * @param to          the called number or extension, from the Request-URI (else To), or null
 */
public record CallerIdentity(String from, String displayName, String to) {
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{1,15}");
    private static final Pattern VISUAL_SEPARATORS = Pattern.compile("[-.() ]");

    static CallerIdentity of(Request request) {
        FromHeader fromHeader = (FromHeader) request.getHeader(FromHeader.NAME);
        Address pai = assertedIdentity(request);
        String to = numberOf(request.getRequestURI());
        if (to == null) {
            ToHeader toHeader = (ToHeader) request.getHeader(ToHeader.NAME);
            to = toHeader == null ? null : numberOf(toHeader.getAddress().getURI());
        }
        Address fromAddress = fromHeader == null ? null : fromHeader.getAddress();
        if (isHidden(request, pai == null ? fromAddress : null)) {
            return new CallerIdentity(null, null, to);
        }
        // RFC 3325 9.1: P-Asserted-Identity is what the trusted trunk vouches for; From is whatever the caller
        // wrote. The asserted number and name win; From fills what the assertion leaves out.
        String number = pai == null ? null : numberOf(pai.getURI());
        if (number == null && fromAddress != null) {
            number = numberOf(fromAddress.getURI());
        }
        String name = displayName(pai);
        if (name == null) {
            name = displayName(fromAddress);
        }
        return new CallerIdentity(number, name, to);
    }

    /** The user part of a sip: URI or the number of a tel: URI, if it is a number; else null. */
    static String numberOf(URI uri) {
        String user = null;
        if (uri instanceof SipURI sip) {
            user = sip.getUser();
        } else if (uri instanceof TelURL tel) {
            user = (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
        }
        if (user == null) {
            return null;
        }
        int params = user.indexOf(';');
        if (params >= 0) {
            user = user.substring(0, params); // user-part parameters, e.g. ;npdi, RFC 3261 19.1.6
        }
        user = VISUAL_SEPARATORS.matcher(user).replaceAll("");
        return NUMBER.matcher(user).matches() ? user : null;
    }

    /** Privacy: id/user/header hides everything; an anonymous {@code from} (null when asserted) hides it too. */
    private static boolean isHidden(Request request, Address from) {
        Iterator<?> privacy = request.getHeaders("Privacy");
        while (privacy.hasNext()) {
            String value = headerValue((Header) privacy.next()).toLowerCase(Locale.ROOT);
            for (String token : value.split("[;,]")) {
                String t = token.strip();
                if (t.equals("id") || t.equals("user") || t.equals("header")) {
                    return true;
                }
            }
        }
        if (from != null && from.getURI() instanceof SipURI sip) {
            String user = sip.getUser();
            String host = sip.getHost();
            return (user != null && user.equalsIgnoreCase("anonymous"))
                    || (host != null && host.toLowerCase(Locale.ROOT).endsWith("anonymous.invalid"));
        }
        return false;
    }

    /** The first P-Asserted-Identity that carries a number (a trunk may send a sip: and a tel: one), else the first. */
    private static Address assertedIdentity(Request request) {
        Address first = null;
        Iterator<?> values = request.getHeaders("P-Asserted-Identity");
        while (values.hasNext()) {
            if (values.next() instanceof HeaderAddress ha && ha.getAddress() != null) {
                if (numberOf(ha.getAddress().getURI()) != null) {
                    return ha.getAddress();
                }
                first = first == null ? ha.getAddress() : first;
            }
        }
        return first;
    }

    private static String displayName(Address address) {
        if (address == null || address.getDisplayName() == null) {
            return null;
        }
        String name = address.getDisplayName().strip();
        return name.isEmpty() || name.equalsIgnoreCase("anonymous") ? null : name;
    }

    private static String headerValue(Header h) {
        String text = h.toString();
        int colon = text.indexOf(':');
        return colon < 0 ? text.strip() : text.substring(colon + 1).strip();
    }
}
