package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Table {@code destination_policies} (Flyway V4_1): users' exceptions to the destination policy. */
public final class DestinationOverrides {
    private final DataSource dataSource;

    public DestinationOverrides(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<DestinationOverride> find(long userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT allow_premium, allowed_countries FROM destination_policies WHERE user_id = ?")) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String countries = rs.getString(2);
                Set<String> set = countries == null || countries.isEmpty() ? Set.of()
                        : Arrays.stream(countries.split(",")).collect(Collectors.toSet());
                return Optional.of(new DestinationOverride(rs.getBoolean(1), set));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read destination policy: " + e.getMessage(), e);
        }
    }

    /** Sets or (with null) removes the user's override. */
    public void set(long userId, DestinationOverride override) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM destination_policies WHERE user_id = ?")) {
                del.setLong(1, userId);
                del.executeUpdate();
            }
            if (override != null) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO destination_policies (user_id, allow_premium, allowed_countries) VALUES (?, ?, ?)")) {
                    ins.setLong(1, userId);
                    ins.setBoolean(2, override.allowPremium());
                    ins.setString(3, override.countriesText());
                    ins.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store destination policy: " + e.getMessage(), e);
        }
    }
}
