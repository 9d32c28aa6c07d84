package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests inside a call are taken only from the call's peer (or the trunk/registrars/allowed
 * sources); a stranger at 127.0.0.2 who knows the Call-ID and both tags gets one 403 and changes
 * nothing. Refusals go out statelessly: one answer per request, never a retransmitted 403.
 */
class InDialogSourceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private SipUserAgent agent;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final RecordingListener listener = new RecordingListener();

    /** Only 127.0.0.1 may send INVITEs; T1 = 100 ms, so a stateful 403 would repeat within 2 s. */
    private int startAgent() {
        int port = FreePorts.next();
        agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1", null, null, null,
                Duration.ofSeconds(20), Duration.ofMillis(100), SourceAllowList.parse("127.0.0.1")), call -> {
                    invites.add(call);
                    call.ring();
                    call.answer(agent.localAnswer(call.offer(), 40002));
                    return listener;
                });
        agent.start();
        return port;
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void inviteFromAnUntrustedHost_getsExactlyOne403_neverARetransmission() throws Exception {
        int port = startAgent();
        try (RawSipPeer stranger = new RawSipPeer("127.0.0.2", port)) {
            stranger.send(stranger.request("INVITE", UUID.randomUUID().toString(), "s1", null, 1, true));
            List<String> answers = stranger.receiveAll(2_000);
            assertThat(answers).hasSize(1);
            assertThat(answers.get(0)).startsWith("SIP/2.0 403");
            assertThat(invites).isEmpty();
            assertThat(agent.activeCalls()).isZero();
        }
    }

    @Test
    void byeReInviteUpdateInfoRefer_fromAStrangerWithTheDialogsIds_get403_andTheCallGoesOn() throws Exception {
        int port = startAgent();
        try (RawSipPeer caller = new RawSipPeer("127.0.0.1", port);
             RawSipPeer stranger = new RawSipPeer("127.0.0.2", port)) {
            String callId = UUID.randomUUID().toString();
            caller.send(caller.request("INVITE", callId, "c1", null, 1, true));
            String ok = caller.awaitResponse("SIP/2.0 200", 10_000);
            String toTag = RawSipPeer.toTag(ok);
            caller.send(caller.request("ACK", callId, "c1", toTag, 1, false));
            InboundCall call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).isNotNull();
            assertThat(call.signallingSource()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            AudioSdp sdpBefore = call.remoteSdp();

            int cseq = 2;
            for (String method : List.of("INVITE", "UPDATE", "INFO", "REFER", "BYE")) {
                stranger.send(stranger.request(method, callId, "c1", toTag, cseq++, method.equals("INVITE")
                        || method.equals("UPDATE")));
                List<String> answers = stranger.receiveAll(method.equals("INVITE") ? 1_500 : 300);
                assertThat(answers).as(method).hasSize(1);
                assertThat(answers.get(0)).as(method).startsWith("SIP/2.0 403");
            }
            assertThat(listener.events).isEmpty(); // neither reInvited nor remoteHangup
            assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
            assertThat(call.remoteSdp()).isEqualTo(sdpBefore);

            caller.send(caller.request("BYE", callId, "c1", toTag, cseq, false));
            assertThat(caller.awaitResponse("SIP/2.0 200", 10_000)).contains("BYE");
            assertThat(listener.next(WAIT)).isEqualTo("remoteHangup");
            assertThat(call.state()).isEqualTo(CallState.TERMINATED);
        }
    }
}
