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
    /** Cluster mode: this node's name, stored with each call it holds; null for a single gateway. */
    private final String node;

    public CallStore(Database db) {
        this(db, null);
    }

    public CallStore(Database db, String node) {
        this.dataSource = db.dataSource();
        this.node = node;
    }

    /** This node's name in a cluster, or null. */
    public String node() {
        return node;
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
                        + " end_reason, updated_at, seq, node) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                    st.setString(15, node);
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
        // In a cluster the other nodes' live calls are theirs: only this node's (and a former single
        // gateway's, node NULL) are repaired here; ClusterNodes ends a dead node's.
        String mine = node == null ? "" : " AND (node = ? OR node IS NULL)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE calls SET state = ?, result = CASE WHEN answer_time"
                     + " IS NULL THEN ? ELSE ? END, end_time = ?, end_reason = ?, updated_at = ?, seq = seq + 1 WHERE state <> ?"
                     + mine)) {
            st.setString(1, CallState.DISCONNECTED.wire());
            st.setString(2, CallResult.NOT_ANSWERED.wire());
            st.setString(3, CallResult.ANSWERED.wire());
            st.setObject(4, toDb(now));
            st.setString(5, EndReason.GATEWAY_RESTART.wire());
            st.setObject(6, toDb(now));
            st.setString(7, CallState.DISCONNECTED.wire());
            if (node != null) {
                st.setString(8, node);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("call log repair failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** One call of a dead node, ended in the log: its user and its final state. */
    public record EndedCall(long userId, CallView view) {}

    /**
     * Cluster: ends the live calls of the dead node {@code deadNode} as {@code gateway_restart} (as its own
     * next start would) and returns them, so the dialers of their users that reconnected here are told.
     * Several survivors may run it at once: each row is ended by one of them (state is re-checked).
     */
    public java.util.List<EndedCall> endCallsOfNode(String deadNode, Instant now) {
        java.util.List<EndedCall> ended = new java.util.ArrayList<>();
        java.util.List<String[]> live = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = c.prepareStatement("SELECT id, user_id FROM calls WHERE node = ? AND state <> ?")) {
                st.setString(1, deadNode);
                st.setString(2, CallState.DISCONNECTED.wire());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        live.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2))});
                    }
                }
            }
            for (String[] row : live) {
                try (PreparedStatement st = c.prepareStatement("UPDATE calls SET state = ?, result = CASE WHEN"
                        + " answer_time IS NULL THEN ? ELSE ? END, end_time = ?, end_reason = ?, updated_at = ?,"
                        + " seq = seq + 1 WHERE id = ? AND state <> ?")) {
                    st.setString(1, CallState.DISCONNECTED.wire());
                    st.setString(2, CallResult.NOT_ANSWERED.wire());
                    st.setString(3, CallResult.ANSWERED.wire());
                    st.setObject(4, toDb(now));
                    st.setString(5, EndReason.GATEWAY_RESTART.wire());
                    st.setObject(6, toDb(now));
                    st.setString(7, row[0]);
                    st.setString(8, CallState.DISCONNECTED.wire());
                    if (st.executeUpdate() == 1) {
                        long userId = Long.parseLong(row[1]);
                        find(userId, row[0]).ifPresent(v -> ended.add(new EndedCall(userId, v)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("ending a dead node's calls failed (SQLState " + e.getSQLState() + ")", e);
        }
        return ended;
    }

    /**
     * Cluster: the node holding a live call of {@code userId}, other than this one, whose heartbeat is newer
     * than {@code aliveSince}; empty when none (or for a single gateway).
     */
    public Optional<String> liveCallNode(long userId, Instant aliveSince) {
        if (node == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT c.node FROM calls c JOIN cluster_nodes n ON n.name = c.node"
                     + " WHERE c.user_id = ? AND c.state <> ? AND c.node <> ? AND n.heartbeat_at > ?"
                     + " ORDER BY c.start_time DESC")) {
            st.setLong(1, userId);
            st.setString(2, CallState.DISCONNECTED.wire());
            st.setString(3, node);
            st.setObject(4, toDb(aliveSince));
            st.setMaxRows(1);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("call log read failed (SQLState " + e.getSQLState() + ")", e);
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
