package org.opendialer.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * This gateway node's own settings: its name (in /healthz, the logs, a cluster's node list) and how long a
 * SIGTERM waits for live calls to end before it ends them (docs/operations.md, draining).
 */
public record NodeConfig(String name, Duration drainTimeout) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final long MAX_DRAIN_S = 24 * 3600;

    public static NodeConfig from(Map<String, String> env) {
        String name = value(env, ConfigKey.NODE_NAME);
        if (name == null) {
            name = hostName();
        } else if (!NAME.matcher(name).matches()) {
            throw new ConfigException(ConfigKey.NODE_NAME, "'" + name + "' is not 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        String drain = value(env, ConfigKey.DRAIN_TIMEOUT_S);
        long seconds;
        try {
            seconds = Long.parseLong(drain == null ? ConfigKey.DRAIN_TIMEOUT_S.defaultDescription() : drain);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 0 || seconds > MAX_DRAIN_S) {
            throw new ConfigException(ConfigKey.DRAIN_TIMEOUT_S, "'" + drain + "' is not a whole number of seconds from 0 to "
                    + MAX_DRAIN_S);
        }
        return new NodeConfig(name, Duration.ofSeconds(seconds));
    }

    /** This host's name, or "localhost" when it has none that resolves. */
    public static String hostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return NAME.matcher(host).matches() ? host : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String value(Map<String, String> env, ConfigKey key) {
        String v = env.get(key.envName());
        return v == null || v.isBlank() ? null : v.strip();
    }
}
