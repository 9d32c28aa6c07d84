package org.opendialer.core.calls;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.PostgresTestDatabase;

/** The call log on a real PostgreSQL server (microsecond timestamps, its own SQL dialect). */
class CallStorePostgresTest extends CallStoreContract {
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
    Database emptyDatabase() throws Exception {
        return postgres.emptied();
    }
}
