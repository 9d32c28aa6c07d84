package org.opendialer.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.opendialer.sip.SrtpMode;
import org.opendialer.sip.TrunkOptions;

/** Reads what a production trunk needs beyond the basics (docs/sip-trunks.md) into the SIP agent's {@link TrunkOptions}. */
public final class TrunkSettings {
    private TrunkSettings() {}

    public static TrunkOptions from(Map<String, String> env) {
        int minSe = seconds(env, ConfigKey.SIP_MIN_SE_S, 90, 90);
        int expires = seconds(env, ConfigKey.SIP_SESSION_EXPIRES_S, 1800, 0);
        if (expires != 0 && expires < minSe) {
            throw new ConfigException(ConfigKey.SIP_SESSION_EXPIRES_S, expires + " is below DIALER_SIP_MIN_SE_S "
                    + minSe + " (0 turns our session timer off)");
        }
        String register = value(env, ConfigKey.SIP_REGISTER).orElse("off").toLowerCase(Locale.ROOT);
        if (!register.equals("on") && !register.equals("off")) {
            throw new ConfigException(ConfigKey.SIP_REGISTER, "'" + register + "' is neither on nor off");
        }
        if (register.equals("on") && (value(env, ConfigKey.SIP_USERNAME).isEmpty()
                || value(env, ConfigKey.SIP_TRUNK).isEmpty())) {
            throw new ConfigException(ConfigKey.SIP_REGISTER,
                    "on needs DIALER_SIP_TRUNK, DIALER_SIP_USERNAME and DIALER_SIP_PASSWORD");
        }
        TrunkOptions options = new TrunkOptions(Duration.ofSeconds(expires), Duration.ofSeconds(minSe),
                register.equals("on"), tlsPort(env), caFile(env), srtp(env));
        return withServerCertificate(options, env);
    }

    /**
     * DIALER_SIP_TLS_CERT and DIALER_SIP_TLS_KEY, read now so that a missing or unusable file stops the start.
     * No fall-back to DIALER_TLS_CERT/KEY (decision 0023): the HTTPS certificate names the web host.
     */
    private static TrunkOptions withServerCertificate(TrunkOptions options, Map<String, String> env) {
        java.util.Optional<String> cert = value(env, ConfigKey.SIP_TLS_CERT);
        java.util.Optional<String> key = value(env, ConfigKey.SIP_TLS_KEY);
        if (cert.isPresent() != key.isPresent()) {
            ConfigKey missing = cert.isPresent() ? ConfigKey.SIP_TLS_KEY : ConfigKey.SIP_TLS_CERT;
            throw new ConfigException(missing, "must be set together with "
                    + (cert.isPresent() ? ConfigKey.SIP_TLS_CERT : ConfigKey.SIP_TLS_KEY).envName());
        }
        int max = TrunkOptions.DEFAULT_TLS_MAX_CONNECTIONS;
        java.util.Optional<String> m = value(env, ConfigKey.SIP_TLS_MAX_CONNECTIONS);
        if (m.isPresent()) {
            try {
                max = Integer.parseInt(m.get());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > 10000) {
                throw new ConfigException(ConfigKey.SIP_TLS_MAX_CONNECTIONS, "'" + m.get() + "' is not a number from 1 to 10000");
            }
        }
        if (cert.isEmpty()) {
            return options.withServerCertificate(null, null, max);
        }
        try {
            org.opendialer.sip.PemKeyStore.load(java.nio.file.Path.of(cert.get()), java.nio.file.Path.of(key.get()),
                    new char[0]);
        } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new ConfigException(ConfigKey.SIP_TLS_CERT, "cannot use '" + cert.get() + "' with the key '"
                    + key.get() + "': " + e);
        }
        return options.withServerCertificate(cert.get(), key.get(), max);
    }

    private static int tlsPort(Map<String, String> env) {
        java.util.Optional<String> v = value(env, ConfigKey.SIP_TLS_PORT);
        if (v.isEmpty()) {
            return TrunkOptions.DEFAULT_TLS_PORT;
        }
        try {
            int port = Integer.parseInt(v.get());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(ConfigKey.SIP_TLS_PORT, "'" + v.get() + "' is not a port (1-65535)");
    }

    /** A readable PEM file with at least one certificate, checked now rather than at the first call. */
    private static String caFile(Map<String, String> env) {
        java.util.Optional<String> v = value(env, ConfigKey.SIP_TLS_CA_FILE);
        if (v.isEmpty()) {
            return null;
        }
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(v.get()))) {
            if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new ConfigException(ConfigKey.SIP_TLS_CA_FILE, "'" + v.get() + "' holds no PEM certificate");
            }
        } catch (java.io.IOException | java.security.cert.CertificateException | RuntimeException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(ConfigKey.SIP_TLS_CA_FILE, "cannot read certificates from '" + v.get() + "': " + e);
        }
        return v.get();
    }

    private static SrtpMode srtp(Map<String, String> env) {
        String v = value(env, ConfigKey.SIP_SRTP).orElse("off");
        try {
            return SrtpMode.parse(v);
        } catch (RuntimeException e) {
            throw new ConfigException(ConfigKey.SIP_SRTP, "'" + v + "' is not off, optional or required");
        }
    }

    private static java.util.Optional<String> value(Map<String, String> env, ConfigKey key) {
        String v = env.get(key.envName());
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(v.strip());
    }

    /** RFC 4028 4: Min-SE is never below 90 s on the wire; 86400 s is a day, ample for any carrier. */
    private static int seconds(Map<String, String> env, ConfigKey key, int dflt, int min) {
        java.util.Optional<String> v = value(env, key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int s = Integer.parseInt(v.get());
            if (s >= min && s <= 86400) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "'" + v.get() + "' is not a number of seconds between " + min + " and 86400");
    }
}
