package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Table {@code user_call_waiting} (Flyway V5_5): users whose call waiting differs from DIALER_CALL_WAITING. */
public final class CallWaitingSettings {
    private final DataSource dataSource;

    public CallWaitingSettings(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The user's own setting, or empty for the gateway's. */
    public Optional<Boolean> find(long userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT enabled FROM user_call_waiting WHERE user_id = ?")) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read call waiting: " + e.getMessage(), e);
        }
    }

    /** Sets the user's own setting, or (with null) goes back to the gateway's. */
    public void set(long userId, Boolean enabled) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM user_call_waiting WHERE user_id = ?")) {
                del.setLong(1, userId);
                del.executeUpdate();
            }
            if (enabled != null) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO user_call_waiting (user_id, enabled) VALUES (?, ?)")) {
                    ins.setLong(1, userId);
                    ins.setBoolean(2, enabled);
                    ins.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store call waiting: " + e.getMessage(), e);
        }
    }
}
