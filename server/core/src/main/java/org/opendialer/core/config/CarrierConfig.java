package org.opendialer.core.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendialer.sip.TrunkDns;

/**
 * How the gateway behaves toward carriers and PBXs beyond the trunk's address (docs/configuration.md).
 *
 * @param absentUserGrace how long an inbound call for a user without a connected dialer rings before it gets
 *                        480 (a reloading page reconnects within it)
 * @param maxRedirects    how many 3xx answers to one outbound INVITE are followed; 0 follows none
 * @param callerId        empty: each user presents their own number (none: withheld); "anonymous": every call is
 *                        withheld; a number: every trunk call presents it (a company's main number)
 * @param dns             how the trunk's host name is located (RFC 3263) and when one of its servers is given up
 */
public record CarrierConfig(Duration absentUserGrace, int maxRedirects, Optional<String> callerId, TrunkDns dns) {
    public static final String ANONYMOUS = "anonymous";
    public static final CarrierConfig DEFAULTS = new CarrierConfig(Duration.ofMillis(2000), 3, Optional.empty());

    public CarrierConfig {
        dns = dns == null ? TrunkDns.SYSTEM : dns;
    }

    public CarrierConfig(Duration absentUserGrace, int maxRedirects, Optional<String> callerId) {
        this(absentUserGrace, maxRedirects, callerId, null);
    }

    /** Reads the keys through {@code value} (the key's value, empty when unset); a bad value is a ConfigException. */
    static CarrierConfig parse(Function<ConfigKey, Optional<String>> value) {
        long graceMs = whole(value, ConfigKey.ABSENT_USER_GRACE_MS, 2000, 0, 10_000);
        int redirects = (int) whole(value, ConfigKey.SIP_MAX_REDIRECTS, 3, 0, 10);
        Optional<String> callerId = value.apply(ConfigKey.SIP_CALLER_ID);
        if (callerId.isPresent() && !callerId.get().equals(ANONYMOUS) && !callerId.get().matches("\\+[1-9][0-9]{6,14}")) {
            throw new ConfigException(ConfigKey.SIP_CALLER_ID, "'" + callerId.get()
                    + "' is neither an E.164 number like +12015550100 nor 'anonymous'");
        }
        long failoverMs = whole(value, ConfigKey.SIP_FAILOVER_MS, 3000, 100, 32_000);
        return new CarrierConfig(Duration.ofMillis(graceMs), redirects, callerId,
                new TrunkDns(dnsServer(value.apply(ConfigKey.SIP_DNS_SERVER)), null, Duration.ofMillis(failoverMs)));
    }

    /** An IPv4 or IPv6 address literal with an optional port (53): no name, which would need DNS itself. */
    private static InetSocketAddress dnsServer(Optional<String> value) {
        if (value.isEmpty()) {
            return null;
        }
        Matcher m = DNS_SERVER.matcher(value.get());
        if (m.matches()) {
            String host = m.group(1) != null ? m.group(1) : m.group(3);
            String port = m.group(1) != null ? m.group(2) : m.group(4);
            try {
                int p = port == null ? 53 : Integer.parseInt(port);
                if (p >= 1 && p <= 65535) {
                    return new InetSocketAddress(InetAddress.getByName(host), p);
                }
            } catch (NumberFormatException | java.net.UnknownHostException e) {
                // reported below
            }
        }
        throw new ConfigException(ConfigKey.SIP_DNS_SERVER, "'" + value.get()
                + "' is not an IP address with an optional port, like 192.0.2.53 or 192.0.2.53:5353 or [2001:db8::53]:53");
    }

    private static final Pattern DNS_SERVER =
            Pattern.compile("\\[([0-9a-fA-F:.]+)](?::(\\d{1,5}))?|([0-9.]+|[0-9a-fA-F]*:[0-9a-fA-F:.]*)(?::(\\d{1,5}))?");

    /**
     * The number a trunk call of a user whose own number is {@code userNumber} (may be null) presents in From and
     * P-Asserted-Identity, or null to withhold it (anonymous From, Privacy: id).
     */
    public String presentedNumber(String userNumber) {
        if (callerId.isEmpty()) {
            return userNumber;
        }
        return callerId.get().equals(ANONYMOUS) ? null : callerId.get();
    }

    private static long whole(Function<ConfigKey, Optional<String>> value, ConfigKey key, long dflt, long min,
                              long max) {
        Optional<String> v = value.apply(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "'" + v.get() + "' is not a whole number from " + min + " to " + max);
    }
}
