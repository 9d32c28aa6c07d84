package org.opendialer.core.calls;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.opendialer.core.accounts.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership in the shared database ({@code cluster_nodes}, Flyway V5_8): this node writes a
 * heartbeat every {@link #HEARTBEAT}; a node whose heartbeat is older than {@link #DEAD_AFTER} is dead
 * (SIGKILL, host lost), and every survivor ends its live calls in the call log as {@code gateway_restart}
 * ({@link CallEngine#endCallsOfNode}) and removes its row. Several survivors may do it at once: each
 * call is ended once. A clean stop removes the node's own row. Clocks of the nodes are assumed in step
 * (NTP): the bound is seconds, not milliseconds.
 */
public final class ClusterNodes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNodes.class);
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    public static final Duration DEAD_AFTER = Duration.ofSeconds(8);

    private final DataSource dataSource;
    private final CallEngine engine;
    private final CallStore store;
    private final String node;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opendialer-cluster");
        t.setDaemon(true);
        return t;
    });

    public ClusterNodes(Database db, CallEngine engine, CallStore store, String node, Clock clock) {
        this.dataSource = db.dataSource();
        this.engine = engine;
        this.store = store;
        this.node = node;
        this.clock = clock;
    }

    /** Writes the first heartbeat (a failure here fails the start), then keeps beating and reaping. */
    public void start() {
        beat();
        timer.scheduleWithFixedDelay(this::tick, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The live node (not this one) holding a live call of {@code userId}, if any: where its dialers belong. */
    public Optional<String> nodeOfLiveCall(long userId) {
        return store.liveCallNode(userId, clock.instant().minus(DEAD_AFTER));
    }

    public String node() {
        return node;
    }

    private void tick() {
        try {
            beat();
            for (String dead : deadNodes()) {
                int ended = engine.endCallsOfNode(dead);
                forget(dead);
                LOG.warn("node {} stopped beating for {} s: {} of its call(s) ended as gateway_restart", dead,
                        DEAD_AFTER.toSeconds(), ended);
            }
        } catch (RuntimeException e) {
            LOG.error("cluster heartbeat failed: {}", e.toString());
        }
    }

    private void beat() {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement st = c.prepareStatement("UPDATE cluster_nodes SET heartbeat_at = ? WHERE name = ?")) {
                st.setObject(1, toDb(now));
                st.setString(2, node);
                updated = st.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement st = c.prepareStatement(
                        "INSERT INTO cluster_nodes (name, started_at, heartbeat_at) VALUES (?, ?, ?)")) {
                    st.setString(1, node);
                    st.setObject(2, toDb(now));
                    st.setObject(3, toDb(now));
                    st.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cluster heartbeat write failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private List<String> deadNodes() {
        List<String> dead = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT name FROM cluster_nodes WHERE heartbeat_at < ? AND name <> ?")) {
            st.setObject(1, toDb(clock.instant().minus(DEAD_AFTER)));
            st.setString(2, node);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    dead.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cluster read failed (SQLState " + e.getSQLState() + ")", e);
        }
        return dead;
    }

    private void forget(String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM cluster_nodes WHERE name = ? AND heartbeat_at < ?")) {
            st.setString(1, name);
            st.setObject(2, toDb(clock.instant().minus(DEAD_AFTER)));
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cluster write failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Stops beating and removes this node's row (its calls were ended by the engine's close). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM cluster_nodes WHERE name = ?")) {
            st.setString(1, node);
            st.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("node {} not removed from cluster_nodes: {}", node, e.toString());
        }
    }

    private static OffsetDateTime toDb(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
