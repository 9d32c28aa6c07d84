package org.opendialer.core.accounts;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The account contract on a real PostgreSQL server, one per class, emptied before each test. */
class AccountServicePostgresTest extends AccountServiceContract {

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

    @Override
    Database database() {
        return postgres.database();
    }
}
