package org.opendialer.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, filtered into version.properties at build time. */
public final class AppVersion {
    private AppVersion() {}

    public static String get() {
        try (InputStream in = AppVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "dev");
            return version.startsWith("${") ? "dev" : version;
        } catch (IOException e) {
            return "dev";
        }
    }
}
