package org.opendialer.app.webhooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.opendialer.core.accounts.Database;

/**
 * The {@code webhook_outbox} table: the queue of webhook deliveries. Rows are written on the engine
 * thread as call states are saved, and read and updated by the dispatcher; nothing waits in memory,
 * so an endpoint that is down for a day costs rows, not heap. SQL is the portable subset H2 and
 * PostgreSQL share.
 */
public final class WebhookOutbox {
    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    private final DataSource dataSource;

    public WebhookOutbox(Database db) {
        this.dataSource = db.dataSource();
    }

    /** One delivery as the dispatcher and the admin API see it. */
    public record Delivery(long id, String messageId, String callId, String type, String payload, String status,
                           int attempts, Instant createdAt, Instant nextAttemptAt, Instant lastAttemptAt,
                           String lastError) {}

    /** The user fields a webhook carries, or null when the user is gone. */
    record UserFields(String username, String extension, String number) {}

    UserFields user(long userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT username, extension, phone_number FROM users WHERE id = ?")) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new UserFields(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        } catch (SQLException e) {
            throw failure("read a user", e);
        }
    }

    void add(String messageId, String callId, String type, String payload, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO webhook_outbox (message_id, call_id, event_type,"
                     + " payload, status, attempts, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)")) {
            st.setString(1, messageId);
            st.setString(2, callId);
            st.setString(3, type);
            st.setString(4, payload);
            st.setString(5, PENDING);
            st.setObject(6, db(now));
            st.setObject(7, db(now));
            st.executeUpdate();
        } catch (SQLException e) {
            throw failure("queue a webhook", e);
        }
    }

    /**
     * Pending deliveries due by {@code now}, oldest first, at most {@code limit}; only the oldest pending
     * one of each call, so that a call's events go out in order (a later one waits for the earlier).
     */
    List<Delivery> due(Instant now, int limit) {
        return select(" WHERE o.status = ? AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM webhook_outbox p"
                + " WHERE p.call_id = o.call_id AND p.id < o.id AND p.status = ?) ORDER BY o.id FETCH FIRST ? ROWS ONLY",
                st -> {
                    st.setString(1, PENDING);
                    st.setObject(2, db(now));
                    st.setString(3, PENDING);
                    st.setInt(4, limit);
                });
    }

    /** Deliveries that wait or failed, oldest first ({@code status} null for both). */
    public List<Delivery> undelivered(String status, int limit) {
        if (status == null) {
            return select(" WHERE o.status <> ? ORDER BY o.id FETCH FIRST ? ROWS ONLY", st -> {
                st.setString(1, DELIVERED);
                st.setInt(2, limit);
            });
        }
        return select(" WHERE o.status = ? ORDER BY o.id FETCH FIRST ? ROWS ONLY", st -> {
            st.setString(1, status);
            st.setInt(2, limit);
        });
    }

    /** Delivered rows with {@code callId}, for tests and support. */
    public List<Delivery> ofCall(String callId) {
        return select(" WHERE o.call_id = ? ORDER BY o.id", st -> st.setString(1, callId));
    }

    void delivered(long id, Instant now) {
        update("UPDATE webhook_outbox SET status = ?, attempts = attempts + 1, last_attempt_at = ?, delivered_at = ?,"
                + " last_error = NULL WHERE id = ?", st -> {
                    st.setString(1, DELIVERED);
                    st.setObject(2, db(now));
                    st.setObject(3, db(now));
                    st.setLong(4, id);
                });
    }

    /** A failed attempt: retried at {@code next}, or marked failed when {@code next} is null. */
    void attemptFailed(long id, Instant now, Instant next, String error) {
        update("UPDATE webhook_outbox SET status = ?, attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ?,"
                + " last_error = ? WHERE id = ?", st -> {
                    st.setString(1, next == null ? FAILED : PENDING);
                    st.setObject(2, db(now));
                    st.setObject(3, db(next == null ? now : next));
                    st.setString(4, error.length() > 300 ? error.substring(0, 300) : error);
                    st.setLong(5, id);
                });
    }

    /**
     * Puts a failed or waiting delivery back in the queue for now, with a fresh retry window; false when no
     * undelivered delivery has that id.
     */
    public boolean retry(String messageId, Instant now) {
        return update("UPDATE webhook_outbox SET status = ?, attempts = 0, created_at = ?, next_attempt_at = ?"
                + " WHERE message_id = ? AND status <> ?", st -> {
                    st.setString(1, PENDING);
                    st.setObject(2, db(now));
                    st.setObject(3, db(now));
                    st.setString(4, messageId);
                    st.setString(5, DELIVERED);
                }) > 0;
    }

    /** Every failed delivery back in the queue; returns how many. */
    public int retryFailed(Instant now) {
        return update("UPDATE webhook_outbox SET status = ?, attempts = 0, created_at = ?, next_attempt_at = ?"
                + " WHERE status = ?", st -> {
                    st.setString(1, PENDING);
                    st.setObject(2, db(now));
                    st.setObject(3, db(now));
                    st.setString(4, FAILED);
                });
    }

    /** Every waiting delivery due now: at a start, what waited for a backoff is tried at once. Returns how many. */
    int allDue(Instant now) {
        return update("UPDATE webhook_outbox SET next_attempt_at = ? WHERE status = ? AND next_attempt_at > ?", st -> {
            st.setObject(1, db(now));
            st.setString(2, PENDING);
            st.setObject(3, db(now));
        });
    }

    /** Deliveries waiting (first attempt or retry). */
    public int pendingCount() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM webhook_outbox WHERE status = ?")) {
            st.setString(1, PENDING);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw failure("count webhooks", e);
        }
    }

    /** Forgets delivered rows older than {@code keep}. */
    void prune(Instant now, Duration keep) {
        update("DELETE FROM webhook_outbox WHERE status = ? AND delivered_at < ?", st -> {
            st.setString(1, DELIVERED);
            st.setObject(2, db(now.minus(keep)));
        });
    }

    /**
     * Calls that have webhook rows but no call.ended, and have ended in the call log: the gateway stopped
     * (crash, SIGKILL) before their end was queued, and the restart repair ended them. 
     */
    List<CallRef> endedWithoutEvent() {
        List<CallRef> calls = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT c.user_id, c.id FROM calls c WHERE c.state = ?"
                     + " AND c.user_id IS NOT NULL"
                     + " AND EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.call_id = c.id)"
                     + " AND NOT EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.call_id = c.id AND o.event_type = ?)")) {
            st.setString(1, "disconnected");
            st.setString(2, WebhookEvents.ENDED);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    calls.add(new CallRef(rs.getLong(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw failure("find calls ended by a restart", e);
        }
        return calls;
    }

    record CallRef(long userId, String callId) {}

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private List<Delivery> select(String where, Binder binder) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT o.id, o.message_id, o.call_id, o.event_type, o.payload,"
                     + " o.status, o.attempts, o.created_at, o.next_attempt_at, o.last_attempt_at, o.last_error"
                     + " FROM webhook_outbox o" + where)) {
            binder.bind(st);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), instant(rs, 8), instant(rs, 9),
                            instant(rs, 10), rs.getString(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read webhooks", e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw failure("update webhooks", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime db(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("webhook outbox: cannot " + what + " (SQLState " + e.getSQLState() + ")", e);
    }
}
