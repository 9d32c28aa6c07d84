package org.opendialer.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Address;

/**
 * DIALER_TRUSTED_PROXIES: the reverse proxies (addresses and CIDR networks) whose X-Forwarded-For the gateway
 * believes. The client address of a request is its TCP peer, unless the peer is one of these: then it is the
 * right-most address of X-Forwarded-For that is not itself a trusted proxy (each proxy appends the address it
 * was connected from, so everything left of the first untrusted entry may be forged by the client).
 * Empty (the default) trusts no one: X-Forwarded-For is ignored.
 *
 * <p>Addresses are parsed as literals only (dnsjava's {@code Address.toByteArray}): a header value never
 * causes a DNS lookup. Decision record 0025.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");
    /** More X-Forwarded-For entries than any real proxy chain: the walk stops there. */
    static final int MAX_HOPS = 32;

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Network> networks;
    private final String text;

    private TrustedProxies(List<Network> networks, String text) {
        this.networks = List.copyOf(networks);
        this.text = text;
    }

    /** DIALER_TRUSTED_PROXIES of {@code env}: comma-separated addresses and CIDR networks (IPv4 and IPv6). */
    public static TrustedProxies from(java.util.Map<String, String> env) {
        String value = env.get(ConfigKey.TRUSTED_PROXIES.envName());
        try {
            return parse(value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.TRUSTED_PROXIES, e.getMessage());
        }
    }

    /** Parses "10.0.0.5, 192.168.1.0/24, 2001:db8::/32"; an entry that is not an address or CIDR fails. */
    public static TrustedProxies parse(String list) {
        List<Network> networks = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash)).orElseThrow(() ->
                    new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR network"
                            + " (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8); host names are not accepted"));
            int bits = address.length * 8;
            if (slash >= 0) {
                String b = entry.substring(slash + 1);
                int n = b.matches("\\d{1,3}") ? Integer.parseInt(b) : -1;
                if (n < 0 || n > bits) {
                    throw new IllegalArgumentException("'" + entry + "': the prefix length must be 0 to " + bits);
                }
                bits = n;
            }
            networks.add(new Network(address, bits));
            shown.add(entry);
        }
        return new TrustedProxies(networks, String.join(",", shown));
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** Whether {@code address} (a literal) lies in one of the trusted networks. */
    public boolean contains(String address) {
        return literal(address).map(this::contains).orElse(false);
    }

    private boolean contains(byte[] address) {
        for (Network n : networks) {
            if (n.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: {@code peer} (the TCP peer's address), or, when the peer is trusted, the right-most
     * X-Forwarded-For entry that is not trusted. {@code forwardedFor} holds every X-Forwarded-For header of the
     * request in order (each may list several addresses). An unparseable entry ends the walk at the address on
     * its right, which a trusted proxy vouched for: garbage from the client never becomes its address.
     */
    public String clientAddress(String peer, List<String> forwardedFor) {
        if (networks.isEmpty() || forwardedFor == null || forwardedFor.isEmpty() || !contains(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            if (header != null) {
                hops.addAll(Arrays.asList(header.split(",")));
            }
        }
        String client = peer;
        for (int i = hops.size() - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--, walked++) {
            Optional<byte[]> hop = literal(stripPort(hops.get(i).strip()));
            if (hop.isEmpty()) {
                return client;
            }
            client = canonical(hop.get());
            if (!contains(hop.get())) {
                return client;
            }
        }
        return client;
    }

    /** "[2001:db8::1]:443" → "2001:db8::1", "192.0.2.1:5060" → "192.0.2.1"; anything else as it is. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        return colon > 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
    }

    /** An IPv4 or IPv6 literal's bytes (IPv4-mapped IPv6 as IPv4); empty for anything else, without DNS. */
    static Optional<byte[]> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        byte[] bytes = text.indexOf(':') >= 0 ? Address.toByteArray(text, Address.IPv6) : Address.toByteArray(text, Address.IPv4);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes).getAddress()); // maps ::ffff:a.b.c.d to 4 bytes
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String canonical(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes from literal(): cannot happen
        }
    }

    @Override
    public String toString() {
        return "TrustedProxies[" + text + "]";
    }
}
