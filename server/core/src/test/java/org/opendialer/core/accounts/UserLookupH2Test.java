package org.opendialer.core.accounts;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The lookup contract on an H2 file database, a fresh one per test. */
class UserLookupH2Test extends UserLookupContract {

    @TempDir
    Path dir;
    private Database db;

    @Override
    Database emptyDatabase() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("accounts"), null, null);
        return db;
    }

    @Override
    String plan(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM users WHERE " + where)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** H2 names the index it reads in a comment ({@code PUBLIC.USERS_EXTENSION_KEY_INDEX_4: EXTENSION = ...}). */
    @Override
    boolean usesIndex(String plan) {
        return plan.contains("_INDEX_") || plan.contains("PRIMARY_KEY");
    }

    @AfterEach
    void close() {
        db.close();
    }
}
