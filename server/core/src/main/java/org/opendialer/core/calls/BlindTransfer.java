package org.opendialer.core.calls;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer of a user's call whose far end is a SIP leg (decision 0022), from the request to the end of
 * the caller's wait:
 *
 * <pre>
 *   TRYING ──target rings (18x; an extension: at once)──▶ RINGING ──target answers──▶ DONE (bridged / target's call)
 *     │  the caller hears ringback, the user's call          │  the user's call has ended transferred
 *     │  is still answered (detached)                        └─declined, busy, no answer──▶ RECALLING ──▶ DONE
 *     └─fails before ringing──▶ DONE: the caller is back with the user, {@link #started} fails
 * </pre>
 *
 * The caller's relay session keeps the user's browser leg while TRYING, detached, so a failure gives the
 * same call back with audio. A recall is a new inbound call of the same user ({@code recall: true}) with the
 * caller's leg as its far end; not taken, the caller gets a BYE. Engine thread only.
 */
final class BlindTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(BlindTransfer.class);

    enum Phase { TRYING, RINGING, RECALLING, DONE }

    /** What the engine lends a transfer: the user's call-waiting rule and the engine's own sets. */
    record Engine(LiveCalls calls, EngineThread thread, java.util.function.LongPredicate canRing,
                  Consumer<Ongoing> ringTimedOut, Set<Bridge> bridges, Set<BlindTransfer> live,
                  Duration targetRing, Duration recallRing) {}

    private final Engine engine;
    private final Ongoing from;
    private final SipFarEnd caller;
    private final MediaSession media;
    private final MediaSession.Side userSide;
    /** Completes when the target rings; fails (CallException) when the transfer fails before that. */
    final CompletableFuture<Void> started = new CompletableFuture<>();
    private Phase phase = Phase.TRYING;
    /** A number target: its new leg (its {@code media} the target's own relay session). */
    private SipFarEnd targetLeg;
    /** An extension target: the target user's ringing call. */
    private Ongoing targetCall;
    private Ongoing recallCall;
    private ScheduledFuture<?> ringTimer;

    BlindTransfer(Engine engine, Ongoing from) {
        this.engine = engine;
        this.from = from;
        this.caller = (SipFarEnd) from.far;
        this.media = from.media;
        this.userSide = from.mediaSide;
    }

    /** Whether {@code o}'s call can be transferred this way: a SIP far end in the call's own relay session. */
    static boolean applies(Ongoing o) {
        return o.far instanceof SipFarEnd s && s.media == null && s.leg != null && o.media != null
                && o.media.splicedWith() == null;
    }

    Phase phase() {
        return phase;
    }

    /** The handler of a number target's new leg (set before its INVITE is sent). */
    SipLegListener.Handler targetHandler(SipFarEnd leg) {
        this.targetLeg = leg;
        return new TargetLeg();
    }

    /**
     * The target's leg was sent its INVITE (a number) or the target's call registered (an extension,
     * {@link #ringExtension}): the caller leaves the user and hears ringback.
     */
    void begin() {
        if (from.held) {
            // Held by the user before the transfer: the caller must hear the ringback and the target.
            media.hold(false);
            try {
                caller.hold(from, false);
            } catch (CallException e) {
                LOG.warn("call {} not resumed for its transfer: {}", from.call.id, e.getMessage());
            }
            from.held = false;
        }
        if (targetLeg != null) {
            media.spliceDetached(userSide, targetLeg.media, MediaSession.Side.A);
        } else {
            media.detach(userSide);
        }
        MediaSession.Codec law = caller.codec() != null ? caller.codec() : MediaSession.Codec.PCMU;
        media.playTone(opposite(userSide), law, media.ringback());
        from.blind = this;
        engine.live().add(this);
        ringTimer = engine.thread().schedule(this::ringTimedOut, engine.targetRing());
    }

    /** An extension target: {@code t} is the target user's ringing call; their dialers have it, so it rings. */
    void ringExtension(Ongoing t) {
        targetCall = t;
        t.far = new TargetCall();
        begin();
        rang();
    }

    /** The target rings: the user's call ends transferred and the user is free; the caller waits alone. */
    private void rang() {
        if (phase != Phase.TRYING) {
            return;
        }
        phase = Phase.RINGING;
        caller.media = media; // the leg's re-INVITEs now point this session without a call
        caller.listener.target = new CallerLeg();
        media.releaseBrowser(userSide);
        from.blind = null;
        from.media = null; // the session goes on with the caller: ending the call must not close it
        engine.calls().end(from, EndReason.TRANSFERRED);
        LOG.info("call {}: the transfer target rings; the call ended transferred", from.call.id);
        started.complete(null);
    }

    /** The user's call ended while TRYING (hang-up, the caller's BYE): the target stops ringing. */
    void callEnded() {
        if (phase != Phase.TRYING) {
            return;
        }
        phase = Phase.DONE;
        stop();
        dropTarget();
        started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                "The call ended before the transfer target rang."));
    }

    /** Gateway shutdown, before the calls end: both legs get BYE or CANCEL, the target's or recall call ends. */
    void shutdown() {
        Phase was = phase;
        if (was == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        stop();
        for (Ongoing o : new Ongoing[] {targetCall, recallCall}) {
            if (o != null) {
                engine.calls().end(o, EndReason.GATEWAY_SHUTDOWN);
            }
        }
        dropTarget();
        if (was == Phase.TRYING) {
            from.blind = null;
            started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                    "The gateway is shutting down."));
            return; // the user's call still owns the caller's leg: its end hangs it up
        }
        hangUpCaller();
    }

    private void ringTimedOut() {
        switch (phase) {
            case TRYING -> {
                dropTarget();
                failedBeforeRing(EndReason.NO_ANSWER);
            }
            case RINGING -> {
                if (targetCall != null) {
                    engine.calls().end(targetCall, EndReason.NO_ANSWER); // its far end (ours) is not told
                } else {
                    dropTarget();
                }
                recall(EndReason.NO_ANSWER);
            }
            default -> { }
        }
    }

    private void failedBeforeRing(EndReason reason) {
        phase = Phase.DONE;
        stop();
        releaseTargetMedia();
        media.reattach(userSide);
        from.blind = null;
        LOG.info("transfer of call {} failed before the target rang: {}; the caller is back", from.call.id,
                reason.wire());
        started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                "The transfer failed (" + reason.wire() + "); the caller is still on the line with you."));
    }

    /** The target rang but did not take the call: offer the caller back to the user as a new call. */
    private void recall(EndReason why) {
        stopTimer();
        releaseTargetMedia();
        long userId = from.call.userId;
        if (!engine.canRing().test(userId)) {
            LOG.info("transfer of call {} failed ({}) and its user cannot take the caller back: BYE", from.call.id,
                    why.wire());
            phase = Phase.DONE;
            stop();
            hangUpCaller();
            return;
        }
        phase = Phase.RECALLING;
        boolean inbound = from.call.direction == CallDirection.INBOUND;
        Ongoing r = engine.calls().register(new Call(java.util.UUID.randomUUID().toString(), userId,
                CallDirection.INBOUND, inbound ? from.call.from : from.call.to, inbound ? from.call.to : from.call.from,
                inbound ? from.call.callerDisplayName : null, engine.calls().now(), true));
        r.far = new RecallFarEnd();
        recallCall = r;
        r.ringTimer = engine.thread().schedule(() -> engine.ringTimedOut().accept(r), engine.recallRing());
        LOG.info("transfer of call {} failed after ringing ({}): offered back as call {}", from.call.id, why.wire(),
                r.call.id);
    }

    /** The caller's leg ended (BYE) after the user's call did: everything of the transfer stops. */
    private void callerGone() {
        Phase was = phase;
        phase = Phase.DONE;
        stop();
        if (was == Phase.RINGING) {
            if (targetCall != null) {
                engine.calls().end(targetCall, EndReason.CANCELED);
            } else {
                dropTarget();
            }
        } else if (was == Phase.RECALLING && recallCall != null) {
            engine.calls().end(recallCall, EndReason.CANCELED);
        }
        media.close();
    }

    /** The target (or the recalled user) took the caller: the caller's leg is now {@code o}'s far end. */
    private void takenBy(Ongoing o) {
        phase = Phase.DONE;
        engine.live().remove(this);
        caller.media = null;
        caller.owner = o;
        caller.listener.target = caller;
        o.far = caller;
    }

    /** A browser takes the user's side of the caller's session (the target user's, or the user's on a recall). */
    private String joinBrowser(Ongoing o, String offerSdp) {
        stopTimer();
        media.stopTone();
        o.media = media;
        o.mediaSide = userSide;
        media.reattach(userSide);
        return offerSdp == null ? null : o.acceptOffer(offerSdp, caller.codec());
    }

    private void stop() {
        stopTimer();
        media.stopTone();
        engine.live().remove(this);
    }

    private void stopTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
            ringTimer = null;
        }
    }

    private void dropTarget() {
        if (targetLeg == null) {
            return;
        }
        try {
            targetLeg.leg.hangUp(); // CANCEL while it rings, BYE after a late 200
        } catch (RuntimeException e) {
            LOG.warn("transfer leg of call {} not ended: {}", from.call.id, e.toString());
        }
        releaseTargetMedia();
    }

    /** Closes the number target's relay session, unspliced first (closing a spliced session closes both). */
    private void releaseTargetMedia() {
        if (targetLeg == null) {
            return;
        }
        if (media.splicedWith() == targetLeg.media) {
            media.unsplice();
        }
        targetLeg.media.close();
    }

    private void hangUpCaller() {
        try {
            caller.leg.hangUp();
        } catch (RuntimeException e) {
            LOG.warn("caller of transferred call {} not hung up: {}", from.call.id, e.toString());
        }
        media.close();
    }

    private static MediaSession.Side opposite(MediaSession.Side side) {
        return side == MediaSession.Side.A ? MediaSession.Side.B : MediaSession.Side.A;
    }

    /** The number target's new leg. */
    private final class TargetLeg implements SipLegListener.Handler {
        @Override
        public void legProgress(int status, AudioSdp earlyMedia) {
            if (earlyMedia != null && phase != Phase.DONE) {
                targetLeg.pointed(earlyMedia); // its RTP reaches the caller and ends our ringback
            }
            rang();
        }

        @Override
        public void legAnswered(AudioSdp remote) {
            rang(); // a 200 without a 18x before it
            if (phase != Phase.RINGING) {
                dropTarget(); // too late: the transfer was given up
                return;
            }
            if (!targetLeg.pointed(remote)) {
                dropTarget();
                recall(EndReason.FAILED);
                return;
            }
            stopTimer();
            media.stopTone();
            phase = Phase.DONE;
            engine.live().remove(BlindTransfer.this);
            FarEndJoin.bridgeSpliced(caller, media, targetLeg, engine.bridges());
            LOG.info("call {} transferred to {}", from.call.id, targetLeg.leg.callId());
        }

        @Override
        public void legReInvited(AudioSdp remote) {
            targetLeg.pointed(remote);
        }

        @Override
        public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
            switch (phase) {
                case TRYING -> failedBeforeRing(reasonIfUnanswered);
                case RINGING -> recall(reasonIfUnanswered);
                default -> releaseTargetMedia();
            }
        }

        @Override
        public String callId() {
            return from.call.id;
        }
    }

    /** The caller's leg once the user's call ended (RINGING, RECALLING). */
    private final class CallerLeg implements SipLegListener.Handler {
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
            callerGone();
        }

        @Override
        public String callId() {
            return from.call.id;
        }
    }

    /** The far end of the target user's ringing call: the waiting caller. */
    private final class TargetCall implements FarEnd {
        @Override
        public String answer(Ongoing o, String offerSdp) {
            return joinBrowser(o, offerSdp);
        }

        @Override
        public void answered(Ongoing o) {
            takenBy(o);
            LOG.info("call {} transferred to call {}", from.call.id, o.call.id);
        }

        @Override
        public void hangUp(Ongoing o, EndReason peerReason) {
            reject(o, 0, peerReason);
        }

        @Override
        public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
            if (phase == Phase.RINGING) {
                EndReason why = o.call.view().endReason(); // declined, no_answer: how the target's call ended
                recall(why != null ? why : peerReason);
            }
        }

        @Override
        public void hold(Ongoing o, boolean held) {
            throw new CallException(CallException.Reason.CALL_NOT_FOUND, "There is no answered call to hold.");
        }

        @Override
        public MediaSession.Codec browserCodec(Ongoing o) {
            return caller.codec();
        }

        @Override
        public void handOver(Ongoing previous, Ongoing next) {
            throw new IllegalStateException("a ringing transfer target is not transferred");
        }
    }

    /** The far end of the recall: the caller, waiting with ringback. */
    private final class RecallFarEnd implements FarEnd {
        @Override
        public String answer(Ongoing o, String offerSdp) {
            return joinBrowser(o, offerSdp);
        }

        @Override
        public void answered(Ongoing o) {
            takenBy(o);
            LOG.info("call {}: the user took the caller back", o.call.id);
        }

        @Override
        public void hangUp(Ongoing o, EndReason peerReason) {
            reject(o, 0, peerReason);
        }

        @Override
        public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
            if (phase == Phase.RECALLING) {
                LOG.info("recall {} not taken: the caller gets a BYE", o.call.id);
                phase = Phase.DONE;
                stop();
                hangUpCaller();
            }
        }

        @Override
        public void hold(Ongoing o, boolean held) {
            throw new CallException(CallException.Reason.CALL_NOT_FOUND, "There is no answered call to hold.");
        }

        @Override
        public MediaSession.Codec browserCodec(Ongoing o) {
            return caller.codec();
        }

        @Override
        public void handOver(Ongoing previous, Ongoing next) {
            throw new IllegalStateException("a ringing recall is not transferred");
        }
    }
}
