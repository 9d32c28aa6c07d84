package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.DestinationOverride;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.DestinationSettings;
import org.opendialer.core.numbers.DialTarget;

/** The destination policy inside the engine, against SIPp as the trunk: a refused call sends no INVITE. */
class CallEngineDestinationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DialTarget PREMIUM = new DialTarget.PhoneNumber("+19005550100");
    private static final Pattern INVITE = Pattern.compile("(?m)^INVITE sip:");
    private static final Pattern INVITE_CALL_ID = Pattern.compile("(?ms)^INVITE sip:.*?^(?:Call-ID|i):\\s*(\\S+)");

    @TempDir
    Path dir;
    private SipEngineFixture fx;
    private Database db;
    private AccountService accounts;
    private User alice;
    private CallEngine engine;

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

    private void startEngine(String trunk, DestinationSettings settings) throws Exception {
        engine = fx.start(trunk, 21000, 21999, e -> e.destinationPolicy(new DestinationPolicy(settings,
                accounts.destinationOverrides()::find, Clock.systemUTC())));
    }

    /** The distinct Call-IDs of the INVITEs in SIPp's log (a retransmission is not another INVITE). */
    private static Set<String> inviteCallIds(SippPeer trunk) {
        return INVITE_CALL_ID.matcher(trunk.messages()).results().map(m -> m.group(1))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static long invites(SippPeer trunk) {
        return INVITE.matcher(trunk.messages()).results().count();
    }

    @Test
    void premiumNumber_isRefusedBeforeAnyInvite_untilTheUsersPolicyAllowsIt() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            startEngine(trunk.uri(), DestinationSettings.DEFAULTS);
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            assertThatThrownBy(() -> engine.place(alice, PREMIUM))
                    .isInstanceOfSatisfying(CallException.class,
                            e -> assertThat(e.reason()).isEqualTo(CallException.Reason.DESTINATION_NOT_ALLOWED));
            accounts.destinationOverrides().set(alice.id(), new DestinationOverride(true, Set.of()));
            String allowed = engine.place(alice, PREMIUM);
            assertThat(d.awaitEnd(WAIT).result()).isEqualTo(CallResult.ANSWERED);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            // The allowed call was placed after the refusal: an INVITE or a call the refusal had made would stand in
            // SIPp's log and the dialer's views before the allowed call's. One INVITE (one Call-ID) and views of the
            // allowed call only prove there was none, without a sleep.
            assertThat(inviteCallIds(trunk)).hasSize(1);
            assertThat(trunk.messages()).contains("INVITE sip:+19005550100@");
            assertThat(d.received()).extracting(CallView::id).containsOnly(allowed); // no call was shown for the refusal
        }
    }

    @Test
    void callsPerMinute_theCallOverTheLimitIsRefusedWithoutAnInvite() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_answer_then_bye.xml", Map.of())) {
            startEngine(trunk.uri(), new DestinationSettings(Set.of(), List.of(), 1, 0));
            RecordingDialer d = new RecordingDialer(alice.id());
            engine.attach(d);
            engine.place(alice, new DialTarget.PhoneNumber("+14155550199"));
            d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThatThrownBy(() -> engine.place(alice, new DialTarget.PhoneNumber("+14155550199")))
                    .isInstanceOfSatisfying(CallException.class,
                            e -> assertThat(e.reason()).isEqualTo(CallException.Reason.CALL_RATE_LIMITED));
            assertThat(invites(trunk)).isEqualTo(1);
        }
    }
}
