package org.opendialer.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An H2 database at the schema before sealed PBX passwords (V4_1), upgraded by opening it today. */
class SealedSipPasswordUpgradeH2Test {
    @TempDir
    Path dir;

    @Test
    void aClearPasswordWrittenByTheOldSchema_isReadableAfterTheUpgrade_andNoLongerClearInTheFile() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("old");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("4.1").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, username, display_name, extension, password_hash, created_at, updated_at)"
                    + " VALUES (7, 'bob', 'Bob', '1002', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            st.executeUpdate("INSERT INTO sip_accounts (user_id, registrar, sip_username, sip_password, contact_token,"
                    + " updated_at) VALUES (7, 'sip:pbx.example.com', '2002', 'old-clear-pbx-pw', "
                    + "'abcdefabcdefabcdefabcdef', CURRENT_TIMESTAMP)");
        }

        SecretBox key = new SecretBox(SecretBox.randomKey());
        try (Database db = Database.open(url, null, null)) {
            AccountService accounts = new AccountService(db, Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(5),
                    PasswordHasher.forTests(), SignInLimits.DEFAULTS, key);
            assertThat(accounts.sealClearSipPasswords()).isEqualTo(1);
            assertThat(accounts.sipAccount(7).orElseThrow().account().password()).isEqualTo("old-clear-pbx-pw");
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT sip_password FROM sip_accounts")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("old-clear-pbx-pw");
            }
        }
    }
}
