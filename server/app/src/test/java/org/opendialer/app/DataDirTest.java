package org.opendialer.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.config.GatewayConfig;

/** The data directory and its files are this user's only (docs/security.md, "Secrets at rest"). */
class DataDirTest {
    @TempDir
    Path tmp;

    private int addUser(Map<String, String> env) {
        java.util.Iterator<String> lines = List.of("s3cret-pass-phrase", "pbx-s3cret").iterator();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = UserCommand.run(GatewayConfig.from(env), List.of("add", "bob", "--extension", "1002",
                        "--sip-registrar", "sip:pbx.example.com", "--sip-username", "2002"),
                () -> lines.hasNext() ? lines.next() : null, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        return code;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void firstStart_createsTheDataDir0700_andTheDatabaseAndKeyFile0600() throws Exception {
        Path data = tmp.resolve("data");
        assertThat(addUser(Map.of("DIALER_DATA_DIR", data.toString()))).isZero();

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("dialer.mv.db"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve(DataDir.KEY_FILE))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(data.resolve(DataDir.KEY_FILE)).strip())).hasSize(32);
        try (var files = Files.list(data)) {
            assertThat(files.filter(Files::isRegularFile).toList())
                    .allSatisfy(f -> assertThat(mode(f)).isEqualTo("rw-------"));
        }
    }

    @Test
    void anExistingDataDirOpenToOthers_isTightened() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.writeString(data.resolve("notes.txt"), "x");
        Files.setPosixFilePermissions(data.resolve("notes.txt"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(addUser(Map.of("DIALER_DATA_DIR", data.toString()))).isZero();

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("notes.txt"))).isEqualTo("rw-------");
    }

    @Test
    void withDialerSecretKey_noKeyFileIsWritten_andThatKeyIsUsed() throws Exception {
        Path data = tmp.resolve("data");
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> env = Map.of("DIALER_DATA_DIR", data.toString(), "DIALER_SECRET_KEY", key);
        assertThat(addUser(env)).isZero();

        assertThat(data.resolve(DataDir.KEY_FILE)).doesNotExist();
        assertThat(DataDir.secretBox(GatewayConfig.from(env)).seal("x", 1)).startsWith("v1:");
    }

    @Test
    void aBadSecretKey_isAClearConfigurationError_andABrokenKeyFileAClearStartError() throws Exception {
        assertThatThrownBy(() -> GatewayConfig.from(Map.of("DIALER_SECRET_KEY", "too-short")))
                .hasMessageContaining("DIALER_SECRET_KEY").hasMessageContaining("32 bytes");
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve(DataDir.KEY_FILE), "not a key\n");
        assertThatThrownBy(() -> DataDir.secretBox(GatewayConfig.from(Map.of("DIALER_DATA_DIR", data.toString()))))
                .hasMessageContaining("secret.key").hasMessageContaining("32-byte key");
    }
}
