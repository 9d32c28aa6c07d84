package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.testkit.SippProcess;

/** Early media and provisional responses of outbound calls, against SIPp as a carrier. */
class CallEngineEarlyMediaTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DialTarget BOB_MOBILE = new DialTarget.PhoneNumber("+14155550199");

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

    private RecordingDialer start(String trunk) throws Exception {
        engine = fx.start(trunk, 22000, 22999, e -> { });
        RecordingDialer d = new RecordingDialer(alice.id());
        engine.attach(d);
        return d;
    }

    @Test
    void forked183s_withEarlyMedia_areReportedOnce_andTheSecondForksAnswerIsTheDialog() throws Exception {
        int fork2Port = SippProcess.freeEvenUdpPort();
        // A 2 s tone (scripts/tone-pcap.py): SIPp exits only once its RTP is played.
        String pcap = Path.of(getClass().getResource("/sipp-calls/tone-440hz-pcma-2s.pcap").toURI()).toString();
        try (SippPeer trunk = SippPeer.uas("uas_forked_early_media.xml",
                Map.of("FORK2_PORT", String.valueOf(fork2Port), "PCAP", pcap))) {
            RecordingDialer d = start(trunk.uri());
            engine.place(alice, BOB_MOBILE, d, null);
            d.await(v -> v.state() == CallState.ANSWERED, WAIT);
            assertThat(d.progress()).containsExactly("early_media");
            engine.hangUp(d, null);
            // SIPp exits 0 only when our ACK and BYE went to the dialog of the fork that answered.
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            assertThat(trunk.messages()).containsPattern("BYE sip:[^\\n]*\\n(?s).*To: [^\\n]*tag=\\d+Fork02");
        }
    }

    @Test
    void malformed183Sdp_isIgnored_180AsksForLocalRingback_andA200WithoutACommonCodecEndsFailedWithBye()
            throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_ringing_bad_sdp.xml", Map.of())) {
            RecordingDialer d = start(trunk.uri());
            engine.place(alice, BOB_MOBILE, d, null);
            CallView end = d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(d.progress()).containsExactly("ringing");
            assertThat(d.states()).containsExactly("connecting", "disconnected/failed");
            assertThat(end.result()).isEqualTo(CallResult.NOT_ANSWERED);
        }
    }

    @Test
    void a183AfterTheAnswer_isIgnored_theCallStaysAnswered_andNoProgressIsReported() throws Exception {
        try (SippPeer trunk = SippPeer.uas("uas_183_after_answer.xml", Map.of())) {
            RecordingDialer d = start(trunk.uri());
            engine.place(alice, BOB_MOBILE, d, null);
            // The trunk sends its BYE after the 183, and the gateway reads the trunk in order: once the BYE has
            // ended the call, the 183 has been handled before it.
            d.awaitEnd(WAIT);
            assertThat(trunk.awaitExit(WAIT)).as(trunk.logs()).isZero();
            assertThat(trunk.messages()).contains("183 Session Progress");
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/remote_hangup");
            assertThat(d.progress()).containsExactly("ringing"); // the 180 before the answer, nothing after
        }
    }
}
