package org.opendialer.core.calls;

import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.IncomingRefer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The far end of a user's call while we follow a REFER its SIP far end sent (RFC 3515): the old leg
 * ({@code previous}) still carries the call while a new leg ({@code next}) rings the Refer-To target. When the
 * target answers, the new leg becomes the call's far end (same relay session, same browser leg: the user hears
 * the target at once), the referrer is told 200 and gets our BYE. When it fails, the referrer is told why and
 * the old leg goes on, or the call ends if the referrer already hung up. The new leg's events come here until
 * it answers.
 */
final class ReferFollowing implements FarEnd, SipLegListener.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ReferFollowing.class);

    private final LiveCalls calls;
    private final Ongoing o;
    private final SipFarEnd previous;
    private final IncomingRefer refer;
    private SipFarEnd next;
    private SipLegListener nextListener;
    /** The referrer hung up while the target rang (common: a blind transfer's REFER, then BYE). */
    private boolean previousGone;
    /** The new leg answered or failed: this far end is out of the call. */
    private boolean done;
    /** Whether the new leg's INVITE offered a held call (a=sendonly): the user's hold state when it was placed. */
    private boolean offeredHeld;

    ReferFollowing(LiveCalls calls, Ongoing o, SipFarEnd previous, IncomingRefer refer) {
        this.calls = calls;
        this.o = o;
        this.previous = previous;
        this.refer = refer;
    }

    void offeredHeld(boolean held) {
        this.offeredHeld = held;
    }

    void nextLeg(SipFarEnd next, SipLegListener listener) {
        this.next = next;
        this.nextListener = listener;
    }

    /** Whether the new leg has answered and replaced the old one (whose later events are then ignored). */
    boolean swapped() {
        return done;
    }

    /** The old leg ended (the referrer's BYE): the call goes on with the new leg if it answers. */
    void previousLegEnded() {
        if (!done) {
            previousGone = true;
        }
    }

    // ---- FarEnd: the user's call meanwhile ----

    @Override
    public String answer(Ongoing call, String offerSdp) {
        throw new IllegalStateException("an answered call follows a REFER");
    }

    @Override
    public void hangUp(Ongoing call, EndReason peerReason) {
        done = true;
        o.following = null;
        refer.finish(487, "Request Terminated");
        if (!previousGone) {
            previous.hangUp(call, peerReason);
        }
        next.hangUp(call, peerReason); // CANCEL while it rings
    }

    @Override
    public void reject(Ongoing call, int sipStatus, EndReason peerReason) {
        hangUp(call, peerReason);
    }

    @Override
    public void hold(Ongoing call, boolean held) {
        if (!previousGone) {
            previous.hold(call, held);
        }
    }

    @Override
    public MediaSession.Codec browserCodec(Ongoing call) {
        return previous.browserCodec(call);
    }

    @Override
    public void handOver(Ongoing from, Ongoing to) {
        throw new IllegalStateException("a call that follows a REFER is not transferred");
    }

    // ---- the new leg's events until it answers ----

    @Override
    public void legAnswered(AudioSdp remote) {
        if (done) {
            return;
        }
        done = true;
        o.following = null;
        next.owner = o;
        nextListener.target = next;
        o.far = next;
        next.mediaKnown(o, remote); // the relay's SIP side now talks to the target
        if (o.held != offeredHeld) {
            // The user held or resumed while the target rang: the new leg learns the state the dialer shows.
            try {
                next.hold(o, o.held);
            } catch (CallException e) {
                LOG.warn("call {}: the new leg's hold state not updated: {}", o.call.id, e.getMessage());
            }
        }
        refer.finish(200, "OK");
        if (!previousGone) {
            previous.hangUp(o, EndReason.TRANSFERRED); // BYE to the referrer (RFC 5589 6.1 lets either end send it)
        }
        LOG.info("call {}: REFER followed, the Refer-To target answered", o.call.id);
    }

    @Override
    public void legProgress(int status, AudioSdp earlyMedia) {
        if (!done) {
            refer.progress(status, status == 180 ? "Ringing" : "Session Progress");
        }
    }

    @Override
    public void legReInvited(AudioSdp remote) {
        // not before the answer: a new leg's SDP comes with legAnswered
    }

    /**
     * The target answered the INVITE with a failure: the referrer hears that status (RFC 3515 2.4.5: the sipfrag
     * is the final response's status line), e.g. 481 when the dialog a Replaces names is gone.
     */
    @Override
    public void legFailed(EndReason reason, int status, String phrase) {
        if (status >= 300 && status <= 699) {
            String text = phrase == null ? "" : phrase.replaceAll("\\p{Cntrl}", "").strip();
            ended(reason, status, text.length() > 80 ? text.substring(0, 80) : text);
        } else {
            legEnded(reason, false);
        }
    }

    @Override
    public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
        ended(reasonIfUnanswered, 0, null);
    }

    /** The new leg is over unanswered: the referrer hears {@code status} (0: one for the reason), the call goes on. */
    private void ended(EndReason reasonIfUnanswered, int status, String phrase) {
        if (done) {
            return;
        }
        done = true;
        o.following = null;
        if (status != 0) {
            refer.finish(status, phrase);
        } else {
            switch (reasonIfUnanswered) {
                case BUSY -> refer.finish(486, "Busy Here");
                case DECLINED -> refer.finish(603, "Decline");
                case NO_ANSWER -> refer.finish(480, "Temporarily Unavailable");
                case CANCELED -> refer.finish(487, "Request Terminated");
                case UNREACHABLE -> refer.finish(503, "Service Unavailable");
                default -> refer.finish(500, "Server Internal Error");
            }
        }
        LOG.info("call {}: the Refer-To target did not answer ({}){}", o.call.id, reasonIfUnanswered.wire(),
                previousGone ? "; the referrer hung up already: the call ends" : "; the call goes on");
        o.far = previous;
        previous.replacedBy = null;
        if (previousGone && !o.call.state().isFinal()) {
            calls.end(o, EndReason.REMOTE_HANGUP);
        }
    }
}
