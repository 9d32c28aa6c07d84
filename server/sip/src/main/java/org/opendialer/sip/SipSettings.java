package org.opendialer.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the SIP user agent needs to know. The gateway builds it from its configuration
 * (org.opendialer.core.config.ConfigKey is the one place for the DIALER_SIP_* keys, their defaults and
 * meaning). Blank or null values take defaults: listen address 0.0.0.0; public address the listen address,
 * or this host's address when listening on all interfaces; ring timeout 60 s; T1 500 ms.
 *
 * @param t1 the SIP round-trip estimate (RFC 3261 17.1.1.1, 500 ms); Timer B, the INVITE transaction
 *           timeout, is 64 times it. Tests shorten it.
 * @param allowedSources addresses besides the trunk and the registrars that may send INVITEs
 *                       (DIALER_SIP_ALLOWED_SOURCES); null means none
 * @param trunkOptions   session timers, trunk registration ({@link TrunkOptions}); null means the defaults
 */
public record SipSettings(String listenAddress, int port, String publicAddress, Trunk trunk, String username,
                          String password, Duration ringTimeout, Duration t1, SourceAllowList allowedSources,
                          TrunkOptions trunkOptions) {

    /**
     * The trunk's address: {@code sip:host[:port][;transport=udp|tcp|tls]} or {@code sips:host[:port]} (TLS).
     * Over TLS the port defaults to 5061 and {@code sips} says whether the Request-URI is a sips: URI.
     *
     * @param lookup how the host is located (RFC 3263 4): an address literal is used as it is; a name with a port
     *               is looked up for A/AAAA; a name with a transport but no port for SRV; a bare name for NAPTR,
     *               then SRV, then A/AAAA ({@link TrunkLocator})
     */
    public record Trunk(String host, int port, String transport, boolean sips, Lookup lookup) {
        private static final Pattern URI = Pattern.compile(
                "(?i)(sips?):(?:[^@;]*@)?(\\[[0-9a-f:.]+\\]|[^:;\\[\\]]+)(?::(\\d{1,5}))?(.*)");
        private static final Pattern TRANSPORT = Pattern.compile("(?i);transport=([a-z]+)");
        private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");

        /** RFC 3263 4.1/4.2: which DNS records name the trunk's servers. */
        public enum Lookup { NONE, ADDRESS, SRV, NAPTR }

        public Trunk {
            transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
            if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
                throw settings("unsupported trunk transport " + transport + " (udp, tcp or tls)");
            }
            if (sips && !transport.equals("tls")) {
                // RFC 3261 26.2: a sips: URI is reached over TLS only, never silently downgraded.
                throw settings("a sips: trunk is reached over TLS only, not " + transport);
            }
            if (lookup == null || ADDRESS_LITERAL.matcher(host).matches()) {
                lookup = ADDRESS_LITERAL.matcher(host).matches() ? Lookup.NONE : Lookup.ADDRESS;
            }
        }

        /** A trunk at a fixed host and port (an address literal, or a name looked up for A/AAAA). */
        public Trunk(String host, int port, String transport, boolean sips) {
            this(host, port, transport, sips, null);
        }

        /** Whether the host is an address literal (no DNS). */
        public boolean isAddressLiteral() {
            return lookup == Lookup.NONE;
        }

        public Trunk(String host, int port, String transport) {
            this(host, port, transport, false);
        }

        public static Trunk parse(String uri) {
            Matcher m = URI.matcher(uri.strip());
            if (!m.matches()) {
                throw settings("not a SIP URI: " + uri);
            }
            boolean sips = m.group(1).equalsIgnoreCase("sips");
            Matcher t = TRANSPORT.matcher(m.group(4));
            boolean transportGiven = t.find();
            String transport = transportGiven ? t.group(1) : sips ? "tls" : "udp";
            int port = m.group(3) != null ? Integer.parseInt(m.group(3))
                    : transport.equalsIgnoreCase("tls") ? 5061 : 5060;
            Lookup lookup = m.group(3) != null ? Lookup.ADDRESS : transportGiven ? Lookup.SRV : Lookup.NAPTR;
            return new Trunk(m.group(2), port, transport, sips, lookup);
        }

        public boolean isTls() {
            return transport.equals("tls");
        }

        @Override
        public String toString() {
            return (sips ? "sips:" : "sip:") + host + (lookup == Lookup.SRV || lookup == Lookup.NAPTR ? "" : ":" + port)
                    + (lookup == Lookup.NAPTR ? "" : ";transport=" + transport);
        }
    }

    public SipSettings {
        if (port < 1 || port > 65535) {
            throw settings("SIP port out of range: " + port);
        }
        if (listenAddress == null || listenAddress.isBlank()) {
            listenAddress = "0.0.0.0";
        }
        if (publicAddress == null || publicAddress.isBlank()) {
            publicAddress = isWildcard(listenAddress) ? localHostAddress() : listenAddress;
        }
        if ((username == null) != (password == null)) {
            throw settings("DIALER_SIP_USERNAME and DIALER_SIP_PASSWORD go together");
        }
        ringTimeout = ringTimeout == null ? Duration.ofSeconds(60) : ringTimeout;
        t1 = t1 == null ? Duration.ofMillis(500) : t1;
        allowedSources = allowedSources == null ? SourceAllowList.NONE : allowedSources;
        trunkOptions = trunkOptions == null ? TrunkOptions.DEFAULT : trunkOptions;
    }

    /** Settings with the default {@link TrunkOptions}. */
    public SipSettings(String listenAddress, int port, String publicAddress, Trunk trunk, String username,
                       String password, Duration ringTimeout, Duration t1, SourceAllowList allowedSources) {
        this(listenAddress, port, publicAddress, trunk, username, password, ringTimeout, t1, allowedSources, null);
    }

    public SipSettings withTrunkOptions(TrunkOptions options) {
        return new SipSettings(listenAddress, port, publicAddress, trunk, username, password, ringTimeout, t1,
                allowedSources, options);
    }

    /** Settings without extra allowed INVITE sources. */
    public SipSettings(String listenAddress, int port, String publicAddress, Trunk trunk, String username,
                       String password, Duration ringTimeout, Duration t1) {
        this(listenAddress, port, publicAddress, trunk, username, password, ringTimeout, t1, null);
    }

    /** Settings for a local agent with the defaults above and no trunk credentials. */
    public static SipSettings of(String listenAddress, int port, String trunkUri) {
        return new SipSettings(listenAddress, port, null, trunkUri == null ? null : Trunk.parse(trunkUri), null,
                null, null, null);
    }

    public SipSettings withCredentials(String user, String pass) {
        return new SipSettings(listenAddress, port, publicAddress, trunk, user, pass, ringTimeout, t1, allowedSources, trunkOptions);
    }

    public SipSettings withRingTimeout(Duration timeout) {
        return new SipSettings(listenAddress, port, publicAddress, trunk, username, password, timeout, t1,
                allowedSources, trunkOptions);
    }

    public SipSettings withT1(Duration newT1) {
        return new SipSettings(listenAddress, port, publicAddress, trunk, username, password, ringTimeout, newT1,
                allowedSources, trunkOptions);
    }

    public SipSettings withTrunk(String trunkUri) {
        return new SipSettings(listenAddress, port, publicAddress, Trunk.parse(trunkUri), username, password,
                ringTimeout, t1, allowedSources, trunkOptions);
    }

    public SipSettings withAllowedSources(SourceAllowList list) {
        return new SipSettings(listenAddress, port, publicAddress, trunk, username, password, ringTimeout, t1, list,
                trunkOptions);
    }

    public boolean hasCredentials() {
        return username != null;
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
    }

    private static String localHostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static SipAgentException settings(String message) {
        return new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, message);
    }
}
