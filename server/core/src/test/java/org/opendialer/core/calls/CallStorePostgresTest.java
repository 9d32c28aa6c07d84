package org.opendialer.core.calls;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.core.accounts.Database;
import org.opendialer.testkit.PostgresServer;

/** The call log on a real PostgreSQL server (microsecond timestamps, its own SQL dialect). */
class CallStorePostgresTest extends CallStoreContract {
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
    Database emptyDatabase() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("TRUNCATE calls, sign_in_tokens, sessions, sip_accounts, users RESTART IDENTITY CASCADE");
        }
        return db;
    }
}
