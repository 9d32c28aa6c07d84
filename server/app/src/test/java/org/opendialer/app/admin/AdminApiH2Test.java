package org.opendialer.app.admin;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.Database;

class AdminApiH2Test extends AdminApiContract {

    @TempDir
    Path dir;

    @Override
    Database emptyDatabase() {
        database = Database.open("jdbc:h2:file:" + dir.resolve("admin"), null, null);
        return database;
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }
}
