package org.opendialer.core.calls;

import java.time.Duration;
import java.util.function.Consumer;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP caller waiting without a user's call (decisions 0022, 0027): the caller's leg and its relay session,
 * the user's side detached or released, while a transfer decides where the caller goes. It plays ringback,
 * takes the leg's events from the user's call, offers the caller to a ringing call (a transfer target's, a
 * recall) whose browser then takes the user's side of the session, or hangs the caller up. The transfer that
 * owns it keeps the state ({@link BlindTransfer.Phase}). Engine thread only.
 */
final class WaitingCaller {
    private static final Logger LOG = LoggerFactory.getLogger(WaitingCaller.class);

    /** The user's call whose far end the caller was. */
    final Ongoing from;
    final SipFarEnd caller;
    /** The caller's relay session: the caller's RTP on one side, the user's (detached) browser on {@link #userSide}. */
    final MediaSession media;
    final MediaSession.Side userSide;

    WaitingCaller(Ongoing from) {
        this.from = from;
        this.caller = (SipFarEnd) from.far;
        this.media = from.media;
        this.userSide = from.mediaSide;
    }

    /** Whether {@code o}'s caller can wait so: a SIP far end in the call's own relay session. */
    static boolean applies(Ongoing o) {
        return o.far instanceof SipFarEnd s && s.media == null && s.leg != null && o.media != null
                && o.media.splicedWith() == null;
    }

    /** Ringback (DIALER_RINGBACK) toward the caller, in its leg's law (until {@link #stopTone} or a browser joins). */
    void ringback() {
        MediaSession.Codec law = caller.codec() != null ? caller.codec() : MediaSession.Codec.PCMU;
        media.playTone(opposite(userSide), law, media.ringback());
    }

    void stopTone() {
        media.stopTone();
    }

    /** The user had held the call: the relay and the leg (re-INVITE {@code a=sendrecv}) are resumed. */
    void resume() {
        media.hold(false);
        try {
            caller.hold(from, false);
        } catch (CallException e) {
            LOG.warn("call {}: the caller's leg not resumed: {}", from.call.id, e.getMessage());
        }
        from.held = false;
    }

    /**
     * The user's call is about to end: the leg's events come here (its re-INVITEs point the session, its end runs
     * {@code gone}), the user's browser leg is released, and the call no longer owns (nor closes) the session.
     */
    void detachFromCall(Runnable gone) {
        caller.media = media;
        caller.listener.target = new WaitingLeg(gone);
        media.releaseBrowser(userSide);
        from.media = null;
    }

    /**
     * A new inbound call of the user offering the caller back ({@code recall: true}, decision 0022) with
     * {@code far} as its far end; it rings for {@code ring}.
     */
    Ongoing offerBack(LiveCalls calls, EngineThread thread, FarEnd far, Consumer<Ongoing> ringTimedOut,
                      Duration ring) {
        return offerBack(from, calls, thread, far, ringTimedOut, ring);
    }

    /** The recall call offering {@code from}'s caller back to its user (shared with {@link WaitingBrowser}). */
    static Ongoing offerBack(Ongoing from, LiveCalls calls, EngineThread thread, FarEnd far,
                             Consumer<Ongoing> ringTimedOut, Duration ring) {
        boolean inbound = from.call.direction == CallDirection.INBOUND;
        Ongoing r = calls.register(new Call(java.util.UUID.randomUUID().toString(), from.call.userId,
                CallDirection.INBOUND, inbound ? from.call.from : from.call.to, inbound ? from.call.to : from.call.from,
                inbound ? from.call.callerDisplayName : null, calls.now(), true));
        r.far = far;
        r.ringTimer = thread.schedule(() -> ringTimedOut.accept(r), ring);
        return r;
    }

    /** A browser takes the user's side of the caller's session (the target user's, or the user's on a recall). */
    String joinBrowser(Ongoing o, String offerSdp) {
        return joinBrowser(media, userSide, o, offerSdp, caller.codec());
    }

    /** {@code o}'s browser takes {@code userSide} of {@code media}, the tone stopped (shared with {@link WaitingBrowser}). */
    static String joinBrowser(MediaSession media, MediaSession.Side userSide, Ongoing o, String offerSdp,
                              MediaSession.Codec law) {
        media.stopTone();
        o.media = media;
        o.mediaSide = userSide;
        media.reattach(userSide);
        return offerSdp == null ? null : o.acceptOffer(offerSdp, law);
    }

    /** {@code o} answered: the caller's leg is its far end from now on. */
    void handTo(Ongoing o) {
        caller.media = null;
        caller.owner = o;
        caller.listener.target = caller;
        o.far = caller;
    }

    /** BYE to the caller (nothing if its leg has ended) and the session closed. */
    void hangUp() {
        try {
            caller.leg.hangUp();
        } catch (RuntimeException e) {
            LOG.warn("caller of transferred call {} not hung up: {}", from.call.id, e.toString());
        }
        media.close();
    }

    /** The caller's leg while it waits: no call of a user owns it. */
    private final class WaitingLeg implements SipLegListener.Handler {
        private final Runnable gone;

        WaitingLeg(Runnable gone) {
            this.gone = gone;
        }

        @Override
        public void legAnswered(AudioSdp remote) {
        }

        @Override
        public void legProgress(int status, AudioSdp earlyMedia) {
        }

        @Override
        public void legReInvited(AudioSdp remote) {
            caller.pointed(remote);
        }

        @Override
        public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
            LOG.info("the caller of transferred call {} hung up", from.call.id);
            gone.run();
        }

        @Override
        public String callId() {
            return from.call.id;
        }
    }

    private static MediaSession.Side opposite(MediaSession.Side side) {
        return side == MediaSession.Side.A ? MediaSession.Side.B : MediaSession.Side.A;
    }

    /**
     * The far end of a ringing call that offers the waiting caller (a transfer target's call, a recall): the
     * answer joins that call's browser to the caller's session; a hang-up is a refusal; nothing else applies yet.
     */
    abstract static class Offer implements FarEnd {
        final WaitingCaller waiting;

        Offer(WaitingCaller waiting) {
            this.waiting = waiting;
        }

        @Override
        public String answer(Ongoing o, String offerSdp) {
            return waiting.joinBrowser(o, offerSdp);
        }

        @Override
        public void hangUp(Ongoing o, EndReason peerReason) {
            reject(o, 0, peerReason);
        }

        @Override
        public void hold(Ongoing o, boolean held) {
            throw new CallException(CallException.Reason.CALL_NOT_FOUND, "There is no answered call to hold.");
        }

        @Override
        public MediaSession.Codec browserCodec(Ongoing o) {
            return waiting.caller.codec();
        }

        @Override
        public void handOver(Ongoing previous, Ongoing next) {
            throw new IllegalStateException("a ringing call offering a waiting caller is not transferred");
        }
    }
}
