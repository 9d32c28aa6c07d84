package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.testkit.PostgresServer;

/** The lookup contract on a real PostgreSQL server, one per class, emptied before each test. */
class UserLookupPostgresTest extends UserLookupContract {

    private static PostgresServer server;
    private static Database db;

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
        db = Database.open(server.jdbcUrl(), server.user(), server.password());
    }

    @AfterAll
    static void stopServer() {
        if (db != null) {
            db.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    Database emptyDatabase() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("TRUNCATE calls, sign_in_tokens, sessions, sip_accounts, users RESTART IDENTITY CASCADE");
        }
        return db;
    }

    /** With fresh statistics, the plan PostgreSQL picks for 2,000 rows: an index scan only if an index fits. */
    @Override
    String plan(Connection c, String where) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE users");
            try (ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM users WHERE " + where)) {
                while (rs.next()) {
                    text.append(rs.getString(1)).append('\n');
                }
            }
        }
        return text.toString();
    }

    @Override
    boolean usesIndex(String plan) {
        return plan.contains("Index Scan") || plan.contains("Index Only Scan") || plan.contains("Bitmap Index Scan");
    }
}
