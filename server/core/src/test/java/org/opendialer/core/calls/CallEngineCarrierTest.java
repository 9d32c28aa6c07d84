package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.CallLog;
import org.opendialer.core.accounts.CallRecord;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.CarrierConfig;
import org.opendialer.core.numbers.DialTarget;

/** What production trunks expect beyond the happy path: absent users, redirects, caller ID; SIPp as the carrier. */
class CallEngineCarrierTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DialTarget BOB_MOBILE = new DialTarget.PhoneNumber("+14155550199");

    @TempDir
    Path dir;
    private SipEngineFixture fx;
    private Database db;
    private AccountService accounts;
    private User alice;
    private CallEngine engine;
    private int sipPort;

    @BeforeEach
    void setUp() {
        fx = new SipEngineFixture(dir);
        db = fx.db;
        accounts = fx.accounts;
        alice = fx.alice;
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void start(String trunk, CarrierConfig carrier) throws Exception {
        engine = fx.start(trunk, 23000, 23999, e -> e.carrier(carrier));
        sipPort = fx.sipPort;
    }

    @Test
    void inbound_forAUserWithNoDialer_gets480AfterTheGrace_notAtTheRingTimeout_andIsLoggedMissed() throws Exception {
        start("sip:127.0.0.1:9", new CarrierConfig(Duration.ofMillis(300), 3, Optional.empty()));
        long started = System.nanoTime();
        try (SippPeer caller = SippPeer.uac("uac_refused.xml", sipPort, "1001", Map.of("status", "480"))) {
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
        }
        // The ring timeout is 30 s; 480 came with the grace (SIPp's own start-up is most of the rest).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        CallRecord r = new CallLog(db).recent(10).get(0);
        assertThat(List.of(r.direction(), r.state(), r.result(), r.endReason()))
                .containsExactly("inbound", "disconnected", "not_answered", "no_answer");
    }

    @Test
    void inbound_aDialerThatConnectsWithinTheGrace_seesTheCallRinging_andNo480IsSent() throws Exception {
        start("sip:127.0.0.1:9", new CarrierConfig(Duration.ofSeconds(3), 3, Optional.empty()));
        try (SippPeer caller = SippPeer.uac("uac_answered.xml", sipPort, "1001")) {
            RecordingDialer late = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (late == null && System.nanoTime() < deadline) {
                if (new CallLog(db).recent(1).stream().anyMatch(c -> c.state().equals("connecting"))) {
                    late = new RecordingDialer(alice.id());
                    engine.attach(late); // a reloaded page, back within the grace
                }
                Thread.sleep(50);
            }
            assertThat(late).as("the INVITE never arrived").isNotNull();
            late.await(v -> v.state() == CallState.CONNECTING, WAIT);
            // Past the grace: the call still rings. A fixed wait, for want of an event: the grace timer, finding a
            // dialer, does nothing at all (no message, no state, no log line), and a test cannot queue a check
            // behind it on the engine's timer thread. A wrong 480 would show as disconnected/no_answer below.
            Thread.sleep(3500);
            assertThat(late.states()).containsExactly("connecting");
            engine.answer(late, null, null);
            late.await(v -> v.state() == CallState.ANSWERED, WAIT);
            engine.hangUp(late, null);
            assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
        }
    }

    @Test
    void outbound_302_isFollowedToTheContact_andAnsweredThere() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_redirect_then_answer.xml",
                Map.of("NEW_TARGET", "+14155550100", "NEW_TARGET_RE", "\\+14155550100"))) {
            start(trunk.uri(), CarrierConfig.DEFAULTS);
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, BOB_MOBILE, d, null);
            d.await(v -> v.state() == CallState.ANSWERED, WAIT);
            engine.hangUp(d, null);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
        }
    }

    @Test
    void outbound_aRedirectLoop_isFollowedOnlyUpToTheLimit_thenEndsFailed() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_redirect_loop.xml", Map.of())) {
            start(trunk.uri(), new CarrierConfig(Duration.ofSeconds(2), 1, Optional.empty()));
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, BOB_MOBILE, d, null);
            CallView end = d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(end.endReason()).isEqualTo(EndReason.FAILED);
            assertThat(Pattern.compile("^INVITE sip:", Pattern.MULTILINE).matcher(trunk.messages()).results().count())
                    .isEqualTo(2);
        }
    }

    @Test
    void outbound_presentsTheUsersNumberInFromAndPAssertedIdentity() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            start(trunk.uri(), CarrierConfig.DEFAULTS);
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, BOB_MOBILE, d, null);
            d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).containsPattern("From: \"Alice Agent\" <sip:\\+12015550123@")
                    .containsPattern("P-Asserted-Identity: \"Alice Agent\" <sip:\\+12015550123@")
                    .doesNotContain("Privacy:");
        }
    }

    @Test
    void outbound_withTheTrunksCallerIdAnonymous_isWithheld_withPrivacyIdAndNoAssertedIdentity() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            start(trunk.uri(), new CarrierConfig(Duration.ofSeconds(2), 3, Optional.of(CarrierConfig.ANONYMOUS)));
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, BOB_MOBILE, d, null);
            d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).containsPattern("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>")
                    .contains("Privacy: id").doesNotContain("P-Asserted-Identity").doesNotContain("12015550123");
        }
    }

    @Test
    void outbound_withACompanyNumberAsTheTrunksCallerId_presentsItForEveryUser() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            start(trunk.uri(), new CarrierConfig(Duration.ofSeconds(2), 3, Optional.of("+12015550100")));
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, BOB_MOBILE, d, null);
            d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).containsPattern("From: \"Alice Agent\" <sip:\\+12015550100@")
                    .containsPattern("P-Asserted-Identity: \"Alice Agent\" <sip:\\+12015550100@");
        }
    }

    @Test
    void outbound_forAUserWhoWithholdsTheirNumber_isAnonymous_evenWithACompanyCallerId() throws Exception {
        accounts.callerIdPrivacy().setWithheld(alice.id(), true);
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            start(trunk.uri(), new CarrierConfig(Duration.ofSeconds(2), 3, Optional.of("+12015550100")));
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, BOB_MOBILE, d, null);
            d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).containsPattern("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>")
                    .contains("Privacy: id").doesNotContain("P-Asserted-Identity").doesNotContain("12015550100")
                    .doesNotContain("12015550123");
        }
        accounts.callerIdPrivacy().setWithheld(alice.id(), false);
        assertThat(accounts.callerIdPrivacy().isWithheld(alice.id())).isFalse();
    }
}
