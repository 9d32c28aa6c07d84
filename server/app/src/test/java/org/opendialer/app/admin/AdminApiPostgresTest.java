package org.opendialer.app.admin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.PostgresTestDatabase;

/** The admin API contract on a real PostgreSQL, one server per class, emptied before each test. */
class AdminApiPostgresTest extends AdminApiContract {
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
        database = postgres.emptied();
        return database;
    }
}
