package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.CallRecord;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.NewUser;
import org.opendialer.core.accounts.PasswordHasher;
import org.opendialer.core.accounts.User;
import org.opendialer.media.quality.LegSummary;
import org.opendialer.media.quality.QualitySummary;

/** The calls table as the engine writes it and the admin API reads it; run on H2 and PostgreSQL. */
abstract class CallStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    abstract Database emptyDatabase() throws Exception;

    private User user(Database db) {
        return new AccountService(db, java.time.Clock.systemUTC(), java.time.Duration.ofHours(1),
                java.time.Duration.ofMinutes(5), PasswordHasher.forTests())
                .createUser(new NewUser("alice", "correct horse battery", "Alice", "1001", "+12015550123"));
    }

    @Test
    void save_insertsThenUpdatesOneRowPerCall_withEveryField() throws Exception {
        Database db = emptyDatabase();
        User alice = user(db);
        CallStore store = new CallStore(db);
        Call call = new Call("c-1", alice.id(), CallDirection.INBOUND, null, "1001", "Ada", T0);
        store.save(alice.id(), call.view(), T0);
        store.save(alice.id(), call.moveTo(CallState.ANSWERED, null, T0.plusSeconds(2)), T0.plusSeconds(2));
        store.save(alice.id(), call.moveTo(CallState.DISCONNECTED, EndReason.REMOTE_HANGUP, T0.plusSeconds(9)),
                T0.plusSeconds(9));

        List<CallRecord> log = new CallLog(db).recent(10);
        assertThat(log).hasSize(1);
        CallRecord r = log.get(0);
        assertThat(r).isEqualTo(new CallRecord("c-1", "alice", "inbound", "disconnected", "answered", null, "1001",
                "Ada", T0, T0.plusSeconds(2), T0.plusSeconds(9), "remote_hangup", T0.plusSeconds(9)));
    }

    @Test
    void saveQuality_isReadBackWithTheCall_unknownFiguresAsNaN_andNoSipLegAsNull() throws Exception {
        Database db = emptyDatabase();
        User alice = user(db);
        CallStore store = new CallStore(db);
        Call sip = new Call("c-sip", alice.id(), CallDirection.OUTBOUND, "+12015550123", "+14155550199", "Alice", T0);
        store.save(alice.id(), sip.moveTo(CallState.ANSWERED, null, T0.plusSeconds(1)), T0.plusSeconds(1));
        Call ext = new Call("c-ext", alice.id(), CallDirection.INBOUND, "1002", "1001", "Bob", T0.plusSeconds(2));
        store.save(alice.id(), ext.view(), T0.plusSeconds(2));
        Call never = new Call("c-never", alice.id(), CallDirection.INBOUND, "1002", "1001", "Bob", T0.plusSeconds(3));
        store.save(alice.id(), never.view(), T0.plusSeconds(3));
        QualitySummary withSip = new QualitySummary(12, 3.41, 4.12,
                new LegSummary(12, 4.3, 4.38, 0.1, 0.8, 1.5, 3.2, 2.1),
                new LegSummary(11, 3.41, 4.15, 2.4, 10.2, 6.0, 30.5, Double.NaN));
        QualitySummary browserOnly = new QualitySummary(0, Double.NaN, Double.NaN,
                new LegSummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN),
                null);
        store.saveQuality("c-sip", withSip);
        store.saveQuality("c-ext", browserOnly);

        CallLog log = new CallLog(db);
        assertThat(log.quality("c-sip")).isEqualTo(withSip);
        assertThat(log.quality("c-ext")).isEqualTo(browserOnly);
        assertThat(log.quality("c-never")).isNull();
        var byId = new java.util.HashMap<String, CallRecord>();
        log.recent(10).forEach(r -> byId.put(r.id(), r));
        assertThat(byId.get("c-sip").quality()).isEqualTo(withSip);
        assertThat(byId.get("c-ext").quality().sip()).isNull();
        assertThat(byId.get("c-never").quality()).isNull();
    }

    @Test
    void endUnfinished_marksCallsOfAPreviousRunGatewayRestart_keepingTheirAnswer_withOneMoreSeq() throws Exception {
        Database db = emptyDatabase();
        User alice = user(db);
        CallStore store = new CallStore(db);
        Call ringing = new Call("c-ringing", alice.id(), CallDirection.OUTBOUND, "+12015550123", "+14155550199",
                "Alice", T0);
        store.save(alice.id(), ringing.view(), T0);
        Call talking = new Call("c-talking", alice.id(), CallDirection.OUTBOUND, "+12015550123", "+14155550199",
                "Alice", T0.plusSeconds(1));
        store.save(alice.id(), talking.moveTo(CallState.ANSWERED, null, T0.plusSeconds(3)), T0.plusSeconds(3));
        Call done = new Call("c-done", alice.id(), CallDirection.OUTBOUND, "+12015550123", "+14155550199",
                "Alice", T0.plusSeconds(2));
        store.save(alice.id(), done.moveTo(CallState.DISCONNECTED, EndReason.BUSY, T0.plusSeconds(4)),
                T0.plusSeconds(4));

        assertThat(store.endUnfinished(T0.plusSeconds(60))).isEqualTo(2);

        var byId = new java.util.HashMap<String, CallRecord>();
        new CallLog(db).recent(10).forEach(r -> byId.put(r.id(), r));
        assertThat(byId.get("c-ringing")).extracting(CallRecord::state, CallRecord::result, CallRecord::endReason,
                CallRecord::endTime).containsExactly("disconnected", "not_answered", "gateway_restart", T0.plusSeconds(60));
        assertThat(byId.get("c-talking")).extracting(CallRecord::state, CallRecord::result, CallRecord::endReason)
                .containsExactly("disconnected", "answered", "gateway_restart");
        assertThat(byId.get("c-done")).extracting(CallRecord::endReason, CallRecord::endTime)
                .containsExactly("busy", T0.plusSeconds(4));
        // The final state a reconnecting dialer is sent: one seq after the last it could have seen.
        CallView talkingEnd = store.find(alice.id(), "c-talking").orElseThrow();
        assertThat(talkingEnd.seq()).isEqualTo(3);
        assertThat(talkingEnd.endReason()).isEqualTo(EndReason.GATEWAY_RESTART);
        assertThat(talkingEnd.answerTime()).isEqualTo(T0.plusSeconds(3));
        assertThat(store.find(alice.id(), "c-done").orElseThrow())
                .isEqualTo(new Call("c-done", alice.id(), CallDirection.OUTBOUND, "+12015550123", "+14155550199",
                        "Alice", T0.plusSeconds(2)).moveTo(CallState.DISCONNECTED, EndReason.BUSY, T0.plusSeconds(4)));
    }

    @Test
    void find_returnsOnlyTheUsersOwnCall() throws Exception {
        Database db = emptyDatabase();
        User alice = user(db);
        CallStore store = new CallStore(db);
        Call c = new Call("c-own", alice.id(), CallDirection.INBOUND, "+12015550123", "1001", "Ada", T0);
        store.save(alice.id(), c.view(), T0);
        assertThat(store.find(alice.id(), "c-own")).contains(c.view());
        assertThat(store.find(alice.id() + 1, "c-own")).isEmpty();
        assertThat(store.find(alice.id(), "c-unknown")).isEmpty();
    }
}
