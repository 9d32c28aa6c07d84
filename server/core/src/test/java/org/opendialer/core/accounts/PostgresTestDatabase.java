package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.opendialer.testkit.PostgresServer;

/**
 * A real PostgreSQL server with the gateway's schema, for the contract tests that run on H2 and on
 * PostgreSQL: one per test class, emptied before each test.
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

    /** Every account, session and call gone (and what hangs off them, by CASCADE); ids start at 1 again. */
    public Database emptied() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("TRUNCATE calls, sign_in_tokens, sessions, sip_accounts, users RESTART IDENTITY CASCADE");
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
