package org.opendialer.core.calls;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.SipAgentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer of a user's call whose far end is a SIP leg (decisions 0022, 0027), from the request to the
 * end of the caller's wait. The target is a new leg of ours (a number, bridge mode), another user's call (an
 * extension), or the far end's own call to it, told by NOTIFYs (REFER mode):
 *
 * <pre>
 *   TRYING ──target rings (18x; an extension: at once)──▶ RINGING ──target answers──▶ DONE (bridged / target's call)
 *     │  the user's call is still answered, its               │  the user's call has ended transferred
 *     │  browser detached                                     └─declined, busy, no answer──▶ RECALLING ──▶ DONE
 *     └─fails before ringing──▶ DONE: the caller is back with the user, {@link #started} fails
 * </pre>
 *
 * The caller's relay session keeps the user's browser leg while TRYING, detached, so a failure gives the
 * same call back with audio. Bridge mode: the caller hears our ringback from TRYING on; REFER mode: the far end
 * decides what its caller hears until a recall. A recall is a new inbound call of the same user
 * ({@code recall: true}) with the caller's leg as its far end; not taken, the caller gets a BYE. Engine thread only.
 */
final class BlindTransfer implements TransferTargetLeg.Transfer {
    private static final Logger LOG = LoggerFactory.getLogger(BlindTransfer.class);

    enum Phase {
        TRYING, RINGING, RECALLING, DONE;

        boolean canMoveTo(Phase next) {
            return switch (this) {
                case TRYING -> next == RINGING || next == DONE;
                case RINGING -> next == RECALLING || next == DONE;
                case RECALLING -> next == DONE;
                case DONE -> false;
            };
        }
    }

    /** What the engine lends a transfer: the user's call-waiting rule and the engine's own sets. */
    record Engine(LiveCalls calls, EngineThread thread, java.util.function.LongPredicate canRing,
                  Consumer<Ongoing> ringTimedOut, Set<Bridge> bridges, Set<BlindTransfer> live,
                  Duration targetRing, Duration recallRing) {}

    private final Engine engine;
    private final Ongoing from;
    private final WaitingCaller waiting;
    private final SipFarEnd caller;
    private final MediaSession media;
    /** Completes when the target rings; fails (CallException) when the transfer fails before that. */
    final CompletableFuture<Void> started = new CompletableFuture<>();
    private Phase phase = Phase.TRYING;
    /** A number target: its new leg (its {@code media} the target's own relay session). */
    private TransferTargetLeg target;
    /** An extension target: the target user's ringing call. */
    private Ongoing targetCall;
    /** REFER mode: the far end calls the target; its answer and NOTIFYs are the target's progress. */
    private ReferProgress refer;
    private Ongoing recallCall;
    private ScheduledFuture<?> ringTimer;

    BlindTransfer(Engine engine, Ongoing from) {
        this.engine = engine;
        this.from = from;
        this.waiting = new WaitingCaller(from);
        this.caller = waiting.caller;
        this.media = waiting.media;
    }

    /** Whether {@code o}'s call can be transferred this way: a SIP far end in the call's own relay session. */
    static boolean applies(Ongoing o) {
        return WaitingCaller.applies(o);
    }

    /**
     * REFER mode (decision 0027): sends a REFER to {@code target} on the caller's leg; the far end's NOTIFYs
     * move the transfer as a target leg's responses would.
     *
     * @throws CallException TRANSFER_REFUSED when the leg cannot carry a REFER now
     */
    static BlindTransfer byRefer(Engine engine, Ongoing o, String target) {
        BlindTransfer t = new BlindTransfer(engine, o);
        t.refer = new ReferProgress(t, engine.thread(), o.call.id);
        try {
            t.caller.leg.refer(target, null, t.refer);
        } catch (SipAgentException e) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "The call cannot be transferred now (" + e.getMessage() + ").");
        }
        LOG.info("call {}: REFER sent toward {}", o.call.id, target);
        t.begin();
        return t;
    }

    @Override
    public Phase phase() {
        return phase;
    }

    /** The one place the phase changes. */
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

    /**
     * The target's leg was sent its INVITE (a number), the target's call registered (an extension,
     * {@link #ringExtension}) or the REFER sent: the caller leaves the user (and hears ringback, but by REFER).
     */
    void begin() {
        if (refer == null && from.held) {
            waiting.resume(); // held by the user before the transfer: the caller must hear the ringback and the target
        }
        if (target != null) {
            media.spliceDetached(waiting.userSide, target.leg.media, MediaSession.Side.A);
        } else {
            media.detach(waiting.userSide);
        }
        if (refer == null) {
            waiting.ringback();
        }
        from.blind = this;
        engine.live().add(this);
        ringTimer = engine.thread().schedule(this::ringTimedOut, engine.targetRing());
    }

    /** An extension target: {@code t} is the target user's ringing call; their dialers have it, so it rings. */
    void ringExtension(Ongoing t) {
        targetCall = t;
        t.far = new TargetCall(waiting);
        begin();
        rang();
    }

    /** The target rings: the user's call ends transferred and the user is free; the caller waits alone. */
    @Override
    public void rang() {
        if (phase != Phase.TRYING) {
            return;
        }
        moveTo(Phase.RINGING);
        if (refer != null) {
            stopTimer(); // the far end rings the target as long as it likes; Referrals bounds the final NOTIFY
            refer.userHeld(from.held);
        }
        waiting.detachFromCall(this::callerGone);
        from.blind = null;
        engine.calls().end(from, EndReason.TRANSFERRED);
        LOG.info("call {}: the transfer target rings; the call ended transferred", from.call.id);
        started.complete(null);
    }

    /** The target failed ({@code detail}: how, for the user): the caller is back before the ring, else recalled. */
    void targetFailed(EndReason reason, String detail) {
        switch (phase) {
            case TRYING -> failedBeforeRing(reason, detail);
            case RINGING -> recall(reason);
            default -> releaseTargetMedia(); // given up already, or the caller is gone
        }
    }

    /** REFER mode: the final NOTIFY says the target answered; we leave the dialog (BYE, RFC 5589 6.1). */
    void referSucceeded() {
        rang(); // a 2xx NOTIFY without a 18x before it
        if (phase == Phase.RINGING) {
            LOG.info("call {} transferred by REFER: BYE to the far end", from.call.id);
            moveTo(Phase.DONE);
            stop();
            waiting.hangUp();
        }
    }

    /** The user's call ended while TRYING (hang-up, the caller's BYE): the target stops ringing. */
    void callEnded() {
        if (phase != Phase.TRYING) {
            return;
        }
        moveTo(Phase.DONE);
        stop();
        dropTarget();
        started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                "The call ended before the transfer target rang."));
    }

    /**
     * The caller's leg ended while it was still the user's call's far end. True when that completes the transfer:
     * the far end accepted our REFER and hung up instead of notifying (many trunks do), so the user's call ends
     * transferred rather than hung up.
     */
    boolean farEndLeftAfterRefer() {
        if (phase != Phase.TRYING || refer == null || !refer.isAccepted()) {
            return false;
        }
        rang();
        LOG.info("call {}: the far end hung up after accepting the REFER: transferred", from.call.id);
        moveTo(Phase.DONE);
        stop();
        media.close();
        return true;
    }

    /** Gateway shutdown, before the calls end: both legs get BYE or CANCEL, the target's or recall call ends. */
    void shutdown() {
        Phase was = phase;
        if (was == Phase.DONE) {
            return;
        }
        moveTo(Phase.DONE);
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
        waiting.hangUp();
    }

    private void ringTimedOut() {
        switch (phase) {
            case TRYING -> {
                if (refer != null && refer.isAccepted()) {
                    // No 18x NOTIFY in the target ring time: the far end took the REFER, so the transfer has
                    // started (the SDK's request must settle within its 30 s); the final NOTIFY decides the rest.
                    LOG.info("call {}: no NOTIFY of ringing in {}: the accepted REFER counts as started",
                            from.call.id, engine.targetRing());
                    rang();
                    return;
                }
                dropTarget();
                failedBeforeRing(EndReason.NO_ANSWER, "");
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

    private void failedBeforeRing(EndReason reason, String detail) {
        moveTo(Phase.DONE);
        stop();
        releaseTargetMedia();
        media.reattach(waiting.userSide);
        if (refer != null && from.held) {
            waiting.resume(); // the same call goes on, audio both ways (bridge mode resumed it at the start)
        }
        from.blind = null;
        LOG.info("transfer of call {} failed before the target rang: {}{}; the caller is back", from.call.id,
                reason.wire(), detail);
        started.completeExceptionally(new CallException(CallException.Reason.TRANSFER_FAILED,
                "The transfer failed (" + reason.wire() + detail + "); the caller is still on the line with you."));
    }

    /** The target rang but did not take the call: offer the caller back to the user as a new call. */
    private void recall(EndReason why) {
        stopTimer();
        releaseTargetMedia();
        if (!engine.canRing().test(from.call.userId)) {
            LOG.info("transfer of call {} failed ({}) and its user cannot take the caller back: BYE", from.call.id,
                    why.wire());
            moveTo(Phase.DONE);
            stop();
            waiting.hangUp();
            return;
        }
        moveTo(Phase.RECALLING);
        if (refer != null) {
            // RFC 5589 6.3: the far end resumes our dialog; the caller hears our ringback from now on.
            if (refer.userHeld()) {
                waiting.resume();
            }
            waiting.ringback();
        }
        Ongoing r = waiting.offerBack(engine.calls(), engine.thread(), new RecallFarEnd(waiting), engine.ringTimedOut(),
                engine.recallRing());
        recallCall = r;
        LOG.info("transfer of call {} failed after ringing ({}): offered back as call {}", from.call.id, why.wire(),
                r.call.id);
    }

    /** The caller's leg ended (BYE) after the user's call did: everything of the transfer stops. */
    private void callerGone() {
        Phase was = phase;
        moveTo(Phase.DONE);
        stop();
        if (was == Phase.RINGING) {
            if (targetCall != null) {
                engine.calls().end(targetCall, EndReason.CANCELED);
            } else if (refer != null) {
                LOG.info("call {}: the far end hung up after the target rang: transferred", from.call.id);
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
        moveTo(Phase.DONE);
        engine.live().remove(this);
        waiting.handTo(o);
    }

    private void stop() {
        stopTimer();
        waiting.stopTone();
        engine.live().remove(this);
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

    /** The number target answered: its leg and the caller's are bridged. */
    @Override
    public void targetAnswered() {
        stopTimer();
        waiting.stopTone();
        moveTo(Phase.DONE);
        engine.live().remove(this);
        FarEndJoin.bridgeSpliced(caller, media, target.leg, engine.bridges());
        LOG.info("call {} transferred to {}", from.call.id, target.leg.leg.callId());
    }

    @Override
    public void targetFailed(EndReason reason) {
        targetFailed(reason, "");
    }

    @Override
    public String callId() {
        return from.call.id;
    }

    /** The far end of the target user's ringing call: the waiting caller. */
    private final class TargetCall extends WaitingCaller.Offer {
        TargetCall(WaitingCaller w) {
            super(w);
        }

        @Override
        public String answer(Ongoing o, String offerSdp) {
            stopTimer();
            return super.answer(o, offerSdp);
        }

        @Override
        public void answered(Ongoing o) {
            takenBy(o);
            LOG.info("call {} transferred to call {}", from.call.id, o.call.id);
        }

        @Override
        public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
            if (phase == Phase.RINGING) {
                EndReason why = o.call.view().endReason(); // declined, no_answer: how the target's call ended
                recall(why != null ? why : peerReason);
            }
        }
    }

    /** The far end of the recall: the caller, waiting with ringback. */
    private final class RecallFarEnd extends WaitingCaller.Offer {
        RecallFarEnd(WaitingCaller w) {
            super(w);
        }

        @Override
        public void answered(Ongoing o) {
            takenBy(o);
            LOG.info("call {}: the user took the caller back", o.call.id);
        }

        @Override
        public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
            if (phase == Phase.RECALLING) {
                LOG.info("recall {} not taken: the caller gets a BYE", o.call.id);
                moveTo(Phase.DONE);
                stop();
                waiting.hangUp();
            }
        }
    }
}
