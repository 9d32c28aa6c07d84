package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.opendialer.testkit.PostgresServer;

/**
 * A real PostgreSQL server with the gateway's schema, for the contract tests that run on H2 and on
 * PostgreSQL (core's and, through core's test jar, the app module's): one per test class, emptied
 * before each test.
 */
public final class PostgresTestDatabase implements AutoCloseable {
    private final PostgresServer server;
    private final Database db;

    private PostgresTestDatabase(PostgresServer server, Database db) {
        this.server = server;
        this.db = db;
    }

    public static PostgresTestDatabase start() {
        PostgresServer server = PostgresServer.start();
        try {
            return new PostgresTestDatabase(server, Database.open(server.jdbcUrl(), server.user(), server.password()));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public Database database() {
        return db;
    }

    /** Every table of the schema emptied (all but Flyway's history); ids start at 1 again. */
    public Database emptied() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add('"' + rs.getString(1) + '"');
                }
            }
            st.executeUpdate("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
        }
        return db;
    }

    @Override
    public void close() {
        try {
            db.close();
        } finally {
            server.close();
        }
    }
}
