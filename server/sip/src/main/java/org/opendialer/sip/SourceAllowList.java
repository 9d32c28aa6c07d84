package org.opendialer.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDR blocks (IPv4 and IPv6) allowed to send INVITEs, e.g. {@code 192.0.2.7, 10.0.0.0/8}.
 * Literal addresses only: a host name here would mean a DNS lookup per INVITE on the stack thread.
 */
public final class SourceAllowList {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    public static final SourceAllowList NONE = new SourceAllowList(List.of(), "");

    private final List<Block> blocks;
    private final String text;

    private SourceAllowList(List<Block> blocks, String text) {
        this.blocks = blocks;
        this.text = text;
    }

    /**
     * Parses a comma-separated list; blank means none.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR block
     */
    public static SourceAllowList parse(String csv) {
        if (csv == null || csv.isBlank()) {
            return NONE;
        }
        List<Block> blocks = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            if (!LITERAL.matcher(host).matches() || (!host.contains(":") && !isIpv4(host))) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress(); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                String bits = entry.substring(slash + 1);
                if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > network.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a bad prefix length (0-"
                            + network.length * 8 + ")");
                }
                prefix = Integer.parseInt(bits);
            }
            blocks.add(new Block(network, prefix));
            entries.add(entry);
        }
        return new SourceAllowList(List.copyOf(blocks), String.join(",", entries));
    }

    /** Dotted quad with octets 0-255: checked here so that getByName never takes it for a host name. */
    private static boolean isIpv4(String host) {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String octet : host.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    public boolean allows(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
