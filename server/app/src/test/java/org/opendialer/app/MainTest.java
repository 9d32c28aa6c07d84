package org.opendialer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.config.GatewayConfig;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void badPort_printsOneLineNamingTheKey_andExitsWithTwo() {
        int code = Main.run(List.of(), Map.of("DIALER_HTTP_PORT", "eighty"), print(out), print(err));
        assertThat(code).isEqualTo(2);
        assertThat(text(err)).isEqualTo(
                "Configuration error: DIALER_HTTP_PORT: 'eighty' is not a port number (1-65535)\n");
        assertThat(text(out)).isEmpty();
    }

    @Test
    void unknownCommand_printsUsage_andFails() {
        int code = Main.run(List.of("dance"), Map.of(), print(out), print(err));
        assertThat(code).isEqualTo(Main.EXIT_USAGE);
        assertThat(text(err)).contains("Unknown command 'dance'").contains("user add NAME");
    }

    @Test
    void userAdd_createsTheUserWithThePasswordFromStdin(@TempDir Path dir) {
        Map<String, String> env = Map.of("DIALER_DATA_DIR", dir.toString());
        int code = UserCommand.run(GatewayConfig.from(env),
                List.of("add", "bob", "--extension", "1002", "--number", "+12015550142", "--display-name", "Bob B"),
                password("s3cret-pass-phrase"), print(out), print(err));
        assertThat(text(err)).isEmpty();
        assertThat(code).isZero();
        assertThat(text(out)).isEqualTo("Created user bob (extension 1002, number +12015550142).\n");
        assertThat(text(out)).doesNotContain("s3cret");
        try (Database db = Database.open(GatewayConfig.from(env).dbUrl(), "", "")) {
            AccountService accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5));
            assertThat(accounts.findUser("bob")).hasValueSatisfying(u -> assertThat(u.displayName()).isEqualTo("Bob B"));
            assertThat(accounts.signIn("bob", "s3cret-pass-phrase", "127.0.0.1")).isPresent();
        }
    }

    @Test
    void userAdd_withPbxAccount_storesIt_withThePasswordFromTheSecondLine(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("DIALER_DATA_DIR", dir.toString());
        java.util.Iterator<String> lines = List.of("s3cret-pass-phrase", "pbx-s3cret").iterator();
        int code = UserCommand.run(GatewayConfig.from(env), List.of("add", "bob", "--extension", "1002",
                "--sip-registrar", "sip:pbx.example.com;transport=tcp", "--sip-username", "2002"),
                () -> lines.hasNext() ? lines.next() : null, print(out), print(err));
        assertThat(text(err)).isEmpty();
        assertThat(code).isZero();
        assertThat(text(out)).isEqualTo(
                "Created user bob (extension 1002, PBX account 2002 at sip:pbx.example.com;transport=tcp).\n");
        try (Database db = Database.open(GatewayConfig.from(env).dbUrl(), "", "")) {
            // The PBX password is sealed with the key file the command created in the data directory.
            AccountService accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                    org.opendialer.core.accounts.PasswordHasher.forTests(),
                    org.opendialer.core.accounts.SignInLimits.DEFAULTS, DataDir.secretBox(GatewayConfig.from(env)));
            long id = accounts.findUser("bob").orElseThrow().id();
            assertThat(accounts.sipAccount(id)).hasValueSatisfying(a -> assertThat(a.account().password())
                    .isEqualTo("pbx-s3cret"));
        }
    }

    @Test
    void userAdd_withBadPbxAccount_failsBeforeCreatingTheUser(@TempDir Path dir) {
        Map<String, String> env = Map.of("DIALER_DATA_DIR", dir.toString());
        GatewayConfig config = GatewayConfig.from(env);
        assertThat(UserCommand.run(config, List.of("add", "bob", "--extension", "1002", "--sip-username", "2002"),
                password("s3cret-pass-phrase"), print(out), print(err))).isEqualTo(Main.EXIT_USAGE);
        assertThat(text(err)).contains("--sip-registrar and --sip-username go together");
        java.util.Iterator<String> lines = List.of("s3cret-pass-phrase", "x").iterator();
        assertThat(UserCommand.run(config, List.of("add", "bob", "--extension", "1002",
                "--sip-registrar", "http://pbx", "--sip-username", "2002"),
                () -> lines.hasNext() ? lines.next() : null, print(out), print(err))).isEqualTo(Main.EXIT_USAGE);
        assertThat(text(err)).contains("sip_account.registrar must be a SIP URI");
        try (Database db = Database.open(config.dbUrl(), "", "")) {
            assertThat(new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5))
                    .findUser("bob")).isEmpty();
        }
    }

    @Test
    void userAdd_withDuplicateExtension_failsWithAClearMessage(@TempDir Path dir) {
        GatewayConfig config = GatewayConfig.from(Map.of("DIALER_DATA_DIR", dir.toString()));
        assertThat(UserCommand.run(config, List.of("add", "bob", "--extension", "1002"),
                password("pass-phrase-one"), print(out), print(err))).isZero();
        int code = UserCommand.run(config, List.of("add", "carol", "--extension", "1002"),
                password("pass-phrase-two"), print(out), print(err));
        assertThat(code).isEqualTo(1);
        assertThat(text(err)).startsWith("Cannot add user carol: ").doesNotContain("Exception");
    }

    @Test
    void userAdd_withoutExtensionOrPassword_isAUsageError(@TempDir Path dir) {
        GatewayConfig config = GatewayConfig.from(Map.of("DIALER_DATA_DIR", dir.toString()));
        assertThat(UserCommand.run(config, List.of("add", "bob"), password("x"), print(out), print(err)))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(UserCommand.run(config, List.of("add", "bob", "--extension", "1002"), password(null),
                print(out), print(err))).isEqualTo(Main.EXIT_USAGE);
        assertThat(text(err)).contains("--extension is required").contains("first line of standard input");
    }

    @Test
    void banner_namesTheUrlsAndShowsTheDemoPasswordOnlyWhenGiven() {
        GatewayConfig config = GatewayConfig.from(Map.of());
        String first = ServeCommand.banner(config, "Pw1234567890abcdefgh");
        assertThat(first).contains("Dialer gateway: http://127.0.0.1:8080\n")
                .contains("Demo: http://localhost:8081/\n").contains("password: Pw1234567890abcdefgh");
        assertThat(ServeCommand.banner(config, null)).doesNotContain("password");
    }

    @Test
    void generatedPasswords_areLongAndDistinct() {
        String a = ServeCommand.randomPassword();
        assertThat(a).hasSizeGreaterThanOrEqualTo(16).matches("[A-Za-z0-9]+");
        assertThat(ServeCommand.randomPassword()).isNotEqualTo(a);
    }

    private static Supplier<String> password(String line) {
        return () -> line;
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
