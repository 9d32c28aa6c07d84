package org.opendialer.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-call user lookups of {@link AccountService} (by id, extension, number, dialed string): what they
 * find, and that each is answered from an index, so routing a call does not read every user. Subclasses run
 * it on H2 and on PostgreSQL.
 */
abstract class UserLookupContract {

    AccountService accounts;
    private Database database;

    /** A migrated database with no rows in any table. */
    abstract Database emptyDatabase() throws Exception;

    /** The database's plan for {@code SELECT * FROM users WHERE <where>}, as text. */
    abstract String plan(Connection c, String where) throws SQLException;

    /** Whether {@code plan} reads the users table through an index rather than scanning it. */
    abstract boolean usesIndex(String plan);

    @BeforeEach
    void createService() throws Exception {
        database = emptyDatabase();
        accounts = new AccountService(database, new MutableClock(Instant.parse("2026-01-15T10:00:00Z")),
                Duration.ofMinutes(30), Duration.ofMinutes(10), PasswordHasher.forTests(), AccountServiceContract.LIMITS);
    }

    private User alice() {
        return accounts.createUser(new NewUser("alice", "alice-password", "Alice", "101", "+14155550123"));
    }

    private User bob() {
        return accounts.createUser(new NewUser("bob", "bob-password", "Bob", "102", "+442079460123"));
    }

    @Test
    void findUserByExtension_findsOnlyThatUser() {
        User alice = alice();
        User bob = bob();

        assertThat(accounts.findUserByExtension("101")).contains(alice);
        assertThat(accounts.findUserByExtension("102")).contains(bob);
        assertThat(accounts.findUserByExtension("103")).isEmpty();
    }

    @Test
    void findUserByExtension_withWhatCannotBeAnExtension_findsNobody() {
        alice();

        assertThat(accounts.findUserByExtension(null)).isEmpty();
        assertThat(accounts.findUserByExtension("1")).isEmpty();
        assertThat(accounts.findUserByExtension("10a")).isEmpty();
        assertThat(accounts.findUserByExtension("101' OR '1'='1")).isEmpty();
    }

    @Test
    void findUserByNumber_comparesDigitsWithOrWithoutPlus() {
        User alice = alice();
        bob();

        assertThat(accounts.findUserByNumber("+14155550123")).contains(alice);
        assertThat(accounts.findUserByNumber("14155550123")).contains(alice); // a trunk that drops the "+"
        assertThat(accounts.findUserByNumber("4155550123")).isEmpty(); // national form: other digits
        assertThat(accounts.findUserByNumber("+1 415 555 0123")).isEmpty(); // the trunk's To is digits only
        assertThat(accounts.findUserByNumber("")).isEmpty();
        assertThat(accounts.findUserByNumber(null)).isEmpty();
        assertThat(accounts.findUserByNumber("+1234567890123456789")).isEmpty();
    }

    @Test
    void findUserForDialed_takesAnExtensionOrANumber() {
        User alice = alice();
        User bob = bob();

        assertThat(accounts.findUserForDialed("101")).contains(alice);
        assertThat(accounts.findUserForDialed("+442079460123")).contains(bob);
        assertThat(accounts.findUserForDialed("442079460123")).contains(bob);
        assertThat(accounts.findUserForDialed("999")).isEmpty();
        assertThat(accounts.findUserForDialed("sip:alice")).isEmpty();
    }

    @Test
    void findUserById_findsTheUserOrNothing() {
        User alice = alice();

        assertThat(accounts.findUserById(alice.id())).contains(alice);
        assertThat(accounts.findUserById(alice.id() + 1000)).isEmpty();
    }

    @Test
    void lookups_seeAChangedNumberAndExtensionAndADeletedUser() {
        alice();
        accounts.updateUser("alice", new UserUpdate(null, null, "201", "+14155550199", false));

        assertThat(accounts.findUserByExtension("101")).isEmpty();
        assertThat(accounts.findUserByNumber("+14155550123")).isEmpty();
        assertThat(accounts.findUserByExtension("201")).map(User::username).contains("alice");
        assertThat(accounts.findUserByNumber("14155550199")).map(User::username).contains("alice");

        accounts.deleteUser("alice");
        assertThat(accounts.findUserByExtension("201")).isEmpty();
    }

    @Test
    void lookups_amongThousandsOfUsers_findTheOneAsked() throws SQLException {
        insertUsers(5_000);

        assertThat(accounts.findUserByExtension("104321")).map(User::username).contains("u4321");
        assertThat(accounts.findUserByNumber("14155554321")).map(User::username).contains("u4321");
        assertThat(accounts.findUserForDialed("+14155550007")).map(User::username).contains("u7");
    }

    @Test
    void eachLookupReadsAnIndex_notEveryUser() throws SQLException {
        insertUsers(2_000);
        try (Connection c = database.dataSource().getConnection()) {
            for (String where : new String[] {"id = 7", "extension = '100007'", "phone_number = '+14155550007'"}) {
                String plan = plan(c, where);
                assertThat(usesIndex(plan)).as("plan for %s:%n%s", where, plan).isTrue();
            }
            // The check itself can fail: display_name has no index.
            assertThat(usesIndex(plan(c, "display_name = 'User 7'"))).isFalse();
        }
    }

    /** Users u0..u(n-1), extension 100000+i, number +1415555xxxx, inserted in one batch (no Argon2 per user). */
    private void insertUsers(int n) throws SQLException {
        OffsetDateTime now = OffsetDateTime.of(2026, 1, 15, 10, 0, 0, 0, ZoneOffset.UTC);
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO users (username, display_name, extension,"
                     + " phone_number, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                st.setString(1, "u" + i);
                st.setString(2, "User " + i);
                st.setString(3, String.valueOf(100_000 + i));
                st.setString(4, String.format("+1415555%04d", i));
                st.setString(5, "not-a-hash");
                st.setObject(6, now);
                st.setObject(7, now);
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
