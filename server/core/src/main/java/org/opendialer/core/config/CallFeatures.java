package org.opendialer.core.config;

import java.util.Locale;
import java.util.Map;

/**
 * Call features an operator turns on or off: call waiting ({@link ConfigKey#CALL_WAITING}), how transfers to
 * numbers go ({@link ConfigKey#TRANSFER}), the ringback a transferred caller hears ({@link ConfigKey#RINGBACK}).
 *
 * @param callWaiting whether a call to a user already on an answered call rings as a second call
 * @param transfer    bridge in the gateway, or SIP REFER
 * @param ringback    the country's ringback tone
 */
public record CallFeatures(boolean callWaiting, TransferMode transfer, Ringback ringback) {
    public static final CallFeatures DEFAULTS = new CallFeatures(true, TransferMode.BRIDGE, Ringback.US);

    public static CallFeatures from(Map<String, String> env) {
        return new CallFeatures(onOff(env, ConfigKey.CALL_WAITING, true), TransferMode.from(env), Ringback.from(env));
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
