package org.opendialer.core.calls;

import org.opendialer.sip.ReferOutcome;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An attended transfer by SIP REFER (DIALER_TRANSFER=refer): the trunk or PBX is asked to connect the far end of
 * the user's call to the far end of the user's consultation call (Replaces, RFC 3891), or, for a call whose
 * relay session a transfer already joined, to a number (RFC 3515; other blind transfers by REFER are a
 * {@link BlindTransfer}, decision 0027). The user's call stays as it is while the far end tries; the NOTIFYs tell the outcome. On success
 * the user's call (and the consultation call) ends {@code transferred} and we send BYE; on failure, or when the
 * REFER itself is refused, the call goes on and the user's dialers get {@link Dialer#transferFailed}.
 */
final class ReferTransfer implements ReferOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(ReferTransfer.class);

    private final LiveCalls calls;
    private final EngineThread thread;
    private final Ongoing o;
    /** The consultation call whose far end replaces ours (attended), or null (blind). */
    private final Ongoing consultation;
    /** The far end took the REFER (202): a BYE from it now means the transfer went through. Engine thread. */
    private boolean accepted;

    private ReferTransfer(LiveCalls calls, EngineThread thread, Ongoing o, Ongoing consultation) {
        this.calls = calls;
        this.thread = thread;
        this.o = o;
        this.consultation = consultation;
    }

    /**
     * Sends the REFER on {@code o}'s leg: to {@code target} (digits, "+" for E.164), with {@code consultation}'s
     * leg in a Replaces header when it is not null. On the engine thread.
     *
     * @throws CallException TRANSFER_REFUSED when a leg cannot carry a REFER now (not answered, one under way)
     */
    static void start(LiveCalls calls, EngineThread thread, Ongoing o, String target, Ongoing consultation) {
        SipCall leg = o.far.sipLeg();
        SipCall replaced = consultation == null ? null : consultation.far.sipLeg();
        if (leg == null || consultation != null && replaced == null) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "Only calls through the SIP trunk or PBX can be transferred by REFER.");
        }
        ReferTransfer t = new ReferTransfer(calls, thread, o, consultation);
        try {
            leg.refer(target, replaced, t);
        } catch (SipAgentException e) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "The call cannot be transferred now (" + e.getMessage() + ").");
        }
        o.referring = t;
        if (consultation != null) {
            consultation.referring = t;
        }
        LOG.info("call {}: REFER sent toward {}{}", o.call.id, target,
                consultation == null ? "" : " replacing call " + consultation.call.id);
    }

    /** Whether the far end accepted the REFER: its hang-up then completes the transfer. */
    boolean isAccepted() {
        return accepted;
    }

    @Override
    public void accepted() {
        thread.execute(() -> accepted = true);
    }

    @Override
    public void ended(int status, String phrase, boolean refused) {
        thread.execute(() -> finish(status, phrase, refused));
    }

    /** A leg of the transfer hung up after the far end accepted it: the far end went on to the target. */
    void legHungUp() {
        finish(200, "the far end hung up after accepting the REFER", false);
    }

    private void finish(int status, String phrase, boolean refused) {
        if (o.referring != this) {
            return; // finished already, or the call ended
        }
        o.referring = null;
        if (consultation != null && consultation.referring == this) {
            consultation.referring = null;
        }
        if (status / 100 == 2) {
            LOG.info("call {} transferred by REFER", o.call.id);
            end(o);
            if (consultation != null) {
                end(consultation);
            }
            return;
        }
        EndReason reason = reasonFor(status);
        LOG.info("transfer of call {} by REFER failed: {} {}{}", o.call.id, status, phrase,
                refused ? " (the REFER was refused)" : "");
        if (!o.call.state().isFinal()) {
            calls.events().transferFailed(o, reason);
        }
    }

    private void end(Ongoing call) {
        if (!call.call.state().isFinal()) {
            calls.end(call, EndReason.TRANSFERRED);
            call.far.hangUp(call, EndReason.TRANSFERRED); // BYE, unless the far end sent one already
        }
    }

    /** The transferFailed reason for the final status of the far end's call to the target (0: none came). */
    static EndReason reasonFor(int status) {
        return switch (status) {
            case 486, 600 -> EndReason.BUSY;
            case 603 -> EndReason.DECLINED;
            case 408, 480 -> EndReason.NO_ANSWER;
            case 487 -> EndReason.CANCELED;
            default -> EndReason.FAILED;
        };
    }
}
