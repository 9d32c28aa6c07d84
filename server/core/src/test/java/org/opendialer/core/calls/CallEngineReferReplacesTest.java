package org.opendialer.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendialer.core.accounts.NewUser;

/**
 * A REFER whose Refer-To carries Replaces (RFC 5589 7: the caller, a PBX, asks the gateway to complete an
 * attended transfer), with SIPp as the caller and SIPp as the Refer-To target on the trunk: the gateway's INVITE
 * to the target carries the Replaces header (the target's scenario checks Call-ID and both tags), the caller hears
 * NOTIFYs 100/180/200 and our BYE, and alice's call goes on with the target on the same relay session (it takes
 * the target's RTP and reports on it, RTCP, to the target). Bad Replaces get a 4xx and leave the call alone, and
 * so does a Refer-To naming another user's extension (decision 0030).
 */
class CallEngineReferReplacesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ALICE_NUMBER = "+12015550123";
    /** The dialog between the PBX and the target that our call replaces; a Call-ID with '@' and '+'. */
    private static final String REPLACED_CALL_ID = "consult+1@pbx.example.net";
    private static final String REPLACES = "?Replaces=consult%2B1%40pbx.example.net%3Bto-tag%3Dtgt-7%3Bfrom-tag%3Dpbx-3";
    private static final int SSRC = 0x5eed_0001;

    @TempDir
    Path dir;
    private SipEngineFixture fx;
    private CallEngine engine;
    private RecordingDialer agent;
    private DatagramSocket targetRtp;
    private DatagramSocket targetRtcp;

    @BeforeEach
    void setUp() throws Exception {
        fx = new SipEngineFixture(dir);
        bindRtpPair();
    }

    @AfterEach
    void tearDown() {
        fx.close();
        targetRtp.close();
        targetRtcp.close();
    }

    /** The target's RTP socket on an even port and its RTCP socket on the next (the relay sends RTCP to port+1). */
    private void bindRtpPair() throws SocketException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 50; i++) {
            DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(lo, 0));
            int port = rtp.getLocalPort();
            if (port % 2 == 0 && port < 65535) {
                try {
                    targetRtcp = new DatagramSocket(new InetSocketAddress(lo, port + 1));
                    targetRtp = rtp;
                    return;
                } catch (SocketException taken) {
                    // try another pair
                }
            }
            rtp.close();
        }
        throw new IllegalStateException("no free RTP/RTCP port pair");
    }

    private void start(SippPeer trunk) throws Exception {
        // Relay ports in this test's block (E2E_PORT_BASE + 3200..3299).
        engine = fx.start(trunk.uri(), 21300, 21319, e -> { });
        agent = new RecordingDialer(fx.alice.id());
        engine.attach(agent);
    }

    private String answered() throws Exception {
        CallView ringing = agent.await(v -> v.state() == CallState.CONNECTING, WAIT);
        engine.answer(agent, ringing.id());
        agent.await(v -> v.state() == CallState.ANSWERED, WAIT);
        return ringing.id();
    }

    private SippPeer target() throws Exception {
        return SippPeer.uas("uas_replaces_media_peer.xml", Map.of("CALL_ID_RE", "consult\\+1@pbx\\.example\\.net",
                "TO_TAG", "tgt-7", "FROM_TAG", "pbx-3", "rtp_port", String.valueOf(targetRtp.getLocalPort())));
    }

    @Test
    void referWithReplaces_theInviteToTheTargetCarriesIt_andAlicesCallGoesOnWithTheTarget() throws Exception {
        try (SippPeer target = target()) {
            start(target);
            try (SippPeer caller = SippPeer.uac("uac_refers_us.xml", fx.sipPort, ALICE_NUMBER,
                    Map.of("TARGET", "+14155550166", "URI_HEADERS", REPLACES, "FINAL", "200"))) {
                String id = answered();
                // 202, NOTIFY 100/180/200 and our BYE: the caller's scenario checks each.
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(target.messages()).contains("INVITE sip:+14155550166@")
                        .contains("Replaces: " + REPLACED_CALL_ID);
                assertThat(agent.states()).containsExactly("connecting", "answered"); // the same call goes on

                int gatewayPort = RtpProbe.gatewayPort(target, targetRtp);
                assertThat(reportedOn(gatewayPort)).as("the relay takes the target's RTP and reports on it to the target")
                        .isTrue();

                engine.hangUp(agent, id); // its far end is the target now: the BYE goes there
                assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero(); // Replaces checked, BYE got
                assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    @Test
    void referWithReplaces_theTargetNoLongerHasTheDialog_theReferrerIsTold481_andTheCallGoesOnWithIt() throws Exception {
        try (SippPeer target = SippPeer.uas("uas_reject.xml",
                Map.of("status", "481", "reason", "Call/Transaction Does Not Exist"))) {
            start(target);
            try (SippPeer caller = SippPeer.uac("uac_refers_us.xml", fx.sipPort, ALICE_NUMBER,
                    Map.of("TARGET", "+14155550166", "URI_HEADERS", REPLACES, "FINAL", "481"))) {
                String id = answered();
                assertThat(target.awaitExit(WAIT)).as(target.logs()).isZero();
                // The target's own status in the final NOTIFY (RFC 3515 2.4.5), before alice hangs up.
                caller.awaitMessage("SIP/2.0 481 Call/Transaction Does Not Exist", WAIT);
                assertThat(target.messages()).contains("Replaces: " + REPLACED_CALL_ID);
                engine.hangUp(agent, id); // still the caller's call: its scenario ends with our BYE
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    @Test
    void referWithAMalformedReplaces_gets400_andTheCallGoesOnUntouched() throws Exception {
        refused("?Replaces=consult%40pbx.example.net%3Bto-tag%3Dtgt-7", "400", "malformed Replaces");
    }

    @Test
    void referWithReplacesAndAnotherHeader_gets403_andTheCallGoesOnUntouched() throws Exception {
        refused(REPLACES + "&Subject=hello", "403", "other than Replaces");
    }

    @Test
    void referToAnotherUsersExtension_throughTheTrunk_gets403_andTheCallGoesOnUntouched() throws Exception {
        fx.accounts.createUser(new NewUser("bob", "correct horse battery", "Bob", "1002", null));
        refused("1002", "", "403", "not extensions");
    }

    /** The caller REFERs alice with {@code uriHeaders}, is refused {@code status}, and still gets alice's BYE. */
    private void refused(String uriHeaders, String status, String phrase) throws Exception {
        refused("+14155550166", uriHeaders, status, phrase);
    }

    private void refused(String referTo, String uriHeaders, String status, String phrase) throws Exception {
        try (SippPeer target = SippPeer.uas("uas_answer_wait_bye.xml", Map.of())) {
            start(target);
            try (SippPeer caller = SippPeer.uac("uac_refers_us_refused.xml", fx.sipPort, ALICE_NUMBER,
                    Map.of("TARGET", referTo, "URI_HEADERS", uriHeaders, "REFUSAL", status))) {
                String id = answered();
                caller.awaitMessage("SIP/2.0 " + status, WAIT);
                assertThat(agent.states()).containsExactly("connecting", "answered");
                engine.hangUp(agent, id); // still the caller's call: its scenario ends with our BYE
                assertThat(caller.awaitExit(WAIT)).as(caller.logs()).isZero();
                assertThat(caller.messages()).contains(phrase);
                assertThat(target.messages()).doesNotContain("INVITE sip:");
                assertThat(agent.states()).containsExactly("connecting", "answered", "disconnected/local_hangup");
            }
        }
    }

    /**
     * Sends RTP (SSRC {@link #SSRC}) from the target's socket to the gateway until an RTCP report reaches the
     * target's RTCP socket with a report block on that SSRC: the relay's SIP side is the target, both ways.
     */
    private boolean reportedOn(int gatewayPort) throws Exception {
        byte[] rtp = new byte[12 + 160];
        ByteBuffer.wrap(rtp).put((byte) 0x80).put((byte) 0).putShort((short) 0).putInt(0).putInt(SSRC);
        java.util.Arrays.fill(rtp, 12, rtp.length, (byte) 0xff); // PCMU silence
        targetRtcp.setSoTimeout(20);
        byte[] buf = new byte[1500];
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int seq = 1; System.nanoTime() < deadline; seq++) {
            ByteBuffer.wrap(rtp).putShort(2, (short) seq).putInt(4, seq * 160);
            targetRtp.send(new DatagramPacket(rtp, rtp.length, InetAddress.getLoopbackAddress(), gatewayPort));
            DatagramPacket got = new DatagramPacket(buf, buf.length);
            try {
                targetRtcp.receive(got); // also paces the RTP at about one packet per 20 ms
            } catch (SocketTimeoutException e) {
                continue;
            }
            ByteBuffer r = ByteBuffer.wrap(buf, 0, got.getLength());
            int pt = r.get(1) & 0xff;
            int blocks = r.get(0) & 0x1f;
            int block = pt == 200 ? 28 : pt == 201 ? 8 : -1; // SR: 20 bytes of sender info first (RFC 3550 6.4)
            if (block > 0 && blocks > 0 && got.getLength() >= block + 4 && r.getInt(block) == SSRC) {
                return true;
            }
        }
        return false;
    }
}
