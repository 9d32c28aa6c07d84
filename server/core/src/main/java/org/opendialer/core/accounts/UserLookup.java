package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * One user by id, extension, number or what a caller dialed: each a single-row query on a unique index
 * (the primary key, {@code users_extension_key}, {@code users_phone_number_key}), so the cost of routing
 * a call does not grow with the number of users. Numbers are stored in E.164 ({@link AccountRules#number}),
 * so "the same number" is the stored "+digits" and needs no normalised column.
 */
final class UserLookup {
    /** What {@code CallerIdentity} accepts as a number: "+" optional, then up to 15 digits. */
    private static final Pattern DIALED_NUMBER = Pattern.compile("\\+*[0-9]{1,15}");
    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,6}");

    private final DataSource dataSource;

    UserLookup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<User> byId(long id) {
        return one("u.id = ?", st -> st.setLong(1, id));
    }

    Optional<User> byExtension(String extension) {
        if (extension == null || !EXTENSION.matcher(extension).matches()) {
            return Optional.empty(); // cannot be stored (AccountRules.extension): no query
        }
        return one("u.extension = ?", st -> st.setString(1, extension));
    }

    /**
     * The user whose number is {@code dialed} compared by digits, "+" or not (trunks differ on the "+"):
     * "14155550123" and "+14155550123" both find "+14155550123".
     */
    Optional<User> byNumber(String dialed) {
        if (dialed == null || !DIALED_NUMBER.matcher(dialed).matches()) {
            return Optional.empty();
        }
        String e164 = "+" + dialed.replace("+", "");
        return one("u.phone_number = ?", st -> st.setString(1, e164));
    }

    /** The user a call to {@code dialed} is for: the one with that extension, else the one with that number. */
    Optional<User> forDialed(String dialed) {
        return byExtension(dialed).or(() -> byNumber(dialed));
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private Optional<User> one(String where, Binder binder) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + AccountService.USER_COLUMNS + " FROM users u WHERE " + where)) {
            binder.bind(st);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(AccountService.readUser(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database error (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
