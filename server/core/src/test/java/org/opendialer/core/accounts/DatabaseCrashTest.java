package org.opendialer.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit on the default H2 file database survives SIGKILL of the JVM that made it: a child JVM commits
 * rows and says so on stdout, and is killed the moment it has said so (before the fix, H2 wrote commits
 * within about a second from a background thread, and the killed JVM's last rows were gone).
 */
class DatabaseCrashTest {

    @TempDir
    Path dir;

    @Test
    void rowCommittedJustBeforeSigkill_isThereAfterRestart() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("crash");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenHang.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int committed;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("committed "));
            assertThat(line).as("the child's output").isNotNull();
            committed = Integer.parseInt(line.substring("committed ".length()));
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (Database db = Database.open(url, null, null);
             Connection c = db.dataSource().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM crash_probe WHERE n <= " + committed)) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(committed);
        }
    }

    @Test
    void h2Defaults_addsWhatTheUrlDoesNotName_andLeavesOthersAlone() {
        assertThat(Database.h2Defaults("jdbc:h2:file:/d/dialer"))
                .isEqualTo("jdbc:h2:file:/d/dialer;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(Database.h2Defaults("jdbc:h2:file:/d/dialer;write_delay=500"))
                .isEqualTo("jdbc:h2:file:/d/dialer;write_delay=500;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.h2Defaults("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.h2Defaults("jdbc:h2:tcp://db.example/dialer")).doesNotContain("WRITE_DELAY");
        assertThat(Database.h2Defaults("jdbc:postgresql://db/dialer")).isEqualTo("jdbc:postgresql://db/dialer");
    }

    /** The child: opens the database as the gateway does, commits rows one by one, then waits to be killed. */
    static final class CommitThenHang {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(args[0], null, null);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE crash_probe (n INT PRIMARY KEY)");
                for (int n = 1; n <= 20; n++) {
                    st.executeUpdate("INSERT INTO crash_probe (n) VALUES (" + n + ")"); // auto-commit
                }
                System.out.println("committed 20");
                System.out.flush();
            }
            Thread.sleep(60_000);
        }
    }
}
