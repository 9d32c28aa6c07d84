package org.opendialer.core.calls;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.opendialer.core.calls.BlindTransfer.Phase;
import org.opendialer.media.relay.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer of a user's extension call: the caller is another user's browser ({@link ExtensionFarEnd}),
 * whose own call goes on answered while it waits (decision 0028, 0022's semantics for a browser caller), in the
 * phases of {@link BlindTransfer.Phase}:
 *
 * <pre>
 *   TRYING ──target rings (18x; an extension: at once)──▶ RINGING ──target answers──▶ DONE (caller talks to it)
 *     │  the caller hears ringback (or the target's early      │  the user's call has ended transferred
 *     │  media), the user's call is answered (detached)         └─declined, busy, no answer──▶ RECALLING ──▶ DONE
 *     └─fails before ringing──▶ DONE: the caller is back with the user, {@link #started} fails
 * </pre>
 *
 * Both users' browsers share one relay session; the user's side is detached, then released at the ring, and a
 * browser that takes the caller (the target's, or the user's on a recall) takes that side with a new offer. A
 * number target's new leg has a session of its own, spliced to the user's side (as {@link BlindTransfer}), and
 * becomes the caller's call's far end at the answer. The caller hanging up at any phase ends everything of the
 * transfer ({@link #ended}). What concerns the waiting caller itself is {@link WaitingBrowser}'s. Engine thread only.
 */
final class BrowserCallerTransfer implements TransferTargetLeg.Transfer {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserCallerTransfer.class);

    private final BlindTransfer.Engine engine;
    private final Set<BrowserCallerTransfer> live;
    private final WaitingBrowser waiting;
    private final Ongoing from;
    private final Ongoing caller;
    private final MediaSession media;
    private final MediaSession.Side userSide;
    /** Completes when the target rings; fails (CallException) when the transfer fails before that. */
    final CompletableFuture<Void> started = new CompletableFuture<>();
    private Phase phase = Phase.TRYING;
    /** A number target: its new leg (its {@code media} the target's own relay session). */
    private TransferTargetLeg target;
    /** An extension target: the target user's ringing call. */
    private Ongoing targetCall;
    private Ongoing recallCall;
    private ScheduledFuture<?> ringTimer;

    BrowserCallerTransfer(BlindTransfer.Engine engine, Set<BrowserCallerTransfer> live, Ongoing from) {
        this.engine = engine;
        this.live = live;
        this.waiting = new WaitingBrowser(from);
        this.from = from;
        this.caller = waiting.caller;
        this.media = waiting.media;
        this.userSide = waiting.userSide;
    }

    /** Whether {@code o}'s call can be transferred this way: an extension call with its relay session. */
    static boolean applies(Ongoing o) {
        return WaitingBrowser.applies(o);
    }

    @Override
    public Phase phase() {
        return phase;
    }

    /** The one place the phase changes (the same {@link Phase} as a SIP caller's transfer, and its rule). */
    private void moveTo(Phase next) {
        if (!phase.canMoveTo(next)) {
            throw new IllegalStateException("transfer of call " + from.call.id + ": " + phase + " → " + next);
        }
        LOG.debug("transfer of call {}: {} → {}", from.call.id, phase, next);
        phase = next;
    }

    /** The handler of a number target's new leg (set before its INVITE is sent). */
    SipLegListener.Handler targetHandler(SipFarEnd leg) {
        this.target = new TransferTargetLeg(leg, media, this);
        return target;
    }

    /** The target's INVITE was sent (a number) or its call registered (an extension): the caller hears ringback. */
    void begin() {
        if (from.held) {
            media.hold(false); // held before the transfer: the caller must hear the ringback and the target
            from.held = false;
        }
        if (target != null) {
            media.spliceDetached(userSide, target.leg.media, MediaSession.Side.A);
        } else {
            media.detach(userSide);
        }
        waiting.ringback();
        from.browserTransfer = this;
        caller.browserTransfer = this;
        live.add(this);
        ringTimer = engine.thread().schedule(this::ringTimedOut, engine.targetRing());
    }

    /** An extension target: {@code t} is the target user's ringing call; their dialers have it, so it rings. */
    void ringExtension(Ongoing t) {
        targetCall = t;
        t.far = new TargetCall();
        begin();
        rang();
    }

    /** {@code o} (the user's call or the caller's) ended: LiveCalls tells us once. */
    void ended(Ongoing o) {
        if (o == from) {
            if (phase != Phase.TRYING) {
                return;
            }
            // The user hung up (or lost the dialer) before the ring: the target stops; the caller's call ends
            // with the user's (its far end is still the user's call).
            moveTo(Phase.DONE);
            stop();
            dropTarget();
            caller.browserTransfer = null;
            started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                    "The call ended before the transfer target rang."));
            return;
        }
        callerGone();
    }

    /** Gateway shutdown, before the calls end: the target's or the recall call ends, a number target gets CANCEL. */
    void shutdown() {
        if (phase == Phase.TRYING || phase == Phase.DONE) {
            return; // TRYING: the user's call still holds it all, and its end (ended) stops the target
        }
        moveTo(Phase.DONE);
        stop();
        caller.browserTransfer = null;
        for (Ongoing o : new Ongoing[] {targetCall, recallCall}) {
            if (o != null) {
                engine.calls().end(o, EndReason.GATEWAY_SHUTDOWN);
            }
        }
        dropTarget();
    }

    /** The target rings: the user's call ends transferred and the user is free; the caller waits alone. */
    @Override
    public void rang() {
        if (phase != Phase.TRYING) {
            return;
        }
        moveTo(Phase.RINGING);
        media.releaseBrowser(userSide);
        caller.far = waiting.farEnd();
        from.browserTransfer = null;
        from.media = null; // the session goes on with the caller: ending the call must not close it
        engine.calls().end(from, EndReason.TRANSFERRED);
        LOG.info("call {}: the transfer target rings; the call ended transferred", from.call.id);
        started.complete(null);
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
        moveTo(Phase.DONE);
        stop();
        releaseTargetMedia();
        media.reattach(userSide);
        from.browserTransfer = null;
        caller.browserTransfer = null;
        LOG.info("transfer of call {} failed before the target rang: {}; the caller is back", from.call.id,
                reason.wire());
        started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                "The transfer failed (" + reason.wire() + "); the caller is still on the line with you."));
    }

    /** The target rang but did not take the call: offer the caller back to the user as a new call. */
    private void recall(EndReason why) {
        stopTimer();
        releaseTargetMedia();
        waiting.ringback(); // again if the target's early media had replaced it
        long userId = from.call.userId;
        if (!engine.canRing().test(userId)) {
            LOG.info("transfer of call {} failed ({}) and its user cannot take the caller back", from.call.id,
                    why.wire());
            giveUp();
            return;
        }
        moveTo(Phase.RECALLING);
        Ongoing r = waiting.offerBack(engine.calls(), engine.thread(), new RecallFarEnd(), engine.ringTimedOut(),
                engine.recallRing());
        recallCall = r;
        LOG.info("transfer of call {} failed after ringing ({}): offered back as call {}", from.call.id, why.wire(),
                r.call.id);
    }

    /** Nobody takes the caller: their call ends as if the user had hung up (decision 0028). */
    private void giveUp() {
        moveTo(Phase.DONE);
        stop();
        caller.browserTransfer = null;
        engine.calls().end(caller, EndReason.REMOTE_HANGUP);
    }

    /** The caller's call ended (hang-up, lost dialer, media timeout): everything of the transfer stops. */
    private void callerGone() {
        Phase was = phase;
        if (was == Phase.DONE) {
            return;
        }
        moveTo(Phase.DONE);
        stop();
        LOG.info("the caller of call {} left during its transfer ({})", from.call.id, was);
        switch (was) {
            case TRYING -> {
                dropTarget();
                from.browserTransfer = null;
                started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                        "The caller hung up before the transfer target rang."));
            }
            case RINGING -> {
                if (targetCall != null) {
                    engine.calls().end(targetCall, EndReason.CANCELED);
                } else {
                    dropTarget();
                }
            }
            case RECALLING -> engine.calls().end(recallCall, EndReason.CANCELED);
            default -> { }
        }
    }

    /** {@code o}'s browser took the caller (the target's call, or the recall): an extension pair from now on. */
    private void takenBy(Ongoing o) {
        moveTo(Phase.DONE);
        live.remove(this);
        caller.browserTransfer = null;
        waiting.pairWith(engine.calls(), o);
    }

    private void stop() {
        stopTimer();
        media.stopTone();
        live.remove(this);
    }

    private void stopTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
            ringTimer = null;
        }
    }

    private void dropTarget() {
        if (target != null) {
            target.drop();
        }
    }

    private void releaseTargetMedia() {
        if (target != null) {
            target.release();
        }
    }

    /** The number target answered: the caller's call now talks to that SIP leg (its session spliced to ours). */
    @Override
    public void targetAnswered() {
        moveTo(Phase.DONE);
        stop();
        caller.browserTransfer = null;
        waiting.talkTo(target.leg);
        LOG.info("call {} transferred to SIP leg {}", from.call.id, target.leg.leg.callId());
    }

    @Override
    public void targetFailed(EndReason reason) {
        switch (phase) {
            case TRYING -> failedBeforeRing(reason);
            case RINGING -> recall(reason);
            default -> { }
        }
    }

    @Override
    public String callId() {
        return from.call.id;
    }

    /** The far end of the target user's ringing call, and of the recall: the waiting caller. */
    private class TargetCall implements FarEnd {
        @Override
        public String answer(Ongoing o, String offerSdp) {
            stopTimer();
            return waiting.joinBrowser(o, offerSdp);
        }

        @Override
        public void answered(Ongoing o) {
            takenBy(o);
            LOG.info("call {}: call {} took the caller", from.call.id, o.call.id);
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
            return waiting.law();
        }

        @Override
        public void handOver(Ongoing previous, Ongoing next) {
            throw new IllegalStateException("a ringing call is not transferred");
        }
    }

    /** The recall's far end: as the target's, but a recall not taken ends the caller's call. */
    private final class RecallFarEnd extends TargetCall {
        @Override
        public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
            if (phase == Phase.RECALLING) {
                LOG.info("recall {} not taken: the caller's call ends", o.call.id);
                giveUp();
            }
        }
    }
}
