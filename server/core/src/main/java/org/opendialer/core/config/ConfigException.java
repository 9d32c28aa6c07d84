package org.opendialer.core.config;

/** A configuration value that the gateway cannot start with. The message names the key. */
public final class ConfigException extends RuntimeException {
    private final ConfigKey key;

    public ConfigException(ConfigKey key, String problem) {
        super(key.envName() + ": " + problem);
        this.key = key;
    }

    public ConfigKey key() {
        return key;
    }
}
