package org.opendialer.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConfigurationDocsTest {

    @Test
    void configurationReference_documentsEveryKey() throws IOException {
        String docs = Files.readString(repoRoot().resolve("docs/configuration.md"));
        assertThat(Arrays.stream(ConfigKey.values()).map(ConfigKey::envName))
                .allSatisfy(name -> assertThat(docs).contains("`" + name + "`"));
    }

    @Test
    void configurationReference_documentsNoUnknownKey() throws IOException {
        String docs = Files.readString(repoRoot().resolve("docs/configuration.md"));
        var known = Arrays.stream(ConfigKey.values()).map(ConfigKey::envName).toList();
        var mentioned = java.util.regex.Pattern.compile("`(DIALER_[A-Z0-9_]+)`").matcher(docs)
                .results().map(m -> m.group(1)).distinct().toList();
        assertThat(known).containsAll(mentioned);
    }

    static Path repoRoot() throws IOException {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.exists(p.resolve("docs")) && Files.isRegularFile(pom)
                    && Files.readString(pom).contains("<modules>")) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root above " + dir);
    }
}
