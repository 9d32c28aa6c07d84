package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The lookup contract on a real PostgreSQL server, one per class, emptied before each test. */
class UserLookupPostgresTest extends UserLookupContract {

    private static PostgresTestDatabase postgres;

    @BeforeAll
    static void startServer() {
        postgres = PostgresTestDatabase.start();
    }

    @AfterAll
    static void stopServer() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    Database emptyDatabase() throws SQLException {
        return postgres.emptied();
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
