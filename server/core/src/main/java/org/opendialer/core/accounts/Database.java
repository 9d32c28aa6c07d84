package org.opendialer.core.accounts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A pooled connection to H2 or PostgreSQL, migrated to the current schema when opened. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code user} and {@code password} may be null or empty (H2 file databases). */
    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(h2Defaults(jdbcUrl));
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setPoolName("opendialer-db");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    /**
     * The settings an embedded H2 database gets unless its URL names them. DB_CLOSE_ON_EXIT=FALSE: H2 closes
     * a file database from its own JVM shutdown hook, racing ours (calls ended at SIGTERM were then not
     * saved); the pool's close, after the call engine's, closes it instead. WRITE_DELAY=0: MVStore writes a
     * commit to the file before the commit returns, not within a second from its background thread, so a
     * killed JVM (SIGKILL, OOM kill) keeps every committed call-log row and webhook; H2 does not fsync, so an
     * OS crash or power loss can still lose the last commits (docs/deployment.md). Remote H2 (tcp:, ssl:) is
     * the server's business; an in-memory database has no file.
     */
    static String h2Defaults(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:")) {
            return jdbcUrl;
        }
        String upper = jdbcUrl.toUpperCase(Locale.ROOT);
        String url = jdbcUrl;
        if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
            url += ";DB_CLOSE_ON_EXIT=FALSE";
        }
        boolean embeddedFile = !upper.startsWith("JDBC:H2:MEM:") && !upper.startsWith("JDBC:H2:TCP:")
                && !upper.startsWith("JDBC:H2:SSL:");
        if (embeddedFile && !upper.contains(";WRITE_DELAY=")) {
            url += ";WRITE_DELAY=0";
        }
        return url;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
