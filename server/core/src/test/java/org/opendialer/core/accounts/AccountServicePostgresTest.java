package org.opendialer.core.accounts;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.testkit.PostgresServer;

/** The account contract on a real PostgreSQL server, one per class, emptied before each test. */
class AccountServicePostgresTest extends AccountServiceContract {

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

    @Override
    Database database() {
        return db;
    }
}
