package org.opendialer.core.config;

import java.util.Locale;
import java.util.Map;

/**
 * Call features an operator turns on or off: call waiting ({@link ConfigKey#CALL_WAITING}).
 *
 * @param callWaiting whether a call to a user already on an answered call rings as a second call
 */
public record CallFeatures(boolean callWaiting) {
    public static final CallFeatures DEFAULTS = new CallFeatures(true);

    public static CallFeatures from(Map<String, String> env) {
        return new CallFeatures(onOff(env, ConfigKey.CALL_WAITING, true));
    }

    private static boolean onOff(Map<String, String> env, ConfigKey key, boolean dflt) {
        String value = env.get(key.envName());
        if (value == null || value.isBlank()) {
            return dflt;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new ConfigException(key, "'" + value.trim() + "' is neither on nor off");
        };
    }
}
