package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.CarrierConfig;

/** Late offer (RFC 3264 5): INVITEs and re-INVITEs without SDP, answered in the ACK; SIPp as the PBX. */
class CallEngineLateOfferTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

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
        engine = fx.start(trunk, 24000, 24999, e -> e.carrier(carrier));
        sipPort = fx.sipPort;
    }

    @Test
    void inviteWithoutSdp_getsOurOfferInThe200_theAckAnswers_andAReInviteWithoutSdpGetsOurOfferToo()
            throws Exception {
        start("sip:127.0.0.1:9", CarrierConfig.DEFAULTS);
        RecordingDialer d = new RecordingDialer(alice.id());
        engine.attach(d);
        try (SippPeer pbx = SippPeer.uac("uac_late_offer.xml", sipPort, "1001")) {
            d.await(v -> v.state() == CallState.CONNECTING, WAIT);
            engine.answer(d, null, null);
            assertThat(pbx.awaitExit(WAIT)).as(pbx.logs()).isZero();
            CallView end = d.awaitEnd(WAIT);
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/remote_hangup");
            assertThat(end.from()).isEqualTo("+14155550100");
        }
    }

    static Stream<Arguments> unusableAcks() {
        String sdp = "Content-Type: application/sdp\nContent-Length: [len]\n\n";
        return Stream.of(
                Arguments.of("no SDP in the ACK", "Content-Length: 0"),
                Arguments.of("an SDP without a codec we offered", sdp + "v=0\no=pbx 1 1 IN IP4 127.0.0.1\ns=-\n"
                        + "c=IN IP4 127.0.0.1\nt=0 0\nm=audio 40000 RTP/AVP 18\na=rtpmap:18 G729/8000"),
                Arguments.of("a malformed SDP", sdp + "v=0\nc=IN IP4\nm=audio nonsense"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableAcks")
    void lateOffer_anAckWithoutAUsableAnswer_endsTheCallWithByeAndFailed(String what, String ackBody)
            throws Exception {
        start("sip:127.0.0.1:9", CarrierConfig.DEFAULTS);
        RecordingDialer d = new RecordingDialer(alice.id());
        engine.attach(d);
        try (SippPeer pbx = SippPeer.uac("uac_late_offer_bad_ack.xml", sipPort, "1001",
                Map.of("ACK_BODY", ackBody))) {
            d.await(v -> v.state() == CallState.CONNECTING, WAIT);
            engine.answer(d, null, null);
            assertThat(pbx.awaitExit(WAIT)).as(pbx.logs()).isZero(); // it got our BYE
            d.awaitEnd(WAIT);
            assertThat(d.states()).containsExactly("connecting", "answered", "disconnected/failed");
        }
    }
}
