package org.opendialer.core.calls;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.opendialer.media.quality.QualitySummary;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallQualityRows;
import org.opendialer.core.accounts.Database;

/**
 * Writes the {@code calls} table (read by {@link org.opendialer.core.accounts.CallLog}). Every state of a
 * call is saved as it happens, so the log is true after a crash too. Plain UPDATE-then-INSERT instead of
 * MERGE/ON CONFLICT: H2 and PostgreSQL spell upserts differently, and one engine thread writes each call,
 * so the two statements cannot race for the same id.
 */
public final class CallStore {
    private final DataSource dataSource;

    public CallStore(Database db) {
        this.dataSource = db.dataSource();
    }

    public void save(long userId, CallView call, Instant now) {
        try (Connection c = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement st = c.prepareStatement("UPDATE calls SET state = ?, result = ?, answer_time = ?,"
                    + " end_time = ?, end_reason = ?, updated_at = ?, seq = ? WHERE id = ?")) {
                st.setString(1, call.state().wire());
                st.setString(2, call.result() == null ? null : call.result().wire());
                st.setObject(3, toDb(call.answerTime()));
                st.setObject(4, toDb(call.endTime()));
                st.setString(5, call.endReason() == null ? null : call.endReason().wire());
                st.setObject(6, toDb(now));
                st.setLong(7, call.seq());
                st.setString(8, call.id());
                updated = st.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO calls (id, user_id, direction, state,"
                        + " result, from_number, to_number, caller_display_name, start_time, answer_time, end_time,"
                        + " end_reason, updated_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    st.setString(1, call.id());
                    st.setLong(2, userId);
                    st.setString(3, call.direction().wire());
                    st.setString(4, call.state().wire());
                    st.setString(5, call.result() == null ? null : call.result().wire());
                    st.setString(6, clip(call.from(), 64));
                    st.setString(7, clip(call.to(), 64));
                    st.setString(8, clip(call.callerDisplayName(), 200));
                    st.setObject(9, toDb(call.startTime()));
                    st.setObject(10, toDb(call.answerTime()));
                    st.setObject(11, toDb(call.endTime()));
                    st.setString(12, call.endReason() == null ? null : call.endReason().wire());
                    st.setObject(13, toDb(now));
                    st.setLong(14, call.seq());
                    st.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("call log write failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Stores {@code callId}'s quality summary at its end (docs/call-quality.md); once per call. */
    public void saveQuality(String callId, QualitySummary quality) {
        try (Connection c = dataSource.getConnection()) {
            CallQualityRows.insert(c, callId, quality);
        } catch (SQLException e) {
            throw new IllegalStateException("call quality write failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /**
     * Ends every call a previous run left unfinished (the gateway stopped without a clean shutdown):
     * its SIP dialogs died with the process. Each gets {@code gateway_restart} and one more {@code seq},
     * so a dialer that saw its last live state is sent this end once. Returns how many.
     */
    public int endUnfinished(Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE calls SET state = ?, result = CASE WHEN answer_time"
                     + " IS NULL THEN ? ELSE ? END, end_time = ?, end_reason = ?, updated_at = ?, seq = seq + 1 WHERE state <> ?")) {
            st.setString(1, CallState.DISCONNECTED.wire());
            st.setString(2, CallResult.NOT_ANSWERED.wire());
            st.setString(3, CallResult.ANSWERED.wire());
            st.setObject(4, toDb(now));
            st.setString(5, EndReason.GATEWAY_RESTART.wire());
            st.setObject(6, toDb(now));
            st.setString(7, CallState.DISCONNECTED.wire());
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("call log repair failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** The stored (last) state of {@code userId}'s call {@code callId}, if the log has it. */
    public Optional<CallView> find(long userId, String callId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT direction, state, result, from_number, to_number,"
                     + " caller_display_name, start_time, answer_time, end_time, end_reason, seq FROM calls"
                     + " WHERE id = ? AND user_id = ?")) {
            st.setString(1, callId);
            st.setLong(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String result = rs.getString(3);
                String endReason = rs.getString(10);
                return Optional.of(new CallView(callId, CallState.fromWire(rs.getString(2)),
                        wireEnum(CallDirection.values(), rs.getString(1), CallDirection::wire),
                        result == null ? null : wireEnum(CallResult.values(), result, CallResult::wire),
                        rs.getString(4), rs.getString(5), rs.getString(6), AccountService.fromDb(rs, 7),
                        AccountService.fromDb(rs, 8), AccountService.fromDb(rs, 9),
                        endReason == null ? null : EndReason.fromWire(endReason), rs.getLong(11)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("call log read failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static <E> E wireEnum(E[] values, String wire, java.util.function.Function<E, String> name) {
        for (E e : values) {
            if (name.apply(e).equals(wire)) {
                return e;
            }
        }
        throw new IllegalStateException("unknown value in the call log: " + wire);
    }

    private static OffsetDateTime toDb(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
