package org.opendialer.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * Cluster mode (DIALER_CLUSTER_SECRET): this gateway is one node of several behind a SIP edge and HAProxy,
 * sharing one PostgreSQL database (docs/deployment.md), named by DIALER_NODE_NAME ({@link NodeConfig}).
 * Read apart from {@link GatewayConfig} so the two grow independently.
 *
 * @param node   this node's name, or empty for a single gateway
 * @param secret the digest password of the node's REGISTERs at the edge (present with {@code node})
 */
public record ClusterConfig(Optional<String> node, Optional<String> secret) {
    public static final ClusterConfig OFF = new ClusterConfig(Optional.empty(), Optional.empty());
    private static final int MIN_SECRET_LENGTH = 16;

    /** @param nodeName DIALER_NODE_NAME, already checked by {@link NodeConfig} */
    public static ClusterConfig from(Map<String, String> env, String nodeName) {
        Optional<String> secret = value(env, ConfigKey.CLUSTER_SECRET);
        if (secret.isEmpty()) {
            return OFF;
        }
        if (secret.get().length() < MIN_SECRET_LENGTH) {
            throw new ConfigException(ConfigKey.CLUSTER_SECRET, "must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        String db = env.getOrDefault(ConfigKey.DB_URL.envName(), "");
        if (!db.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(ConfigKey.CLUSTER_SECRET,
                    "a cluster node needs the shared PostgreSQL database (DIALER_DB_URL=jdbc:postgresql://...)");
        }
        if (value(env, ConfigKey.SIP_TRUNK).isEmpty()) {
            throw new ConfigException(ConfigKey.CLUSTER_SECRET,
                    "a cluster node needs the SIP edge as its trunk (DIALER_SIP_TRUNK)");
        }
        return new ClusterConfig(Optional.of(nodeName), secret);
    }

    public boolean enabled() {
        return node.isPresent();
    }

    private static Optional<String> value(Map<String, String> env, ConfigKey key) {
        String v = env.get(key.envName());
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
