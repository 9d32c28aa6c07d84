package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Table {@code caller_id_withheld} (Flyway V5_3): users whose calls to the trunk withhold their number (RFC 3323:
 * anonymous From, {@code Privacy: id}), whatever DIALER_SIP_CALLER_ID presents for everyone else.
 */
public final class CallerIdPrivacy {
    private final DataSource dataSource;

    public CallerIdPrivacy(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean isWithheld(long userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM caller_id_withheld WHERE user_id = ?")) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read caller ID privacy: " + e.getMessage(), e);
        }
    }

    public void setWithheld(long userId, boolean withheld) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM caller_id_withheld WHERE user_id = ?")) {
                del.setLong(1, userId);
                del.executeUpdate();
            }
            if (withheld) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO caller_id_withheld (user_id) VALUES (?)")) {
                    ins.setLong(1, userId);
                    ins.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store caller ID privacy: " + e.getMessage(), e);
        }
    }
}
