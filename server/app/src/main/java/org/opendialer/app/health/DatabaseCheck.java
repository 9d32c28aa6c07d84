package org.opendialer.app.health;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database answers: a connection from the pool and a validity check every {@code period} on a
 * thread of its own. It is a problem when no check has succeeded for {@code 3 × period}, so a database that
 * hangs (not only one that refuses) is caught, and /healthz never waits for it. Each change is logged once.
 */
public final class DatabaseCheck implements NodeHealth.Check, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseCheck.class);

    private final DataSource dataSource;
    private final Duration period;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService timer;
    private volatile long lastSuccess;
    private volatile String lastError = "no answer";
    private boolean reportedDown; // timer thread only

    public static DatabaseCheck start(DataSource dataSource, Duration period) {
        DatabaseCheck check = new DatabaseCheck(dataSource, period, System::nanoTime);
        check.timer.scheduleWithFixedDelay(check::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return check;
    }

    DatabaseCheck(DataSource dataSource, Duration period, LongSupplier nanoTime) {
        this.dataSource = dataSource;
        this.period = period;
        this.nanoTime = nanoTime;
        this.lastSuccess = nanoTime.getAsLong(); // opened and migrated just before
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "health-database");
            t.setDaemon(true);
            return t;
        });
    }

    void probe() {
        int timeoutS = (int) Math.max(1, period.toSeconds());
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(timeoutS)) {
                throw new java.sql.SQLException("the connection did not validate within " + timeoutS + " s");
            }
            lastSuccess = nanoTime.getAsLong();
            if (reportedDown) {
                reportedDown = false;
                LOG.info("database reachable again: /healthz is ok");
            }
        } catch (Exception e) {
            lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            String problem = problem();
            if (problem != null && !reportedDown) {
                reportedDown = true;
                LOG.warn("/healthz answers 503: {}", problem);
            }
        }
    }

    @Override
    public String problem() {
        long silentNanos = nanoTime.getAsLong() - lastSuccess;
        if (silentNanos < 3 * period.toNanos()) {
            return null;
        }
        return "database unreachable for " + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s: " + lastError;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
