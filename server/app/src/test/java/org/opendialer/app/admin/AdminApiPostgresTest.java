package org.opendialer.app.admin;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.core.accounts.Database;
import org.opendialer.testkit.PostgresServer;

/** The admin API contract on a real PostgreSQL, one server per class, emptied before each test. */
class AdminApiPostgresTest extends AdminApiContract {

    private static PostgresServer server;
    private static Database db;

    @BeforeAll
    static void startPostgres() {
        server = PostgresServer.start();
        db = Database.open(server.jdbcUrl(), server.user(), server.password());
    }

    @AfterAll
    static void stopPostgres() {
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
        database = db;
        return db;
    }
}
