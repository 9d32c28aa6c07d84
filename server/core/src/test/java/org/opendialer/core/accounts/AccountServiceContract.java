package org.opendialer.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendialer.core.accounts.AccountException.Reason;

/** Behaviour of {@link AccountService} and {@link CallLog}; subclasses run it on H2 and on PostgreSQL. */
abstract class AccountServiceContract {

    static final Duration IDLE_TTL = Duration.ofMinutes(30);
    static final Duration TOKEN_TTL = Duration.ofMinutes(10);
    static final String ADDRESS = "192.0.2.10";

    MutableClock clock;
    AccountService accounts;

    /** A migrated database with no rows in any table. */
    abstract Database emptyDatabase() throws Exception;

    @BeforeEach
    void createService() throws Exception {
        clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
        accounts = new AccountService(emptyDatabase(), clock, IDLE_TTL, TOKEN_TTL, PasswordHasher.forTests(), LIMITS);
    }

    /** Lockout after 5 failures for 30 s; rates high enough that only the rate tests reach them. */
    static final SignInLimits LIMITS = new SignInLimits(50, 100, 2, 5, Duration.ofSeconds(30));

    User alice() {
        return accounts.createUser(new NewUser("alice", "alice-password", "Alice Liddell", "101", "+14155550123"));
    }

    // ---- users

    @Test
    void createUser_returnsStoredUserWithNormalisedNumber() {
        User user = accounts.createUser(new NewUser("alice", "alice-password", "Alice Liddell", "101", "+1 415-555-0123"));

        assertThat(user.id()).isPositive();
        assertThat(user.username()).isEqualTo("alice");
        assertThat(user.displayName()).isEqualTo("Alice Liddell");
        assertThat(user.extension()).isEqualTo("101");
        assertThat(user.number()).isEqualTo("+14155550123");
        assertThat(user.createdAt()).isEqualTo(clock.instant());
        assertThat(accounts.findUser("alice")).contains(user);
    }

    @Test
    void createUser_withoutDisplayNameOrNumber_defaultsDisplayNameToUsername() {
        User user = accounts.createUser(new NewUser("bob.smith@example", "bob-password", null, "102", null));

        assertThat(user.displayName()).isEqualTo("bob.smith@example");
        assertThat(user.number()).isNull();
    }

    @Test
    void createUser_allowsManyUsersWithoutNumber() {
        accounts.createUser(new NewUser("u1", "password-1", null, "201", null));
        accounts.createUser(new NewUser("u2", "password-2", null, "202", ""));

        assertThat(accounts.listUsers()).extracting(User::number).containsExactly(null, null);
    }

    @Test
    void createUser_withTakenUsername_failsWithDuplicateUsername() {
        alice();
        assertThatThrownBy(() -> accounts.createUser(new NewUser("alice", "another-pass", null, "999", null)))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_USERNAME));
    }

    @Test
    void createUser_withTakenExtension_failsWithDuplicateExtension() {
        alice();
        assertThatThrownBy(() -> accounts.createUser(new NewUser("carol", "carol-password", null, "101", null)))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_EXTENSION));
    }

    @Test
    void createUser_withTakenNumber_failsWithDuplicateNumber() {
        alice();
        assertThatThrownBy(() -> accounts.createUser(new NewUser("carol", "carol-password", null, "103", "+14155550123")))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_NUMBER));
    }

    @Test
    void createUser_withInvalidFields_failsWithInvalidInputAndStoresNothing() {
        List<NewUser> invalid = List.of(
                new NewUser(null, "password-ok", null, "101", null),
                new NewUser("", "password-ok", null, "101", null),
                new NewUser("a".repeat(65), "password-ok", null, "101", null),
                new NewUser("has space", "password-ok", null, "101", null),
                new NewUser("ünicode", "password-ok", null, "101", null),
                new NewUser("dave", null, null, "101", null),
                new NewUser("dave", "short", null, "101", null),
                new NewUser("dave", "p".repeat(257), null, "101", null),
                new NewUser("dave", "password-ok", "x".repeat(101), "101", null),
                new NewUser("dave", "password-ok", "bell\u0007", "101", null),
                new NewUser("dave", "password-ok", null, null, null),
                new NewUser("dave", "password-ok", null, "1", null),
                new NewUser("dave", "password-ok", null, "1234567", null),
                new NewUser("dave", "password-ok", null, "12a", null),
                new NewUser("dave", "password-ok", null, "101", "4155550123"),
                new NewUser("dave", "password-ok", null, "101", "+1415555012"),
                new NewUser("dave", "password-ok", null, "101", "+999123456789"),
                new NewUser("dave", "password-ok", null, "101", "not a number"));
        for (NewUser user : invalid) {
            assertThatThrownBy(() -> accounts.createUser(user))
                    .as("%s", user)
                    .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT));
        }
        assertThat(accounts.hasUsers()).isFalse();
    }

    @Test
    void createUser_acceptsBoundaryLengths() {
        User user = accounts.createUser(new NewUser("a".repeat(64), "p".repeat(256), "d".repeat(100), "123456", null));
        accounts.createUser(new NewUser("b", "12345678", "é", "12", null));

        assertThat(user.username()).hasSize(64);
        assertThat(accounts.listUsers()).hasSize(2);
    }

    @Test
    void createUser_storesArgon2idHashNotThePassword() throws SQLException {
        alice();

        String stored = queryString("SELECT password_hash FROM users WHERE username = 'alice'");
        assertThat(stored).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain("alice-password");
        assertThat(PasswordHasher.forTests().verify("alice-password", stored)).isTrue();
    }

    @Test
    void listUsers_isSortedByUsername_andHasUsersReflectsIt() {
        assertThat(accounts.hasUsers()).isFalse();
        assertThat(accounts.listUsers()).isEmpty();
        accounts.createUser(new NewUser("zed", "zed-password", null, "300", null));
        alice();

        assertThat(accounts.hasUsers()).isTrue();
        assertThat(accounts.listUsers()).extracting(User::username).containsExactly("alice", "zed");
        assertThat(accounts.findUser("nobody")).isEmpty();
        assertThat(accounts.findUser(null)).isEmpty();
    }

    @Test
    void updateUser_changesOnlyGivenFields() {
        alice();

        User updated = accounts.updateUser("alice", new UserUpdate(null, "Alice L.", "111", null, false));

        assertThat(updated.displayName()).isEqualTo("Alice L.");
        assertThat(updated.extension()).isEqualTo("111");
        assertThat(updated.number()).isEqualTo("+14155550123");
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();
    }

    @Test
    void updateUser_setsAndClearsNumber() {
        alice();

        assertThat(accounts.updateUser("alice", new UserUpdate(null, null, null, "+442071838750", false)).number())
                .isEqualTo("+442071838750");
        assertThat(accounts.updateUser("alice", new UserUpdate(null, null, null, null, true)).number()).isNull();
        assertThatThrownBy(() -> accounts.updateUser("alice", new UserUpdate(null, null, null, "+442071838750", true)))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT));
    }

    @Test
    void updateUser_failsForUnknownUserDuplicateExtensionAndInvalidInput() {
        alice();
        accounts.createUser(new NewUser("bob", "bob-password", null, "102", null));

        assertThatThrownBy(() -> accounts.updateUser("nobody", UserUpdate.none()))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
        assertThatThrownBy(() -> accounts.updateUser("bob", new UserUpdate(null, null, "101", null, false)))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_EXTENSION));
        assertThatThrownBy(() -> accounts.updateUser("bob", new UserUpdate(null, null, null, "+14155550123", false)))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_NUMBER));
        assertThatThrownBy(() -> accounts.updateUser("bob", new UserUpdate("short", null, null, null, false)))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT));
        assertThat(accounts.findUser("bob").orElseThrow().extension()).isEqualTo("102");
    }

    @Test
    void updateUser_newPassword_replacesOldOneAndRevokesSessions() {
        alice();
        Session session = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();

        accounts.updateUser("alice", new UserUpdate("new-alice-password", null, null, null, false));

        assertThat(accounts.resume(session.token())).isEmpty();
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isEmpty();
        assertThat(accounts.signIn("alice", "new-alice-password", ADDRESS)).isPresent();
    }

    @Test
    void deleteUser_removesUserAndRevokesSessionsAndTokens() {
        alice();
        Session session = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();
        SignInToken token = accounts.mintSignInToken("alice");

        assertThat(accounts.deleteUser("alice")).isTrue();

        assertThat(accounts.findUser("alice")).isEmpty();
        assertThat(accounts.resume(session.token())).isEmpty();
        assertThat(accounts.signInWithToken(token.token(), ADDRESS)).isEmpty();
        assertThat(accounts.deleteUser("alice")).isFalse();
    }

    // ---- password sign-in

    @Test
    void signIn_withRightPassword_returnsSessionValidForIdleTtl() throws SQLException {
        User alice = alice();

        Session session = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();

        assertThat(session.user()).isEqualTo(alice);
        assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(IDLE_TTL));
        assertThat(session.token()).matches("[A-Za-z0-9_-]{43}");
        // Only the SHA-256 of the token is stored.
        assertThat(queryString("SELECT token_hash FROM sessions")).isEqualTo(SecretTokens.hash(session.token()));
        assertThat(SecretTokens.hash(session.token())).doesNotContain(session.token()).hasSize(64);
    }

    @Test
    void signIn_withWrongPasswordOrUnknownUser_returnsEmpty() {
        alice();

        assertThat(accounts.signIn("alice", "wrong-password", ADDRESS)).isEmpty();
        assertThat(accounts.signIn("nobody", "alice-password", ADDRESS)).isEmpty();
        assertThat(accounts.signIn("alice", null, ADDRESS)).isEmpty();
        assertThat(accounts.signIn(null, "alice-password", ADDRESS)).isEmpty();
        assertThat(accounts.signIn("a".repeat(100_000), "alice-password", ADDRESS)).isEmpty();
        assertThat(accounts.signIn("alice", "p".repeat(100_000), ADDRESS)).isEmpty();
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();
    }

    @Test
    void signIn_wrongPasswordsFromAnotherAddress_neverLockTheUserOutOfTheirOwnAddress() {
        alice();
        for (int i = 0; i < 3 * LIMITS.lockoutFailures(); i++) {
            signInOrRateLimited("alice", "wrong-password-" + i, "198.51.100.66");
        }
        assertRateLimited(() -> accounts.signIn("alice", "alice-password", "198.51.100.66"));

        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();
    }

    @Test
    void signIn_afterLockoutFailures_isRefusedWithoutHashing_andTheLockDoublesWithEachFurtherFailure() {
        alice();
        for (int i = 0; i < LIMITS.lockoutFailures(); i++) {
            assertThat(accounts.signIn("alice", "wrong-password", ADDRESS)).isEmpty();
        }
        assertRateLimited(() -> accounts.signIn("alice", "alice-password", ADDRESS));

        clock.advance(LIMITS.lockout().plusSeconds(1));
        assertThat(accounts.signIn("alice", "wrong-again", ADDRESS)).isEmpty();
        // Now locked for twice the base time: one base period is not enough.
        clock.advance(LIMITS.lockout().plusSeconds(1));
        AccountException refused = assertRateLimited(() -> accounts.signIn("alice", "alice-password", ADDRESS));
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(LIMITS.lockout());
        clock.advance(LIMITS.lockout());
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();
    }

    @Test
    void signIn_success_clearsThePairsFailures() {
        alice();
        for (int i = 0; i < LIMITS.lockoutFailures() - 1; i++) {
            accounts.signIn("alice", "wrong-password", ADDRESS);
        }
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();

        accounts.signIn("alice", "wrong-password", ADDRESS);
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();
    }

    @Test
    void signIn_overThePerAddressRate_isRateLimitedThere_butNotFromAnotherAddress() {
        alice();
        for (int i = 0; i < LIMITS.perAddressPerMinute(); i++) {
            assertThat(accounts.signIn("guess" + i, "some-password", ADDRESS)).isEmpty();
        }

        AccountException refused = assertRateLimited(() -> accounts.signIn("alice", "alice-password", ADDRESS));
        assertThat(refused.getMessage()).contains("from your address");
        assertThat(accounts.signIn("alice", "alice-password", "203.0.113.7")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(accounts.signIn("alice", "alice-password", ADDRESS)).isPresent();
    }

    @Test
    void signIn_overTheGlobalRate_isRateLimitedFromEveryAddress() {
        alice();
        int sent = 0;
        for (int a = 0; sent < LIMITS.globalPerMinute(); a++) {
            for (int i = 0; i < 10 && sent < LIMITS.globalPerMinute(); i++, sent++) {
                accounts.signIn("guess" + i, "some-password", "198.51.100." + a);
            }
        }

        assertThat(assertRateLimited(() -> accounts.signIn("alice", "alice-password", "203.0.113.7")).getMessage())
                .contains("on this gateway");
    }

    @Test
    void updateUser_newPassword_voidsSignInTokensMintedBeforeIt() {
        alice();
        SignInToken before = accounts.mintSignInToken("alice");

        accounts.updateUser("alice", new UserUpdate("new-alice-password", null, null, null, false));

        assertThat(accounts.signInWithToken(before.token(), ADDRESS)).isEmpty();
        SignInToken after = accounts.mintSignInToken("alice");
        assertThat(accounts.signInWithToken(after.token(), ADDRESS)).isPresent();
    }

    private void signInOrRateLimited(String username, String password, String address) {
        try {
            assertThat(accounts.signIn(username, password, address)).isEmpty();
        } catch (AccountException e) {
            assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        }
    }

    private static AccountException assertRateLimited(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(AccountException.class);
        AccountException e = (AccountException) thrown;
        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.getMessage()).startsWith("Too many sign-in attempts");
        return e;
    }

    // ---- sign-in tokens

    @Test
    void signInWithToken_worksOnceAndIsStoredHashed() throws SQLException {
        User alice = alice();
        SignInToken token = accounts.mintSignInToken("alice");

        assertThat(token.expiresAt()).isEqualTo(clock.instant().plus(TOKEN_TTL));
        assertThat(token.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(queryString("SELECT token_hash FROM sign_in_tokens")).isEqualTo(SecretTokens.hash(token.token()));

        Session session = accounts.signInWithToken(token.token(), ADDRESS).orElseThrow();
        assertThat(session.user()).isEqualTo(alice);
        assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(IDLE_TTL));
        assertThat(accounts.signInWithToken(token.token(), ADDRESS)).isEmpty();
    }

    @Test
    void signInWithToken_redeemedConcurrently_succeedsExactlyOnce() throws Exception {
        alice();
        SignInToken token = accounts.mintSignInToken("alice");
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return accounts.signInWithToken(token.token(), ADDRESS).isPresent();
                }));
            }
            go.countDown();
            int successes = 0;
            for (Future<Boolean> result : results) {
                successes += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(successes).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signInWithToken_afterTtl_isRejected() {
        alice();
        SignInToken token = accounts.mintSignInToken("alice");

        clock.advance(TOKEN_TTL);

        assertThat(accounts.signInWithToken(token.token(), ADDRESS)).isEmpty();
    }

    @Test
    void signInWithToken_justBeforeTtl_isAccepted() {
        alice();
        SignInToken token = accounts.mintSignInToken("alice");

        clock.advance(TOKEN_TTL.minusMillis(1));

        assertThat(accounts.signInWithToken(token.token(), ADDRESS)).isPresent();
    }

    @Test
    void signInWithToken_withUnknownOrMalformedToken_returnsEmpty() {
        alice();
        accounts.mintSignInToken("alice");

        assertThat(accounts.signInWithToken("not-a-token", ADDRESS)).isEmpty();
        assertThat(accounts.signInWithToken("", ADDRESS)).isEmpty();
        assertThat(accounts.signInWithToken(null, ADDRESS)).isEmpty();
        assertThat(accounts.signInWithToken("x".repeat(10_000), ADDRESS)).isEmpty();
    }

    @Test
    void mintSignInToken_forUnknownUser_failsWithNotFound() {
        assertThatThrownBy(() -> accounts.mintSignInToken("nobody"))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    // ---- sessions

    @Test
    void resume_slidesExpiryForwardAndKeepsTheToken() {
        alice();
        Session session = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();

        // Three idle periods of 20 minutes each: longer than the 30-minute TTL in total, never idle that long.
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(20));
            Session resumed = accounts.resume(session.token()).orElseThrow();
            assertThat(resumed.token()).isEqualTo(session.token());
            assertThat(resumed.expiresAt()).isEqualTo(clock.instant().plus(IDLE_TTL));
            assertThat(resumed.user().username()).isEqualTo("alice");
        }
    }

    @Test
    void resume_afterIdleTtl_returnsEmptyForGood() {
        alice();
        Session session = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();

        clock.advance(IDLE_TTL);

        assertThat(accounts.resume(session.token())).isEmpty();
        clock.advance(Duration.ofSeconds(-1));
        assertThat(accounts.resume(session.token())).as("an expired session is not revived").isEmpty();
    }

    @Test
    void resume_withUnknownToken_returnsEmpty() {
        assertThat(accounts.resume("no-such-session")).isEmpty();
        assertThat(accounts.resume(null)).isEmpty();
        assertThat(accounts.resume("")).isEmpty();
    }

    @Test
    void signOut_revokesOnlyThatSession() {
        alice();
        Session first = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();
        Session second = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();

        accounts.signOut(first.token());
        accounts.signOut("unknown-token");
        accounts.signOut(null);

        assertThat(accounts.resume(first.token())).isEmpty();
        assertThat(accounts.resume(second.token())).isPresent();
    }

    @Test
    void purgeExpired_deletesOnlyExpiredRows() throws SQLException {
        alice();
        accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();
        accounts.mintSignInToken("alice");
        clock.advance(IDLE_TTL);
        Session live = accounts.signIn("alice", "alice-password", ADDRESS).orElseThrow();

        accounts.purgeExpired();

        assertThat(queryString("SELECT COUNT(*) FROM sessions")).isEqualTo("1");
        assertThat(queryString("SELECT COUNT(*) FROM sign_in_tokens")).isEqualTo("0");
        assertThat(accounts.resume(live.token())).isPresent();
    }

    // ---- call log

    @Test
    void callLog_listsNewestFirst_withLimit_andSurvivesUserDeletion() throws SQLException {
        User alice = alice();
        CallLog log = new CallLog(database());
        assertThat(log.recent(50)).isEmpty();
        insertCall("c1", alice.id(), Instant.parse("2026-01-15T09:00:00Z"));
        insertCall("c2", alice.id(), Instant.parse("2026-01-15T09:30:00Z"));
        insertCall("c3", alice.id(), Instant.parse("2026-01-15T08:00:00Z"));

        assertThat(log.recent(50)).extracting(CallRecord::id).containsExactly("c2", "c1", "c3");
        assertThat(log.recent(2)).extracting(CallRecord::id).containsExactly("c2", "c1");
        CallRecord c2 = log.recent(1).get(0);
        assertThat(c2.username()).isEqualTo("alice");
        assertThat(c2.startTime()).isEqualTo(Instant.parse("2026-01-15T09:30:00Z"));
        assertThat(c2.answerTime()).isNull();
        assertThat(c2.toNumber()).isEqualTo("+442071838750");

        accounts.deleteUser("alice");
        assertThat(log.recent(50)).extracting(CallRecord::username).containsOnlyNulls().hasSize(3);
    }

    // ---- helpers

    abstract Database database();

    String queryString(String sql) throws SQLException {
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            assertThat(values).as(sql).hasSize(1);
            return values.get(0);
        }
    }

    void insertCall(String id, long userId, Instant start) throws SQLException {
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO calls (id, user_id, direction, state, result,"
                     + " from_number, to_number, caller_display_name, start_time, updated_at)"
                     + " VALUES (?, ?, 'outgoing', 'ended', 'completed', '+14155550123', '+442071838750', 'Alice', ?, ?)")) {
            st.setString(1, id);
            st.setLong(2, userId);
            st.setObject(3, AccountService.toDb(start));
            st.setObject(4, AccountService.toDb(start));
            st.executeUpdate();
        }
    }


    // ---- PBX accounts (sip_accounts, Flyway V2)

    @Test
    void setSipAccount_storesPasswordAsGiven_andKeepsContactTokenAcrossUpdates() {
        User alice = alice();
        accounts.setSipAccount("alice", new SipAccount("SIP:PBX.example.com:5080;transport=TCP", "1001", null, "pbx-secret"));

        UserSipAccount stored = accounts.sipAccount(alice.id()).orElseThrow();
        assertThat(stored.account()).isEqualTo(
                new SipAccount("sip:pbx.example.com:5080;transport=tcp", "1001", null, "pbx-secret"));
        assertThat(stored.contactToken()).matches("[0-9a-f]{24}");
        assertThat(accounts.sipAccountByContact(stored.contactToken())).contains(stored);
        assertThat(accounts.sipAccounts()).containsExactly(stored);

        accounts.setSipAccount("alice", new SipAccount("sip:10.0.0.5", "alice", "auth-alice", "new-secret"));
        UserSipAccount updated = accounts.sipAccount(alice.id()).orElseThrow();
        assertThat(updated.account().digestUsername()).isEqualTo("auth-alice");
        assertThat(updated.account().password()).isEqualTo("new-secret");
        assertThat(updated.contactToken()).isEqualTo(stored.contactToken());
    }

    @Test
    void setSipAccount_storesThePasswordEncrypted_notInClear() throws SQLException {
        User alice = alice();
        accounts.setSipAccount("alice", new SipAccount("sip:pbx.example.com", "1001", null, "pbx-secret-Zq9"));

        String stored = queryString("SELECT sip_password FROM sip_accounts");
        assertThat(stored).startsWith("v1:").doesNotContain("pbx-secret-Zq9");
        assertThat(accounts.sipAccount(alice.id()).orElseThrow().account().password()).isEqualTo("pbx-secret-Zq9");
        // Another key cannot read it: the key, not the database, is the secret.
        AccountService otherKey = new AccountService(database(), clock, IDLE_TTL, TOKEN_TTL, PasswordHasher.forTests(),
                LIMITS, new SecretBox(SecretBox.randomKey()));
        assertThatThrownBy(() -> otherKey.sipAccount(alice.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret key").hasMessageNotContaining("v1:");
    }

    @Test
    void sealClearSipPasswords_encryptsARowWrittenInClearByAnOlderVersion_whichStaysReadable() throws SQLException {
        User alice = alice();
        try (Connection c = database().dataSource().getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO sip_accounts (user_id, registrar, sip_username,"
                     + " auth_username, sip_password, contact_token, updated_at) VALUES (?, 'sip:pbx.example.com', '1001',"
                     + " NULL, 'clear-old-secret', '0123456789abcdef01234567', CURRENT_TIMESTAMP)")) {
            st.setLong(1, alice.id());
            st.executeUpdate();
        }

        assertThat(accounts.sealClearSipPasswords()).isEqualTo(1);

        assertThat(queryString("SELECT sip_password FROM sip_accounts")).startsWith("v1:").doesNotContain("clear-old-secret");
        assertThat(accounts.sipAccount(alice.id()).orElseThrow().account().password()).isEqualTo("clear-old-secret");
        assertThat(accounts.sealClearSipPasswords()).isZero();
    }

    @Test
    void setSipAccount_null_removesIt_andDeletingTheUserRemovesIt() {
        User alice = alice();
        accounts.setSipAccount("alice", new SipAccount("sip:127.0.0.1:25060", "1001", null, "pbx-secret"));
        accounts.setSipAccount("alice", null);
        assertThat(accounts.sipAccount(alice.id())).isEmpty();

        accounts.setSipAccount("alice", new SipAccount("sip:127.0.0.1:25060", "1001", null, "pbx-secret"));
        String token = accounts.sipAccount(alice.id()).orElseThrow().contactToken();
        assertThat(accounts.deleteUser("alice")).isTrue();
        assertThat(accounts.sipAccountByContact(token)).isEmpty();
        assertThat(accounts.sipAccounts()).isEmpty();
    }

    @Test
    void setSipAccount_unknownUser_isNotFound() {
        assertThatThrownBy(() -> accounts.setSipAccount("nobody", new SipAccount("sip:pbx", "1001", null, "x")))
                .isInstanceOfSatisfying(AccountException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void sipAccount_rejectsBadFields_withTheFieldInTheMessage() {
        assertInvalid(() -> new SipAccount("http://pbx.example.com", "1001", null, "x"), "sip_account.registrar");
        assertInvalid(() -> new SipAccount("sip:1001@pbx.example.com", "1001", null, "x"), "no user part");
        assertInvalid(() -> new SipAccount("sip:pbx.example.com;transport=tls", "1001", null, "x"), "sip_account.registrar");
        assertInvalid(() -> new SipAccount("sip:pbx.example.com:70000", "1001", null, "x"), "port out of range");
        assertInvalid(() -> new SipAccount("sip:pbx", "a b", null, "x"), "sip_account.username");
        assertInvalid(() -> new SipAccount("sip:pbx", "1001", "bad<user>", "x"), "sip_account.auth_username");
        assertInvalid(() -> new SipAccount("sip:pbx", "1001", null, ""), "sip_account.password is required");
        assertInvalid(() -> new SipAccount("sip:pbx", "1001", null, "a\nb"), "control characters");
        assertInvalid(() -> new SipAccount("sip:pbx", "1001", null, "x".repeat(129)), "1-128");
    }

    @Test
    void sipAccount_toString_neverShowsThePassword() {
        SipAccount account = new SipAccount("sip:pbx", "1001", null, "pbx-secret-value");
        assertThat(account.toString()).doesNotContain("pbx-secret-value").contains("1001", "hidden");
        assertThat(new UserSipAccount(1, account, "t").toString()).doesNotContain("pbx-secret-value");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AccountException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT)).hasMessageContaining(message);
    }
}
