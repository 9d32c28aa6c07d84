package org.opendialer.core.accounts;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The account contract on an H2 file database, a fresh one per test. */
class AccountServiceH2Test extends AccountServiceContract {

    @TempDir
    Path dir;
    private Database db;

    @Override
    Database emptyDatabase() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("accounts"), null, null);
        return db;
    }

    @Override
    Database database() {
        return db;
    }

    @AfterEach
    void close() {
        db.close();
    }
}
