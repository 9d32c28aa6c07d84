package org.opendialer.core.calls;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.Database;

class CallStoreH2Test extends CallStoreContract {
    @TempDir
    Path dir;
    private Database db;

    @Override
    Database emptyDatabase() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("calls"), null, null);
        return db;
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }
}
