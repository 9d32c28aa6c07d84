package org.opendialer.app.webhooks;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.PostgresTestDatabase;

/**
 * The webhook delivery contract on a real PostgreSQL (the outbox's SQL: timestamps with time zone,
 * the due-row query, identity keys), one server per class, emptied before each test.
 */
class WebhookDeliveryPostgresTest extends WebhookDeliveryContract {
    private static PostgresTestDatabase postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresTestDatabase.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    Database emptyDatabase() throws Exception {
        return postgres.emptied();
    }

    @Override
    void release(Database shared) {
        // Kept for the next test of the class; closed with the server.
    }
}
