package org.opendialer.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.Database;

class NodeHealthTest {

    @TempDir
    Path dir;

    @Test
    void healthy_answers200_withNodeDialersAndCalls() {
        NodeHealth.Report r = new NodeHealth("node-a", () -> 3, () -> 2).add(() -> null).report();

        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(r.body()).containsEntry("status", "ok").containsEntry("node", "node-a")
                .containsEntry("dialers", 3).containsEntry("calls", 2).doesNotContainKey("reason");
        assertThat(r.body().keySet()).containsExactly("status", "node", "dialers", "calls");
    }

    @Test
    void aFailingCheck_answers503_unavailable_withItsReason() {
        NodeHealth.Report r = new NodeHealth("node-a", () -> 0, () -> 0)
                .add(() -> null).add(() -> "database unreachable for 7 s: refused").report();

        assertThat(r.httpStatus()).isEqualTo(503);
        assertThat(r.body()).containsEntry("status", "unavailable")
                .containsEntry("reason", "database unreachable for 7 s: refused");
    }

    @Test
    void draining_answers503_draining_andKeepsCountingCalls() {
        NodeHealth health = new NodeHealth("node-a", () -> 1, () -> 1);
        health.draining();

        NodeHealth.Report r = health.report();
        assertThat(r.httpStatus()).isEqualTo(503);
        assertThat(r.body()).containsEntry("status", "draining").containsEntry("calls", 1);
        assertThat((String) r.body().get("reason")).contains("no new calls");
    }

    @Test
    void databaseCheck_isFineWhileTheDatabaseAnswers_andNamesTheFailureOnceItStoppedFor3Periods() {
        AtomicLong now = new AtomicLong(0);
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null);
        DatabaseCheck check = new DatabaseCheck(db.dataSource(), Duration.ofSeconds(2), now::get);
        try {
            check.probe();
            assertThat(check.problem()).isNull();

            db.close(); // the pool refuses every connection from now on
            now.addAndGet(Duration.ofSeconds(4).toNanos());
            check.probe();
            assertThat(check.problem()).as("2 periods without an answer: not yet").isNull();
            now.addAndGet(Duration.ofSeconds(3).toNanos());
            assertThat(check.problem()).startsWith("database unreachable for 7 s: ");
        } finally {
            check.close();
            db.close();
        }
    }

    @Test
    void databaseCheck_thatNeverRuns_stillReportsAfter3Periods() {
        AtomicLong now = new AtomicLong(0);
        DatabaseCheck check = new DatabaseCheck(null, Duration.ofSeconds(2), now::get);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        // A probe stuck in a hung database never returns: the age of the last success alone decides.
        assertThat(check.problem()).startsWith("database unreachable for 6 s");
        check.close();
    }
}
