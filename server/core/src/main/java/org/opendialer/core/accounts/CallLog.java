package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.opendialer.media.quality.QualitySummary;

/**
 * Read side of the {@code calls} table (the admin API's call log). Writing rows belongs to the
 * call engine; this class lives beside the accounts because it shares their database and schema.
 */
public final class CallLog {

    public static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;

    public CallLog(Database db) {
        this.dataSource = db.dataSource();
    }

    /** Newest first; {@code limit} is clamped to 1..{@link #MAX_LIMIT}. */
    public List<CallRecord> recent(int limit) {
        return query("", null, limit);
    }

    /** One user's calls, newest first (the dialer's recent calls); {@code limit} clamped as above. */
    public List<CallRecord> recentOf(long userId, int limit) {
        return query(" WHERE c.user_id = ?", userId, limit);
    }

    /** The quality summary of call {@code callId}, or null when it has none (never answered, or unknown). */
    public QualitySummary quality(String callId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + CallQualityRows.COLUMNS
                     + " FROM call_quality q WHERE q.call_id = ?")) {
            st.setString(1, callId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? CallQualityRows.read(rs, 1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database error (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private List<CallRecord> query(String where, Long userId, int limit) {
        int rows = Math.max(1, Math.min(limit, MAX_LIMIT));
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT c.id, u.username, c.direction, c.state, c.result, c.from_number, c.to_number,"
                             + " c.caller_display_name, c.start_time, c.answer_time, c.end_time, c.end_reason, c.updated_at, "
                             + CallQualityRows.COLUMNS
                             + " FROM calls c LEFT JOIN users u ON u.id = c.user_id"
                             + " LEFT JOIN call_quality q ON q.call_id = c.id" + where
                             + " ORDER BY c.start_time DESC, c.id DESC FETCH FIRST " + rows + " ROWS ONLY")) {
            if (userId != null) {
                st.setLong(1, userId);
            }
            return read(st);
        } catch (SQLException e) {
            throw new IllegalStateException("database error (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static List<CallRecord> read(PreparedStatement st) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            List<CallRecord> calls = new ArrayList<>();
            while (rs.next()) {
                calls.add(new CallRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        AccountService.fromDb(rs, 9), AccountService.fromDb(rs, 10), AccountService.fromDb(rs, 11),
                        rs.getString(12), AccountService.fromDb(rs, 13), CallQualityRows.read(rs, 14)));
            }
            return calls;
        }
    }
}
