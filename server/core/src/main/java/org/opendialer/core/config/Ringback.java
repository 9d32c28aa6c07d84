package org.opendialer.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opendialer.media.tone.TonePattern;

/**
 * The ringback the gateway plays to a caller waiting in a blind transfer ({@link ConfigKey#RINGBACK}): the
 * country's tone the caller is used to. Figures from the ITU-T E.180 supplement's national tone lists, checked
 * against the national sources {@link TonePattern} names.
 */
public enum Ringback {
    US(TonePattern.RINGBACK_US),
    UK(TonePattern.RINGBACK_UK),
    EU(TonePattern.RINGBACK_EU),
    FR(TonePattern.RINGBACK_FR),
    JP(TonePattern.RINGBACK_JP),
    AU(TonePattern.RINGBACK_AU);

    private final List<TonePattern.Segment> pattern;

    Ringback(List<TonePattern.Segment> pattern) {
        this.pattern = pattern;
    }

    public List<TonePattern.Segment> pattern() {
        return pattern;
    }

    public static Ringback from(Map<String, String> env) {
        String value = env.get(ConfigKey.RINGBACK.envName());
        if (value == null || value.isBlank()) {
            return US;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.RINGBACK, "'" + value.trim() + "' is not one of us, uk, eu, fr, jp, au");
        }
    }
}
