package org.opendialer.app.webhooks;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.core.accounts.Database;
import org.opendialer.testkit.PostgresServer;

/**
 * The webhook delivery contract on a real PostgreSQL (the outbox's SQL: timestamps with time zone,
 * the due-row query, identity keys), one server per class, the outbox emptied before each test.
 */
class WebhookDeliveryPostgresTest extends WebhookDeliveryContract {
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
            st.executeUpdate("TRUNCATE webhook_outbox RESTART IDENTITY");
        }
        return db;
    }

    @Override
    void release(Database shared) {
        // Kept for the next test of the class; closed with the server.
    }
}
