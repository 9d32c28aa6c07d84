package org.opendialer.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;
import org.opendialer.sip.InboundCall;
import org.opendialer.sip.InboundCallHandler;
import org.opendialer.sip.SipAgentException;

/**
 * What the sandbox does with an INVITE from the gateway: look the called number up and act out its
 * {@link Behaviour}. Runs on the SIP agent's event thread and never blocks: delays run on the media pump.
 */
final class TestNumberHandler implements InboundCallHandler {
    private static final int NOT_FOUND = 404;
    private static final int BUSY_HERE = 486;
    private static final int NOT_ACCEPTABLE_HERE = 488;
    private static final int SERVICE_UNAVAILABLE = 503;
    private static final int DECLINE = 603;

    private final Sandbox sandbox;

    TestNumberHandler(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public CallListener onInvite(InboundCall invite) {
        String from = invite.identity().from() == null ? "anonymous" : invite.identity().from();
        String to = invite.identity().to();
        Optional<Behaviour> behaviour = TestNumbers.behaviourOf(to);
        if (behaviour.isEmpty()) {
            // The 404 should name the test numbers in its reason phrase, but InboundCall.reject(int) sends the
            // standard one ("Not Found"); until server/sip takes a phrase, the log line names them.
            SandboxLog.info(from + " -> " + to + ": 404, not a sandbox test number (they are "
                    + TestNumbers.summary() + ")");
            invite.reject(NOT_FOUND);
            return null;
        }
        Behaviour b = behaviour.get();
        SandboxCall call = new SandboxCall(from + " -> " + to + " (" + b.wireName + ")", sandbox.pump(), null,
                sandbox::forgetCall);
        call.setLeg(invite);
        if (!sandbox.admit(call)) {
            SandboxLog.warn(call.label() + ": 503, too many sandbox calls at once");
            invite.reject(SERVICE_UNAVAILABLE);
            return null;
        }
        switch (b) {
            case ECHO -> answer(invite, call, RtpSession.Mode.ECHO);
            case TONE -> answer(invite, call, RtpSession.Mode.TONE);
            case BUSY -> reject(invite, call, BUSY_HERE, "486 busy");
            case DECLINED -> {
                invite.ring();
                call.addTimer(sandbox.pump().schedule(() -> reject(invite, call, DECLINE, "603 declined"), b.ringFor));
            }
            case NO_ANSWER -> {
                invite.ring();
                SandboxLog.info(call.label() + ": ringing, and it will never answer");
            }
            case DELAYED_ANSWER -> {
                invite.ring();
                call.addTimer(sandbox.pump().schedule(() -> answer(invite, call, RtpSession.Mode.ECHO), b.ringFor));
            }
        }
        return call;
    }

    private static void reject(InboundCall invite, SandboxCall call, int status, String what) {
        invite.reject(status);
        call.end(what);
    }

    /** Answers with our SDP, starts the RTP and the call's time limit. */
    private void answer(InboundCall invite, SandboxCall call, RtpSession.Mode mode) {
        if (call.isEnded()) {
            return; // canceled while it rang
        }
        AudioSdp offer = invite.offer();
        if (offer == null) {
            reject(invite, call, NOT_ACCEPTABLE_HERE, "488, an INVITE without SDP offer is not supported");
            return;
        }
        DatagramChannel rtp = null;
        try {
            rtp = sandbox.allocateRtp();
            int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
            AudioSdp answer = sandbox.agent().localAnswer(offer, port);
            RtpSession media = new RtpSession(rtp, mode, answer.formats().get(0).payloadType(),
                    new InetSocketAddress(offer.address(), offer.port()), SandboxCall.mayWeSend(offer.direction()));
            invite.answer(answer);
            call.startMedia(media);
            SandboxLog.info(call.label() + ": answered, " + (mode == RtpSession.Mode.ECHO ? "echoing" : "playing the tone")
                    + " " + answer.formats().get(0).encoding() + " from " + answer.address() + ":" + port
                    + " to " + offer.address() + ":" + offer.port());
            call.addTimer(sandbox.pump().schedule(() -> call.hangUp("hung up after "
                    + Sandbox.MAX_CALL_DURATION.toMinutes() + " min, the test call limit"), Sandbox.MAX_CALL_DURATION));
        } catch (IOException | SipAgentException e) {
            if (rtp != null) {
                try {
                    rtp.close();
                } catch (IOException ignored) {
                    // closing a socket we never used
                }
            }
            if (!call.isEnded()) {
                invite.reject(SERVICE_UNAVAILABLE);
                call.end("not answered: " + e.getMessage());
            }
        }
    }
}
