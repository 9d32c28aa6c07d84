package org.opendialer.core.accounts;

import org.opendialer.core.logging.LogText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.opendialer.core.accounts.AccountException.Reason;
import org.opendialer.core.limits.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users, password sign-in, admin-minted sign-in tokens and sliding sessions.
 * Every time comes from the injected {@link Clock}. Passwords and tokens are never logged.
 */
public final class AccountService {

    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
    static final String USER_COLUMNS = "u.id, u.username, u.display_name, u.extension, u.phone_number, u.created_at";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_TRACKED_ADDRESSES = 100_000;

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration sessionIdleTtl;
    private final Duration signInTokenTtl;
    private final PasswordHasher hasher;
    private final SignInThrottle throttle;
    private final RateLimiter perAddress;
    private final RateLimiter global;
    private final PasswordChecks checks;
    private final SecretBox secrets;
    /** Verified against when the username is unknown, so unknown and known users cost the same time. */
    private final String decoyHash;
    private final UserLookup lookup;

    public AccountService(Database db, Clock clock, Duration sessionIdleTtl, Duration signInTokenTtl) {
        this(db, clock, sessionIdleTtl, signInTokenTtl, PasswordHasher.DEFAULT);
    }

    public AccountService(Database db, Clock clock, Duration sessionIdleTtl, Duration signInTokenTtl, PasswordHasher hasher) {
        this(db, clock, sessionIdleTtl, signInTokenTtl, hasher, SignInLimits.DEFAULTS);
    }

    /** PBX passwords are sealed with a per-process key ({@link SecretBox#processKey()}): tests and tools. */
    public AccountService(Database db, Clock clock, Duration sessionIdleTtl, Duration signInTokenTtl, PasswordHasher hasher,
                          SignInLimits limits) {
        this(db, clock, sessionIdleTtl, signInTokenTtl, hasher, limits, SecretBox.processKey());
    }

    public AccountService(Database db, Clock clock, Duration sessionIdleTtl, Duration signInTokenTtl, PasswordHasher hasher,
                          SignInLimits limits, SecretBox secrets) {
        if (sessionIdleTtl.isNegative() || sessionIdleTtl.isZero() || signInTokenTtl.isNegative() || signInTokenTtl.isZero()) {
            throw new IllegalArgumentException("TTLs must be positive");
        }
        this.dataSource = db.dataSource();
        this.clock = clock;
        this.sessionIdleTtl = sessionIdleTtl;
        this.signInTokenTtl = signInTokenTtl;
        this.hasher = hasher;
        this.throttle = new SignInThrottle(clock, limits.lockoutFailures(), limits.lockout());
        this.perAddress = new RateLimiter(clock, limits.perAddressPerMinute(), MAX_TRACKED_ADDRESSES);
        this.global = new RateLimiter(clock, limits.globalPerMinute(), 1);
        this.checks = new PasswordChecks(hasher, limits.passwordCheckThreads());
        this.secrets = secrets;
        this.decoyHash = hasher.hash(SecretTokens.generate());
        this.lookup = new UserLookup(dataSource);
    }

    public User createUser(NewUser u) {
        String username = AccountRules.username(u.username());
        String password = AccountRules.password(u.password());
        String displayName = AccountRules.displayName(isBlank(u.displayName()) ? username : u.displayName());
        String extension = AccountRules.extension(u.extension());
        String number = isBlank(u.number()) ? null : AccountRules.number(u.number());
        String hash = hasher.hash(password);
        Instant now = now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO users (username, display_name, extension, phone_number, password_hash, created_at, updated_at)"
                             + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, username);
            st.setString(2, displayName);
            st.setString(3, extension);
            st.setString(4, number);
            st.setString(5, hash);
            st.setObject(6, toDb(now));
            st.setObject(7, toDb(now));
            st.executeUpdate();
        } catch (SQLException e) {
            throw translate(e);
        }
        LOG.info("created user {}", username);
        return findUser(username).orElseThrow(() -> new IllegalStateException("user vanished after insert"));
    }

    public List<User> listUsers() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users u ORDER BY u.username");
             ResultSet rs = st.executeQuery()) {
            List<User> users = new ArrayList<>();
            while (rs.next()) {
                users.add(readUser(rs));
            }
            return users;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** The user with this id (one indexed query; calls and PBX contacts carry user ids). */
    public Optional<User> findUserById(long id) {
        return lookup.byId(id);
    }

    /** The user with this extension, if any (one indexed query). */
    public Optional<User> findUserByExtension(String extension) {
        return lookup.byExtension(extension);
    }

    /** The user whose number this is, compared by digits ("+" or not), if any (one indexed query). */
    public Optional<User> findUserByNumber(String dialed) {
        return lookup.byNumber(dialed);
    }

    /** The user a call to {@code dialed} is for: by extension, else by number (at most two indexed queries). */
    public Optional<User> findUserForDialed(String dialed) {
        return lookup.forDialed(dialed);
    }

    public Optional<User> findUser(String username) {
        if (username == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users u WHERE u.username = ?")) {
            st.setString(1, username);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(readUser(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    public User updateUser(String username, UserUpdate update) {
        if (update.clearNumber() && update.number() != null) {
            throw new AccountException(Reason.INVALID_INPUT, "number cannot be both set and cleared");
        }
        String password = update.password() == null ? null : AccountRules.password(update.password());
        String displayName = update.displayName() == null ? null : AccountRules.displayName(update.displayName());
        String extension = update.extension() == null ? null : AccountRules.extension(update.extension());
        String number = update.number() == null ? null : AccountRules.number(update.number());
        String hash = password == null ? null : hasher.hash(password);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = lockUserId(c, username);
                // COALESCE keeps a column when its parameter is NULL; the number has an explicit clear flag.
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE users SET display_name = COALESCE(?, display_name), extension = COALESCE(?, extension),"
                                + " password_hash = COALESCE(?, password_hash),"
                                + " phone_number = CASE WHEN ? THEN NULL ELSE COALESCE(?, phone_number) END,"
                                + " updated_at = ? WHERE id = ?")) {
                    st.setString(1, displayName);
                    st.setString(2, extension);
                    st.setString(3, hash);
                    st.setBoolean(4, update.clearNumber());
                    st.setString(5, number);
                    st.setObject(6, toDb(now()));
                    st.setLong(7, id);
                    st.executeUpdate();
                }
                if (hash != null) {
                    // A password reset is often the answer to a compromise: end every existing session and
                    // void every sign-in token minted before it.
                    deleteWhereUser(c, "sessions", id);
                    deleteWhereUser(c, "sign_in_tokens", id);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        LOG.info("updated user {}{}", username, hash != null ? " (password changed, sessions and sign-in tokens revoked)" : "");
        return findUser(username).orElseThrow(() -> notFound(username));
    }

    /**
     * Sets (or, with null, removes) the user's PBX account. The contact token is kept while the account
     * exists and created with it. The password is stored sealed with the gateway's secret key (digest
     * needs the password itself, so it is encrypted, not hashed) and never logged.
     */
    public void setSipAccount(String username, SipAccount account) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = lockUserId(c, username);
                if (account == null) {
                    try (PreparedStatement st = c.prepareStatement("DELETE FROM sip_accounts WHERE user_id = ?")) {
                        st.setLong(1, id);
                        st.executeUpdate();
                    }
                } else {
                    int updated;
                    try (PreparedStatement st = c.prepareStatement("UPDATE sip_accounts SET registrar = ?,"
                            + " sip_username = ?, auth_username = ?, sip_password = ?, updated_at = ? WHERE user_id = ?")) {
                        st.setString(1, account.registrar());
                        st.setString(2, account.username());
                        st.setString(3, account.authUsername());
                        st.setString(4, secrets.seal(account.password(), id));
                        st.setObject(5, toDb(now()));
                        st.setLong(6, id);
                        updated = st.executeUpdate();
                    }
                    if (updated == 0) {
                        try (PreparedStatement st = c.prepareStatement("INSERT INTO sip_accounts (user_id, registrar,"
                                + " sip_username, auth_username, sip_password, contact_token, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                            st.setLong(1, id);
                            st.setString(2, account.registrar());
                            st.setString(3, account.username());
                            st.setString(4, account.authUsername());
                            st.setString(5, secrets.seal(account.password(), id));
                            st.setString(6, SecretTokens.contactToken());
                            st.setObject(7, toDb(now()));
                            st.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        if (account == null) {
            LOG.info("removed the PBX account of user {}", username);
        } else {
            LOG.info("set the PBX account of user {}: {} at {}", username, account.username(), account.registrar());
        }
    }

    /** The user's PBX account, if any. */
    public Optional<UserSipAccount> sipAccount(long userId) {
        return sipAccounts("WHERE user_id = ?", st -> st.setLong(1, userId)).stream().findFirst();
    }

    /** The PBX account whose registered Contact has this user part, if any. */
    public Optional<UserSipAccount> sipAccountByContact(String contactToken) {
        if (contactToken == null || contactToken.length() != SecretTokens.CONTACT_TOKEN_LENGTH) {
            return Optional.empty();
        }
        return sipAccounts("WHERE contact_token = ?", st -> st.setString(1, contactToken)).stream().findFirst();
    }

    /** Every user's PBX account. */
    public List<UserSipAccount> sipAccounts() {
        return sipAccounts("", st -> { });
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private List<UserSipAccount> sipAccounts(String where, Binder binder) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT user_id, registrar, sip_username, auth_username,"
                     + " sip_password, contact_token FROM sip_accounts " + where + " ORDER BY user_id")) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                List<UserSipAccount> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(new UserSipAccount(rs.getLong(1),
                            new SipAccount(rs.getString(2), rs.getString(3), rs.getString(4),
                                    secrets.open(rs.getString(5), rs.getLong(1))),
                            rs.getString(6)));
                }
                return list;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Seals every PBX password still stored in clear (rows written before V4_6); run once at start-up,
     * after the migrations. Returns how many rows it sealed.
     */
    public int sealClearSipPasswords() {
        int sealed = 0;
        try (Connection c = dataSource.getConnection()) {
            List<Long> ids = new ArrayList<>();
            List<String> clear = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT user_id, sip_password FROM sip_accounts WHERE sip_password NOT LIKE ?")) {
                st.setString(1, SecretBox.PREFIX + "%");
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        clear.add(rs.getString(2));
                    }
                }
            }
            for (int i = 0; i < ids.size(); i++) {
                long id = ids.get(i);
                // Only a row that is still the clear value read above is replaced (a concurrent change wins).
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE sip_accounts SET sip_password = ? WHERE user_id = ? AND sip_password = ?")) {
                    st.setString(1, secrets.seal(clear.get(i), id));
                    st.setLong(2, id);
                    st.setString(3, clear.get(i));
                    sealed += st.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        if (sealed > 0) {
            LOG.info("encrypted {} PBX account password(s) stored in clear by an earlier version", sealed);
        }
        return sealed;
    }

    /** Deletes the user; its sessions and unused sign-in tokens go with it (ON DELETE CASCADE). */
    public boolean deleteUser(String username) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
            st.setString(1, username);
            boolean deleted = st.executeUpdate() == 1;
            if (deleted) {
                LOG.info("deleted user {}", username);
            }
            return deleted;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    public boolean hasUsers() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM users FETCH FIRST 1 ROWS ONLY");
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Empty for a wrong password and an unknown user alike (both cost one Argon2 verification, so the
     * timing does not tell them apart). Before any hashing, the attempt must pass the per-address and
     * global rate limits and its (username, address) pair must not be locked, and the bounded pool of
     * password checks must have room; otherwise it fails at once with {@link Reason#RATE_LIMITED}.
     * Waits for the check: callers that must not wait (a WebSocket's reader) use {@link #signInAsync}.
     */
    public Optional<Session> signIn(String username, String password, String clientAddress) {
        try {
            return signInAsync(username, password, clientAddress).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * {@link #signIn} without waiting: the limits are checked on the caller's thread (a refusal throws
     * {@link AccountException} at once, before any hashing); the password is then checked on the bounded
     * pool, and the future completes there with the session or empty, or fails with an
     * {@link AccountException} {@link Reason#RATE_LIMITED} when the check was not done in time.
     */
    public CompletableFuture<Optional<Session>> signInAsync(String username, String password,
                                                                                String clientAddress) {
        if (username == null || password == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String address = clientAddress == null ? "" : clientAddress;
        refuseIfWaiting(perAddress.tryAcquire(address), "from your address");
        refuseIfWaiting(global.tryAcquire(""), "on this gateway");
        if (username.length() > 64 || password.length() > 1024) {
            // Cannot match any account: no hash, and not counted, so oversized keys never enter the throttle.
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<Duration> locked = throttle.lockedFor(username, address);
        if (locked.isPresent()) {
            LOG.warn("sign-in for {} from {} refused: locked after repeated wrong passwords", LogText.printable(username), address);
            throw rateLimited(locked.get(), "for this username from your address");
        }
        Optional<StoredCredentials> stored = loadCredentials(username);
        CompletableFuture<Boolean> check;
        try {
            check = checks.verify(address, password, stored.map(StoredCredentials::hash).orElse(decoyHash));
        } catch (PasswordChecks.Busy e) {
            throw busy(username, address, e);
        }
        CompletableFuture<Optional<Session>> session = check.handle((correct, failure) -> {
            if (failure != null) {
                PasswordChecks.Busy busy = PasswordChecks.busy(failure);
                if (busy != null) {
                    throw busy(username, address, busy);
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
            if (stored.isEmpty() || !correct) {
                throttle.recordFailure(username, address);
                LOG.info("sign-in for {} from {} failed", LogText.printable(username), address);
                return Optional.empty();
            }
            throttle.recordSuccess(username, address);
            purgeExpired();
            return Optional.of(createSession(stored.get().userId(), clientAddress));
        });
        return session;
    }

    private static AccountException busy(String username, String address, PasswordChecks.Busy e) {
        LOG.warn("sign-in for {} from {} refused: {}", LogText.printable(username), address, e.getMessage());
        return rateLimited(Duration.ofSeconds(1), e.thisAddress ? "from your address" : "on this gateway");
    }

    private static void refuseIfWaiting(Duration wait, String scope) {
        if (!wait.isZero()) {
            throw rateLimited(wait, scope);
        }
    }

    private static AccountException rateLimited(Duration wait, String scope) {
        return new AccountException(Reason.RATE_LIMITED, "Too many sign-in attempts " + scope + ". Try again in "
                + RateLimiter.seconds(wait) + " s.", wait);
    }

    public SignInToken mintSignInToken(String username) {
        User user = findUser(username).orElseThrow(() -> notFound(username));
        String token = SecretTokens.generate();
        Instant now = now();
        Instant expiresAt = now.plus(signInTokenTtl);
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO sign_in_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            st.setString(1, SecretTokens.hash(token));
            st.setLong(2, user.id());
            st.setObject(3, toDb(now));
            st.setObject(4, toDb(expiresAt));
            st.executeUpdate();
        } catch (SQLException e) {
            throw translate(e);
        }
        LOG.info("minted a sign-in token for {} valid until {}", username, expiresAt);
        return new SignInToken(token, expiresAt);
    }

    /** Single use: the token row is deleted by the first attempt that finds it, expired or not. */
    public Optional<Session> signInWithToken(String token, String clientAddress) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        String tokenHash = SecretTokens.hash(token);
        long userId;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Instant expiresAt;
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT user_id, expires_at FROM sign_in_tokens WHERE token_hash = ?")) {
                    st.setString(1, tokenHash);
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            return Optional.empty();
                        }
                        userId = rs.getLong(1);
                        expiresAt = fromDb(rs, 2);
                    }
                }
                int deleted;
                try (PreparedStatement st = c.prepareStatement("DELETE FROM sign_in_tokens WHERE token_hash = ?")) {
                    st.setString(1, tokenHash);
                    deleted = st.executeUpdate();
                }
                c.commit();
                // Only the transaction that actually deleted the row may use it (two concurrent uses race here).
                if (deleted != 1 || !now().isBefore(expiresAt)) {
                    return Optional.empty();
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
        return Optional.of(createSession(userId, clientAddress));
    }

    /** Sliding renewal: a live session's expiry moves to now + idle TTL; the token stays the same. */
    public Optional<Session> resume(String sessionToken) {
        if (sessionToken == null || sessionToken.isEmpty() || sessionToken.length() > 256) {
            return Optional.empty();
        }
        String tokenHash = SecretTokens.hash(sessionToken);
        Instant now = now();
        Instant expiresAt = now.plus(sessionIdleTtl);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at > ?")) {
                st.setObject(1, toDb(expiresAt));
                st.setString(2, tokenHash);
                st.setObject(3, toDb(now));
                if (st.executeUpdate() != 1) {
                    // Expired: remove it, so that a clock stepping back cannot revive it.
                    try (PreparedStatement delete = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                        delete.setString(1, tokenHash);
                        delete.executeUpdate();
                    }
                    return Optional.empty();
                }
            }
            try (PreparedStatement st = c.prepareStatement("SELECT " + USER_COLUMNS
                    + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?")) {
                st.setString(1, tokenHash);
                try (ResultSet rs = st.executeQuery()) {
                    // The user may have been deleted between the two statements.
                    return rs.next() ? Optional.of(new Session(sessionToken, expiresAt, readUser(rs))) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    public void signOut(String sessionToken) {
        if (sessionToken == null || sessionToken.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
            st.setString(1, SecretTokens.hash(sessionToken));
            st.executeUpdate();
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Removes expired sessions and sign-in tokens; called on each successful sign-in. */
    public void purgeExpired() {
        try (Connection c = dataSource.getConnection()) {
            for (String table : List.of("sessions", "sign_in_tokens")) {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at <= ?")) {
                    st.setObject(1, toDb(now()));
                    st.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private Session createSession(long userId, String clientAddress) {
        String token = SecretTokens.generate();
        Instant now = now();
        Instant expiresAt = now.plus(sessionIdleTtl);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO sessions (token_hash, user_id, client_address, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                st.setString(1, SecretTokens.hash(token));
                st.setLong(2, userId);
                st.setString(3, clientAddress == null || clientAddress.length() > 100 ? null : clientAddress);
                st.setObject(4, toDb(now));
                st.setObject(5, toDb(expiresAt));
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = ?")) {
                st.setLong(1, userId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("session created for a missing user");
                    }
                    User user = readUser(rs);
                    LOG.info("signed in {} from {}", user.username(), clientAddress);
                    return new Session(token, expiresAt, user);
                }
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private record StoredCredentials(long userId, String hash) {}

    private Optional<StoredCredentials> loadCredentials(String username) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT id, password_hash FROM users WHERE username = ?")) {
            st.setString(1, username);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new StoredCredentials(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static long lockUserId(Connection c, String username) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM users WHERE username = ? FOR UPDATE")) {
            st.setString(1, username);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(username);
                }
                return rs.getLong(1);
            }
        }
    }

    private static void deleteWhereUser(Connection c, String table, long userId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM " + table + " WHERE user_id = ?")) {
            st.setLong(1, userId);
            st.executeUpdate();
        }
    }

    static User readUser(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), fromDb(rs, 6));
    }

    /** PostgreSQL keeps microseconds; millisecond precision makes stored and returned instants equal everywhere. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static OffsetDateTime toDb(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant fromDb(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static AccountException notFound(String username) {
        return new AccountException(Reason.NOT_FOUND, "no such user: " + username);
    }

    /** Unique violations become typed duplicates; anything else is a storage failure, not the caller's fault. */
    private static RuntimeException translate(SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("users_username_key")) {
                return new AccountException(Reason.DUPLICATE_USERNAME, "username already exists");
            }
            if (message.contains("users_extension_key")) {
                return new AccountException(Reason.DUPLICATE_EXTENSION, "extension already in use");
            }
            if (message.contains("users_phone_number_key")) {
                return new AccountException(Reason.DUPLICATE_NUMBER, "number already in use");
            }
        }
        return new IllegalStateException("database error (SQLState " + e.getSQLState() + ")", e);
    }

    /** Users' exceptions to the destination policy (admin API {@code destination_policy}). */
    public DestinationOverrides destinationOverrides() {
        return new DestinationOverrides(dataSource);
    }

    /** Users who withhold their caller ID on trunk calls (admin API {@code withhold_caller_id}). */
    public CallerIdPrivacy callerIdPrivacy() {
        return new CallerIdPrivacy(dataSource);
    }
}
