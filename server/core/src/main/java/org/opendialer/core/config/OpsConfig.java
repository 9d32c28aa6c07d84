package org.opendialer.core.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operations settings (metrics, webhooks, log format), read from the environment like
 * {@link GatewayConfig}; kept apart so that the two grow independently.
 *
 * @param metricsPort 0 when metrics are off
 * @param webhook     present when DIALER_WEBHOOK_URL is set
 */
public record OpsConfig(int metricsPort, Optional<Webhook> webhook, boolean jsonLogs) {
    /** No metrics port, no webhooks, text logs: for tests and tools that embed the gateway. */
    public static final OpsConfig OFF = new OpsConfig(0, Optional.empty(), false);

    private static final int MIN_SECRET_BYTES = 24;
    private static final int MAX_SECRET_BYTES = 64;
    private static final long MAX_RETRY_HOURS = 24 * 30;

    /** @param secret the key bytes (the base64 after whsec_) */
    public record Webhook(URI url, byte[] secret, Duration retryFor) {}

    public static OpsConfig from(Map<String, String> env) {
        int metricsPort = port(env, ConfigKey.METRICS_PORT);
        Optional<String> url = value(env, ConfigKey.WEBHOOK_URL);
        Optional<String> secret = value(env, ConfigKey.WEBHOOK_SECRET);
        if (url.isPresent() != secret.isPresent()) {
            ConfigKey missing = url.isPresent() ? ConfigKey.WEBHOOK_SECRET : ConfigKey.WEBHOOK_URL;
            throw new ConfigException(missing, "must be set together with "
                    + (missing == ConfigKey.WEBHOOK_URL ? ConfigKey.WEBHOOK_SECRET : ConfigKey.WEBHOOK_URL).envName());
        }
        Optional<Webhook> webhook = url.map(u -> new Webhook(webhookUrl(u), secret(secret.get()),
                Duration.ofHours(retryHours(env))));
        String format = value(env, ConfigKey.LOG_FORMAT).orElse("text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException(ConfigKey.LOG_FORMAT, "'" + format + "' is not text or json");
        }
        return new OpsConfig(metricsPort, webhook, format.equals("json"));
    }

    private static Optional<String> value(Map<String, String> env, ConfigKey key) {
        String v = env.get(key.envName());
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private static int port(Map<String, String> env, ConfigKey key) {
        String v = value(env, key).orElse(key.defaultDescription());
        try {
            int port = Integer.parseInt(v);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "'" + v + "' is not a port number (0-65535)");
    }

    private static long retryHours(Map<String, String> env) {
        String v = value(env, ConfigKey.WEBHOOK_RETRY_HOURS).orElse(ConfigKey.WEBHOOK_RETRY_HOURS.defaultDescription());
        try {
            long hours = Long.parseLong(v);
            if (hours >= 1 && hours <= MAX_RETRY_HOURS) {
                return hours;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(ConfigKey.WEBHOOK_RETRY_HOURS, "'" + v + "' is not a whole number of hours from 1 to "
                + MAX_RETRY_HOURS);
    }

    /** https anywhere; plain http only to a loopback address, where nothing crosses a network. */
    private static URI webhookUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(ConfigKey.WEBHOOK_URL, "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ConfigException(ConfigKey.WEBHOOK_URL, "must be an absolute https URL, got '" + text + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new ConfigException(ConfigKey.WEBHOOK_URL, "must not carry a user name or password");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new ConfigException(ConfigKey.WEBHOOK_URL, "must use https (plain http is allowed only to a"
                    + " loopback address such as 127.0.0.1), got '" + text + "'");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name is never resolved here: DNS could say anything
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] secret(String text) {
        if (!text.startsWith("whsec_")) {
            throw new ConfigException(ConfigKey.WEBHOOK_SECRET, "must start with whsec_ (Standard Webhooks format)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring("whsec_".length()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.WEBHOOK_SECRET, "the part after whsec_ is not base64");
        }
        if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
            throw new ConfigException(ConfigKey.WEBHOOK_SECRET, "must hold " + MIN_SECRET_BYTES + " to "
                    + MAX_SECRET_BYTES + " bytes after whsec_, got " + key.length);
        }
        return key;
    }
}
