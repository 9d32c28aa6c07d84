package org.opendialer.core.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The destination policy's settings (docs/security.md, "SIP, media and toll fraud"):
 * DIALER_ALLOWED_COUNTRIES (empty = every country), DIALER_BLOCKED_PREFIXES (E.164 prefixes),
 * DIALER_CALLS_PER_MINUTE and DIALER_CALLS_PER_DAY per user (0 = no limit).
 */
public record DestinationSettings(Set<String> allowedCountries, List<String> blockedPrefixes, int callsPerMinute,
                                  int callsPerDay) {
    public static final int DEFAULT_CALLS_PER_MINUTE = 10;
    public static final int DEFAULT_CALLS_PER_DAY = 300;
    public static final DestinationSettings DEFAULTS =
            new DestinationSettings(Set.of(), List.of(), DEFAULT_CALLS_PER_MINUTE, DEFAULT_CALLS_PER_DAY);

    public DestinationSettings {
        allowedCountries = Set.copyOf(allowedCountries);
        blockedPrefixes = List.copyOf(blockedPrefixes);
    }

    public static DestinationSettings from(Map<String, String> env) {
        Set<String> countries = new TreeSet<>();
        for (String c : items(env, ConfigKey.ALLOWED_COUNTRIES)) {
            String region = c.toUpperCase(Locale.ROOT);
            if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
                throw new ConfigException(ConfigKey.ALLOWED_COUNTRIES,
                        "'" + c + "' is not a supported ISO 3166 region code (e.g. US, GB, DE)");
            }
            countries.add(region);
        }
        List<String> prefixes = new ArrayList<>();
        for (String p : items(env, ConfigKey.BLOCKED_PREFIXES)) {
            if (!p.matches("\\+[1-9][0-9]{0,14}")) {
                throw new ConfigException(ConfigKey.BLOCKED_PREFIXES,
                        "'" + p + "' is not an E.164 prefix: + then 1 to 15 digits, e.g. +4470");
            }
            prefixes.add(p);
        }
        return new DestinationSettings(countries, prefixes,
                limit(env, ConfigKey.CALLS_PER_MINUTE, DEFAULT_CALLS_PER_MINUTE),
                limit(env, ConfigKey.CALLS_PER_DAY, DEFAULT_CALLS_PER_DAY));
    }

    private static List<String> items(Map<String, String> env, ConfigKey key) {
        String raw = env.get(key.envName());
        List<String> out = new ArrayList<>();
        if (raw != null) {
            for (String item : raw.split(",")) {
                if (!item.isBlank()) {
                    out.add(item.strip());
                }
            }
        }
        return out;
    }

    private static int limit(Map<String, String> env, ConfigKey key, int fallback) {
        String raw = env.get(key.envName());
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= 0 && value <= 1_000_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "must be a whole number from 0 (no limit) to 1000000, not '" + raw + "'");
    }
}
