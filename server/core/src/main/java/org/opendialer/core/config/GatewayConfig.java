package org.opendialer.core.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated gateway configuration. Build it with {@link #from(Map)} (System.getenv() in
 * production); every problem is reported as a {@link ConfigException} naming the key.
 */
public record GatewayConfig(
        int httpPort,
        String bindAddress,
        URI publicUrl,
        int demoPort,
        List<String> allowedOrigins,
        String defaultRegion,
        Path dataDir,
        Path webDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Optional<String> adminKey,
        Duration sessionIdleTtl,
        Duration signInTokenTtl,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        String logLevel,
        SipConfig sip,
        boolean sandbox,
        NetworkConfig network,
        SecuritySettings security,
        CallFeatures calls,
        CarrierConfig carrier) {

    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");
    private static final int MIN_ADMIN_KEY_LENGTH = 16;

    public GatewayConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        carrier = carrier == null ? CarrierConfig.DEFAULTS : carrier;
    }

    public static GatewayConfig from(Map<String, String> env) {
        Reader r = new Reader(env);
        int httpPort = r.port(ConfigKey.HTTP_PORT, false);
        String bind = r.string(ConfigKey.BIND_ADDRESS).orElse("127.0.0.1");
        Optional<Path> tlsCert = r.existingFile(ConfigKey.TLS_CERT);
        Optional<Path> tlsKey = r.existingFile(ConfigKey.TLS_KEY);
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            ConfigKey missing = tlsCert.isPresent() ? ConfigKey.TLS_KEY : ConfigKey.TLS_CERT;
            throw new ConfigException(missing, "must be set together with "
                    + (missing == ConfigKey.TLS_KEY ? ConfigKey.TLS_CERT : ConfigKey.TLS_KEY).envName());
        }
        String scheme = tlsCert.isPresent() ? "https" : "http";
        URI publicUrl = r.string(ConfigKey.PUBLIC_URL)
                .map(v -> parseOriginUrl(ConfigKey.PUBLIC_URL, v))
                .orElse(URI.create(scheme + "://127.0.0.1:" + httpPort));
        int demoPort = r.port(ConfigKey.DEMO_PORT, true);
        List<String> allowedOrigins = r.string(ConfigKey.ALLOWED_ORIGINS)
                .map(GatewayConfig::parseOrigins)
                .orElseGet(() -> defaultOrigins(demoPort, publicUrl));
        String region = r.string(ConfigKey.DEFAULT_REGION).orElse("US").toUpperCase(Locale.ROOT);
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw new ConfigException(ConfigKey.DEFAULT_REGION,
                    "'" + region + "' is not a supported ISO 3166 region code (e.g. US, GB, DE)");
        }
        Path dataDir = r.path(ConfigKey.DATA_DIR).orElse(Path.of("./data"));
        Path webDir = r.path(ConfigKey.WEB_DIR).orElse(Path.of("./web"));
        String dbUrl = r.string(ConfigKey.DB_URL)
                .orElse("jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("dialer"));
        if (!dbUrl.startsWith("jdbc:")) {
            throw new ConfigException(ConfigKey.DB_URL, "must be a JDBC URL starting with jdbc:");
        }
        Optional<String> adminKey = r.string(ConfigKey.ADMIN_KEY);
        if (adminKey.isPresent() && adminKey.get().length() < MIN_ADMIN_KEY_LENGTH) {
            throw new ConfigException(ConfigKey.ADMIN_KEY,
                    "must be at least " + MIN_ADMIN_KEY_LENGTH + " characters");
        }
        String logLevel = r.string(ConfigKey.LOG_LEVEL).orElse("info").toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException(ConfigKey.LOG_LEVEL, "must be one of " + LOG_LEVELS);
        }
        return new GatewayConfig(httpPort, bind, publicUrl, demoPort, allowedOrigins, region,
                dataDir, webDir, dbUrl, r.string(ConfigKey.DB_USER).orElse(""),
                r.raw(ConfigKey.DB_PASSWORD).orElse(""), adminKey,
                r.seconds(ConfigKey.SESSION_IDLE_TTL_S, 43200),
                r.seconds(ConfigKey.SIGNIN_TOKEN_TTL_S, 300), tlsCert, tlsKey, logLevel, sip(r, sandbox(r)),
                sandbox(r), network(r), SecuritySettings.from(env), CallFeatures.from(env),
                CarrierConfig.parse(r::string));
    }

    private static NetworkConfig network(Reader r) {
        int webRtcPort = r.port(ConfigKey.WEBRTC_PORT, false);
        int tcpPort = r.string(ConfigKey.WEBRTC_TCP_PORT).isPresent() ? r.port(ConfigKey.WEBRTC_TCP_PORT, true) : webRtcPort;
        List<String> urls = new ArrayList<>();
        for (String part : r.string(ConfigKey.TURN_URLS).orElse("").split(",")) {
            String url = part.trim();
            if (url.isEmpty()) {
                continue;
            }
            if (!url.matches("turns?:[^\\s/?#@]+(\\?transport=(udp|tcp))?")) {
                throw new ConfigException(ConfigKey.TURN_URLS, "'" + url
                        + "' is not a TURN URL like turn:turn.example.com:3478?transport=udp or turns:turn.example.com:443");
            }
            urls.add(url);
        }
        Optional<String> secret = r.raw(ConfigKey.TURN_SECRET);
        if (urls.isEmpty() != secret.isEmpty()) {
            ConfigKey missing = urls.isEmpty() ? ConfigKey.TURN_URLS : ConfigKey.TURN_SECRET;
            throw new ConfigException(missing, "must be set together with "
                    + (missing == ConfigKey.TURN_URLS ? ConfigKey.TURN_SECRET : ConfigKey.TURN_URLS).envName());
        }
        Duration connect = r.seconds(ConfigKey.MEDIA_CONNECT_TIMEOUT_S, 10);
        if (connect.toSeconds() > 300) {
            throw new ConfigException(ConfigKey.MEDIA_CONNECT_TIMEOUT_S, "'" + connect.toSeconds()
                    + "' is over 300 seconds (a caller would hear silence that long)");
        }
        return new NetworkConfig(tcpPort, urls, secret, r.seconds(ConfigKey.TURN_TTL_S, 86400), connect);
    }

    /** Whether the sandbox carrier runs: no trunk, and DIALER_SANDBOX is not off. */
    private static boolean sandbox(Reader r) {
        String value = r.string(ConfigKey.SANDBOX).orElse("on").toLowerCase(Locale.ROOT);
        if (!value.equals("on") && !value.equals("off")) {
            throw new ConfigException(ConfigKey.SANDBOX, "'" + value + "' is neither on nor off");
        }
        return value.equals("on") && r.string(ConfigKey.SIP_TRUNK).isEmpty();
    }

    private static SipConfig sip(Reader r, boolean sandbox) {
        Optional<String> trunk = r.string(ConfigKey.SIP_TRUNK);
        if (trunk.isPresent()) {
            try {
                org.opendialer.sip.SipSettings.Trunk.parse(trunk.get());
            } catch (RuntimeException e) {
                throw new ConfigException(ConfigKey.SIP_TRUNK, "'" + trunk.get()
                        + "' is not a SIP URI like sip:host[:port][;transport=udp|tcp|tls] or sips:host[:port] ("
                        + e.getMessage() + ")");
            }
        }
        Optional<String> user = r.string(ConfigKey.SIP_USERNAME);
        Optional<String> password = r.raw(ConfigKey.SIP_PASSWORD);
        if (user.isPresent() != password.isPresent()) {
            ConfigKey missing = user.isPresent() ? ConfigKey.SIP_PASSWORD : ConfigKey.SIP_USERNAME;
            throw new ConfigException(missing, "must be set together with "
                    + (missing == ConfigKey.SIP_PASSWORD ? ConfigKey.SIP_USERNAME : ConfigKey.SIP_PASSWORD).envName());
        }
        String range = r.string(ConfigKey.RTP_PORTS).orElse("20000-20999");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{4,5})-(\\d{4,5})").matcher(range);
        int min = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        int max = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        // At least one even port: RTP runs on even ports (RFC 3550 11).
        if (min < 1024 || max > 65535 || min + (min & 1) > max) {
            throw new ConfigException(ConfigKey.RTP_PORTS, "'" + range
                    + "' is not a port range like 20000-20999 (1024-65535, with an even port)");
        }
        org.opendialer.sip.SourceAllowList allowed;
        try {
            allowed = org.opendialer.sip.SourceAllowList.parse(r.string(ConfigKey.SIP_ALLOWED_SOURCES).orElse(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.SIP_ALLOWED_SOURCES, e.getMessage()
                    + "; expected comma-separated IP addresses or CIDR blocks like 192.0.2.7,10.0.0.0/8");
        }
        Optional<String> publicAddress = r.string(ConfigKey.PUBLIC_ADDRESS);
        String webRtcAddress = r.string(ConfigKey.WEBRTC_ADDRESS)
                .or(() -> publicAddress.filter(GatewayConfig::isIpLiteral)).orElse("127.0.0.1");
        if (!isIpLiteral(webRtcAddress)) {
            throw new ConfigException(ConfigKey.WEBRTC_ADDRESS, "'" + webRtcAddress
                    + "' is not an IP address (browsers need one for the ICE candidate)");
        }
        int webRtcPort = r.port(ConfigKey.WEBRTC_PORT, false);
        if (webRtcPort >= min && webRtcPort <= max) {
            throw new ConfigException(ConfigKey.WEBRTC_PORT, webRtcPort + " lies inside DIALER_RTP_PORTS " + range);
        }
        // The sandbox is a local try-out: its SIP port stays on loopback unless asked otherwise.
        return new SipConfig(trunk, r.string(ConfigKey.SIP_LISTEN_ADDRESS).orElse(sandbox ? "127.0.0.1" : "0.0.0.0"),
                r.port(ConfigKey.SIP_PORT, false), user, password, publicAddress,
                r.seconds(ConfigKey.RING_TIMEOUT_S, 60), min, max, webRtcPort, webRtcAddress,
                r.seconds(ConfigKey.RTP_TIMEOUT_S, 30), allowed, TrunkSettings.from(r.env()));
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || s.contains(":");
    }

    /** The public URL's origin, e.g. {@code https://dialer.example.com} (default ports omitted). */
    public String publicOrigin() {
        return originOf(publicUrl);
    }

    /** The public URL as a string without a trailing slash. */
    public String publicUrlText() {
        String text = publicUrl.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    public boolean demoEnabled() {
        return demoPort != 0;
    }

    public boolean tlsEnabled() {
        return tlsCert.isPresent();
    }

    /** Serialises an origin the way browsers send it in the Origin header. */
    public static String originOf(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static List<String> defaultOrigins(int demoPort, URI publicUrl) {
        Set<String> origins = new LinkedHashSet<>();
        if (demoPort != 0) {
            origins.add("http://localhost:" + demoPort);
        }
        origins.add(originOf(publicUrl));
        return new ArrayList<>(origins);
    }

    private static List<String> parseOrigins(String value) {
        Set<String> origins = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = parseOriginUrl(ConfigKey.ALLOWED_ORIGINS, trimmed);
            origins.add(originOf(uri));
        }
        if (origins.isEmpty()) {
            throw new ConfigException(ConfigKey.ALLOWED_ORIGINS, "lists no origin");
        }
        return new ArrayList<>(origins);
    }

    private static URI parseOriginUrl(ConfigKey key, String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "'" + value + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigException(key, "'" + value + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(key, "'" + value + "' has no host");
        }
        boolean hasPath = uri.getRawPath() != null && !uri.getRawPath().isEmpty();
        if (hasPath || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new ConfigException(key, "'" + value + "' must be scheme://host[:port] only");
        }
        return uri;
    }

    /** Reads raw environment values; blank counts as unset. */
    private record Reader(Map<String, String> env) {
        Optional<String> raw(ConfigKey key) {
            String value = env.get(key.envName());
            return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        Optional<String> string(ConfigKey key) {
            return raw(key).map(String::trim).filter(v -> !v.isEmpty());
        }

        Optional<Path> path(ConfigKey key) {
            return string(key).map(Path::of);
        }

        Optional<Path> existingFile(ConfigKey key) {
            Optional<Path> path = path(key);
            if (path.isPresent() && !path.get().toFile().isFile()) {
                throw new ConfigException(key, "file '" + path.get() + "' does not exist");
            }
            return path;
        }

        int port(ConfigKey key, boolean zeroAllowed) {
            Optional<String> value = string(key);
            if (value.isEmpty()) {
                return Integer.parseInt(key.defaultDescription());
            }
            int min = zeroAllowed ? 0 : 1;
            int port;
            try {
                port = Integer.parseInt(value.get());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < min || port > 65535) {
                throw new ConfigException(key, "'" + value.get() + "' is not a port number ("
                        + min + "-65535)");
            }
            return port;
        }

        Duration seconds(ConfigKey key, long defaultSeconds) {
            Optional<String> value = string(key);
            if (value.isEmpty()) {
                return Duration.ofSeconds(defaultSeconds);
            }
            long seconds;
            try {
                seconds = Long.parseLong(value.get());
            } catch (NumberFormatException e) {
                seconds = 0;
            }
            if (seconds < 1 || seconds > 31_536_000) {
                throw new ConfigException(key, "'" + value.get()
                        + "' is not a number of seconds between 1 and 31536000");
            }
            return Duration.ofSeconds(seconds);
        }
    }
}
