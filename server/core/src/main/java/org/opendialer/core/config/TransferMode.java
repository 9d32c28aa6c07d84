package org.opendialer.core.config;

import java.util.Locale;
import java.util.Map;

/** How a trunk call is transferred to a phone number ({@link ConfigKey#TRANSFER}). */
public enum TransferMode {
    /** The gateway keeps the caller's leg and bridges it to a new outbound leg itself: works with any trunk. */
    BRIDGE,
    /** The gateway asks the trunk to do it with SIP REFER (RFC 3515), Replaces (RFC 3891) for attended. */
    REFER;

    public static TransferMode from(Map<String, String> env) {
        String value = env.get(ConfigKey.TRANSFER.envName());
        if (value == null || value.isBlank()) {
            return BRIDGE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "bridge" -> BRIDGE;
            case "refer" -> REFER;
            default -> throw new ConfigException(ConfigKey.TRANSFER, "'" + value.trim() + "' is neither bridge nor refer");
        };
    }
}
