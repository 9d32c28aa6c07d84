package org.opendialer.core.calls;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.User;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaException;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;
import org.opendialer.sip.InboundCall;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipSettings;
import org.opendialer.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call of every user: placement rules, inbound fan-out to all of a user's dialers, ring timeout,
 * extension-to-extension calls, the call log, and the SIP legs toward the trunk.
 *
 * <p>All state lives on one engine thread. Dialer requests wait for their task there; SIP callbacks and
 * timers only enqueue one, so the SIP event thread never blocks on the engine, and the engine may call into
 * the SIP stack (whose callbacks never wait for the engine). One thread also gives every user's events
 * a single order: each change is saved to the {@code calls} table, then delivered to the dialers.
 */
public final class CallEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallEngine.class);
    /** The agent's own ring timer is only a backstop: the engine's fires first and picks the end reason. */
    private static final Duration SIP_RING_BACKSTOP = Duration.ofSeconds(5);

    private final AccountService accounts;
    private final CallStore store;
    private final SipUserAgent sip;
    private final MediaRelay relay;
    private final PbxRegistrations pbx;
    private final Duration ringTimeout;
    private final EngineThread thread = new EngineThread();
    private final CallEvents events;
    private final LiveCalls calls;
    /** SIP legs joined by transfers, which no user's call owns any more. Engine thread only. */
    private final java.util.Set<Bridge> bridges = new java.util.LinkedHashSet<>();
    /** Set by close(): the gateway is stopping and takes no new call. Engine thread only. */
    private boolean draining;
    private volatile DestinationPolicy destinations;
    /** Cluster mode: this node's name (extension calls go through the SIP edge); null for a single gateway. */
    private volatile String clusterNode;
    /** DIALER_CALL_WAITING: a call to a user on an answered call rings as a second call. */
    private volatile boolean callWaiting = true;
    /** DIALER_TRANSFER: how a trunk call goes to a phone number (REFER here; bridge elsewhere). */
    private volatile org.opendialer.core.config.TransferMode transferMode = org.opendialer.core.config.TransferMode.BRIDGE;
    private final ReferFollower referFollower;
    private final Transfers transfers;
    /** DIALER_ABSENT_USER_GRACE_MS, DIALER_SIP_MAX_REDIRECTS, DIALER_SIP_CALLER_ID. */
    private volatile org.opendialer.core.config.CarrierConfig carrier = org.opendialer.core.config.CarrierConfig.DEFAULTS;

    /**
     * @param sipSettings the agent's settings, or null when no trunk is configured (then only
     *                    extension calls work and no SIP port is opened)
     */
    public CallEngine(AccountService accounts, CallStore store, SipSettings sipSettings, MediaRelay relay,
                      Duration ringTimeout, Clock clock) {
        this.accounts = accounts;
        this.store = store;
        this.relay = relay;
        this.ringTimeout = ringTimeout;
        this.events = new CallEvents(store);
        this.calls = new LiveCalls(events, clock);
        this.sip = sipSettings == null ? null
                : new SipUserAgent(sipSettings.withRingTimeout(ringTimeout.plus(SIP_RING_BACKSTOP)), this::onInvite);
        this.pbx = new PbxRegistrations(accounts, sip);
        this.destinations = DestinationPolicy.defaults(clock);
        this.referFollower = new ReferFollower(calls, sip, thread, accounts, pbx, () -> destinations, () -> carrier,
                this::newMediaSession);
        this.transfers = new Transfers(new Transfers.Parts(calls, thread, accounts, sip, pbx, () -> destinations,
                () -> carrier, () -> transferMode, this::newMediaSession, userId -> canRing(userId, null),
                this::ringTimedOut, bridges, ringTimeout));
    }

    /** Metrics and webhooks: {@code calls} is told every saved call state, {@code sipMetrics} SIP traffic. */
    public void instrument(CallObserver calls, org.opendialer.sip.SipMetrics sipMetrics) {
        events.observe(calls);
        if (sip != null) {
            sip.setMetrics(sipMetrics);
        }
    }

    /** Replaces the default destination policy (premium rate refused, default limits); before start(). */
    public void destinationPolicy(DestinationPolicy policy) {
        this.destinations = java.util.Objects.requireNonNull(policy, "policy");
    }

    /** Sets how the gateway treats carriers (absent users, redirects, caller ID); before start(). */
    public void carrier(org.opendialer.core.config.CarrierConfig config) {
        carrier = java.util.Objects.requireNonNull(config, "config");
        if (sip != null) {
            sip.setMaxRedirects(config.maxRedirects());
            sip.setTrunkDns(config.dns());
        }
    }

    /**
     * Turns call waiting on or off (DIALER_CALL_WAITING); off, a second inbound call is refused busy. A user's own
     * setting (admin API {@code call_waiting}) wins.
     */
    public void setCallWaiting(boolean on) {
        this.callWaiting = on;
    }

    /** How a trunk call is transferred to a phone number (DIALER_TRANSFER); before start(). */
    public void setTransferMode(org.opendialer.core.config.TransferMode mode) {
        this.transferMode = java.util.Objects.requireNonNull(mode, "mode");
    }

    /**
     * Cluster mode (before start()): this engine is node {@code node}; its users' contacts are registered at
     * the SIP edge (the trunk) with {@code secret}, and extension calls go through the edge.
     */
    public void cluster(String node, String secret) {
        if (sip == null || sip.settings().trunk() == null) {
            throw new IllegalStateException("a cluster node needs the SIP edge as its trunk");
        }
        this.clusterNode = node;
        pbx.edge(new EdgeRegistrations(accounts, sip, node, secret));
    }

    /**
     * Cluster: ends the dead node {@code deadNode}'s live calls in the call log as gateway_restart and sends
     * the end to this node's dialers of their users (dialers that reconnected here). Returns how many.
     */
    public int endCallsOfNode(String deadNode) {
        return thread.await(() -> {
            List<CallStore.EndedCall> ended = store.endCallsOfNode(deadNode, calls.now());
            for (CallStore.EndedCall e : ended) {
                events.sendToUser(e.userId(), e.view());
            }
            return ended.size();
        });
    }

    /** PBX mode: users' own SIP accounts, registered while they have a dialer connected. */
    public PbxRegistrations pbx() {
        return pbx;
    }

    /** Repairs calls a previous run left unfinished, then opens the SIP port. */
    public void start() {
        int repaired = store.endUnfinished(calls.now());
        if (repaired > 0) {
            LOG.warn("{} call(s) left unfinished by the previous run ended as gateway_restart"
                    + " (the gateway stopped without ending them)", repaired);
        }
        if (sip != null && sip.settings().trunk() != null) {
            sip.start(); // without a trunk, the first PBX registration opens the SIP port
        }
    }

    // ---- requests from dialers (any thread; each waits for the engine thread) ----

    /** Shows {@code dialer} the user's calls that have not ended, then every later change. */
    public void attach(Dialer dialer) {
        attach(dialer, Map.of());
    }

    /**
     * Shows {@code dialer} every change it missed of the calls in {@code known} (call id → the last seq
     * it saw), then the current state of the user's other calls that have not ended, then every later
     * change. Returns once those events are queued, so they precede the sign-in's response.
     */
    public void attach(Dialer dialer, Map<String, Long> known) {
        thread.await(() -> {
            events.attach(dialer);
            pbx.dialerAttached(dialer.userId());
            for (Map.Entry<String, Long> k : known.entrySet()) {
                events.replayMissed(dialer, k.getKey(), k.getValue(), calls.get(k.getKey()), calls.now());
            }
            for (Ongoing o : calls.all()) {
                if (o.call.userId == dialer.userId() && o.answeredBy != null && !events.isAttached(o.answeredBy)
                        && (o.answeredBy.device() == null || Dialer.sameDevice(o.answeredBy, dialer))) {
                    o.answeredBy = dialer; // the dialer that answered is gone (reload): this one takes over
                }
                if (o.visibleTo(dialer) && !known.containsKey(o.call.id)) {
                    events.send(dialer, o.call.view());
                }
            }
            return null;
        });
    }

    /** The dialer closed or signed out. Its user's calls go on (reload and other tabs must not end them). */
    public void detach(Dialer dialer) {
        thread.execute(() -> {
            if (events.detach(dialer)) {
                pbx.lastDialerDetached(dialer.userId());
                calls.ofUser(dialer.userId(), null).stream().filter(Ongoing::isRingingInbound)
                        .forEach(this::unlessADialerComesBack);
            }
        });
    }

    /** A placed call: its id and the SDP answer to the browser's offer (null without an offer). */
    public record Placed(String callId, String answerSdp) {}

    /**
     * Places a call and returns once it exists and its INVITE (if any) is sent. The browser's offer is
     * answered at once, so ICE and DTLS run while the far end rings (protocol.md part 4).
     *
     * @param dialer   the dialer placing it (its browser carries the audio), or null
     * @param offerSdp the browser's SDP offer, or null for a call without browser audio
     */
    public Placed place(User caller, DialTarget target, Dialer dialer, String offerSdp) {
        return thread.await(() -> placeNow(caller, target, dialer, offerSdp));
    }

    /** Places a call without browser audio (signalling-only clients and tests). */
    public String place(User caller, DialTarget target) {
        return place(caller, target, null, null).callId();
    }

    /** Cancels a ringing outbound call, ends an answered one, or declines a ringing inbound one. */
    public void hangUp(Dialer dialer, String callId) {
        thread.await(() -> {
            Ongoing o = calls.find(dialer, callId, false);
            switch (o.call.state()) {
                case ANSWERED -> endBoth(o, EndReason.LOCAL_HANGUP, EndReason.REMOTE_HANGUP);
                case CONNECTING -> {
                    if (o.call.direction == CallDirection.INBOUND) {
                        decline(o);
                    } else {
                        endBoth(o, EndReason.CANCELED, EndReason.CANCELED);
                    }
                }
                case DISCONNECTED -> throw new IllegalStateException("final call still registered");
            }
            return null;
        });
    }

    /** Answers a ringing inbound call on {@code dialer}; the user's other dialers stop ringing. */
    public void answer(Dialer dialer, String callId) {
        answer(dialer, callId, null);
    }

    /** Answers as {@link #answer(Dialer, String)} and returns the SDP answer to the browser's offer (or null). */
    public String answer(Dialer dialer, String callId, String offerSdp) {
        return thread.await(() -> answerNow(calls.find(dialer, callId, true), dialer, offerSdp));
    }

    /** Whether an {@code updateMedia} offer may replace the call's browser leg (protocol.md part 5). */
    public enum Take {
        /** No: it must come from the leg the call has now (same fingerprint: codec change, ICE restart). */
        SAME_LEG,
        /** Only while no connected dialer carries the audio (a reloaded tab re-attaching by itself). */
        IF_UNOWNED,
        /** Yes ("Take the call here"). */
        ALWAYS
    }

    /**
     * A new offer from {@code dialer}'s browser for a call it is shown: codec change after mediaUpdate, ICE
     * restart, or another tab or a reloaded dialer taking over the audio. {@code take} says whether the
     * offer may replace the browser leg, else MEDIA_MOVED; when it does, the dialer that carried the audio
     * before is told.
     */
    public String updateMedia(Dialer dialer, String callId, String offerSdp, Take take) {
        return thread.await(() -> {
            Ongoing o = calls.find(dialer, callId, false);
            if (o.media == null) {
                throw new CallException(CallException.Reason.CALL_NOT_FOUND, "The call has no audio yet.");
            }
            boolean sameLeg = o.browserFingerprint == null
                    || o.browserFingerprint.equals(MediaOffers.fingerprint(offerSdp));
            boolean ownedElsewhere = o.mediaOwner != null && o.mediaOwner != dialer && events.isAttached(o.mediaOwner);
            if (take == Take.SAME_LEG && !sameLeg || take == Take.IF_UNOWNED && !sameLeg && ownedElsewhere) {
                throw new CallException(CallException.Reason.MEDIA_MOVED, "Another tab has the call's audio.");
            }
            String answer = o.acceptOffer(offerSdp, o.far.browserCodec(o));
            Dialer previous = o.mediaOwner;
            o.mediaOwner = dialer;
            if (previous != null && previous != dialer && events.isAttached(previous)) {
                previous.mediaMoved(o.call.id);
            }
            return answer;
        });
    }

    /** Puts an answered call on hold (re-INVITE sendonly, relay paused) or resumes it. */
    public void hold(Dialer dialer, String callId, boolean held) {
        thread.await(() -> {
            Ongoing o = calls.find(dialer, callId, false);
            if (o.call.state() != CallState.ANSWERED) {
                throw new CallException(CallException.Reason.CALL_NOT_FOUND, "There is no answered call to hold.");
            }
            holdNow(o, held);
            return null;
        });
    }

    /**
     * Blind transfer of the user's answered call {@code callId} (null: the one they talk on) to a number or another
     * user's extension (decision 0022). The result completes once the target rings: then the user's call has
     * ended {@code transferred}, and the caller (a SIP leg) hears ringback, then the target; if the target
     * declines or does not answer, the caller comes back to the user as a new ringing call
     * ({@code recall}). It fails with TRANSFER_FAILED when the target fails before it rings (the caller is
     * back on the same call). A caller that is another user's browser stays with the user until the target
     * answers (decision 0012); REFER mode completes at once (decision 0019).
     *
     * @throws CallException TRANSFER_REFUSED (no answered call, oneself, a transfer under way), INVALID_TARGET
     *                       (no such extension), TRANSFER_FAILED (the target is busy or unreachable)
     */
    public java.util.concurrent.CompletableFuture<Void> transfer(Dialer dialer, User user, String callId,
                                                                 DialTarget target) {
        return thread.await(() -> transfers.blind(calls.find(dialer, callId, false), user, target));
    }

    /**
     * Attended transfer: joins the far end of the user's held call {@code callId} (null: their held call)
     * with the far end of their answered consultation call {@code toCallId}; both calls end
     * {@code transferred} and the two far ends talk to each other (protocol.md part 7).
     *
     * @throws CallException CALL_NOT_FOUND (no such call), TRANSFER_REFUSED (a call not answered, the same
     *                       call twice, a transfer under way, far ends that cannot be joined)
     */
    public void transferToCall(Dialer dialer, String callId, String toCallId) {
        thread.await(() -> {
            Ongoing consultation = calls.find(dialer, toCallId, false);
            Ongoing first = callId != null ? calls.find(dialer, callId, false) : calls.ofUser(dialer.userId(), consultation)
                    .stream().filter(o -> o.visibleTo(dialer)).findFirst()
                    .orElseThrow(() -> new CallException(CallException.Reason.TRANSFER_REFUSED,
                            "There is no other call to join the consultation call with."));
            transfers.attended(first, consultation);
            return null;
        });
    }

    /** Declines a ringing inbound call. */
    public void reject(Dialer dialer, String callId) {
        thread.await(() -> {
            decline(calls.find(dialer, callId, true));
            return null;
        });
    }

    /**
     * Draining (SIGTERM): from now on a placeCall is refused (CALLS_UNAVAILABLE) and an INVITE gets 503, so
     * the edge tries another node; the calls that are up go on. Returns once no new call can start.
     */
    public void drain() {
        thread.await(() -> {
            draining = true;
            return null;
        });
    }

    /** How many calls on this gateway have not ended (any thread, no wait: /healthz reads it). */
    public int liveCallCount() {
        return calls.count();
    }

    /** The gateway's registration with its trunk (DIALER_SIP_REGISTER on), or null (/healthz checks it). */
    public org.opendialer.sip.Registration trunkRegistration() {
        return sip == null ? null : sip.trunkRegistration();
    }

    /** Cluster mode: the node's own binding at the SIP edge, registered on first ask; else null (/healthz). */
    public org.opendialer.sip.Registration edgeRegistration() {
        return pbx.edgeBinding();
    }

    /** The users with a call on this gateway that has not ended. */
    public java.util.Set<Long> usersWithLiveCalls() {
        return thread.await(() -> {
            java.util.Set<Long> users = new java.util.HashSet<>();
            calls.all().forEach(o -> users.add(o.call.userId));
            return users;
        });
    }

    /** Ends every call (BYE or CANCEL on the SIP side) as gateway_shutdown, then stops SIP and threads. */
    @Override
    public void close() {
        try {
            thread.await(() -> {
                draining = true; // every later placeCall and INVITE is refused (SIGTERM drains)
                transfers.shutdown();
                for (Ongoing o : calls.snapshot()) {
                    endBoth(o, EndReason.GATEWAY_SHUTDOWN, EndReason.GATEWAY_SHUTDOWN);
                }
                for (Bridge b : List.copyOf(bridges)) {
                    b.end("gateway shutdown");
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("calls not ended cleanly at shutdown: {}", e.toString());
        }
        pbx.close();
        if (sip != null) {
            sip.stop(); // also un-registers every PBX account
        }
        thread.shutdown();
    }

    // ---- engine thread ----

    private Placed placeNow(User caller, DialTarget target, Dialer dialer, String offerSdp) {
        if (draining) {
            throw new CallException(CallException.Reason.NODE_DRAINING,
                    "This gateway is shutting down and takes no new calls; try again in a moment.");
        }
        for (Ongoing o : calls.all()) {
            if (o.call.userId != caller.id() || o.call.state() == CallState.ANSWERED && o.held) {
                continue; // a held call allows a consultation call
            }
            if (o.call.direction == CallDirection.OUTBOUND && o.call.state() == CallState.CONNECTING) {
                throw new CallException(CallException.Reason.OUTGOING_CALL_ALREADY_RINGING,
                        "An outgoing call is already ringing.");
            }
            throw new CallException(CallException.Reason.CALL_IN_PROGRESS, "Another call is in progress.");
        }
        org.opendialer.sip.PbxAccount account = pbx.accountFor(caller, target); // PBX mode, if it applies
        if (account == null && !(target instanceof DialTarget.Extension)
                && (sip == null || sip.settings().trunk() == null)) {
            throw new CallException(CallException.Reason.CALLS_UNAVAILABLE,
                    "No SIP trunk is configured (DIALER_SIP_TRUNK).");
        }
        destinations.admit(caller.id(), target); // toll fraud: before any INVITE
        // The offer is checked before anything is sent: a bad one places no call.
        MediaSession media = newMediaSession();
        String answer;
        try {
            answer = offerSdp == null ? null : media.acceptOffer(MediaSession.Side.A, offerSdp, null);
        } catch (MediaException e) {
            media.close();
            throw new CallException(CallException.Reason.INVALID_MEDIA, "Unusable SDP offer: " + e.getMessage());
        }
        Ongoing o;
        try {
            o = account == null && target instanceof DialTarget.Extension ext
                    ? placeToExtension(caller, ext.digits(), media)
                    : placeToTrunk(caller, target.dialString(), account, media);
        } catch (RuntimeException e) {
            media.close();
            throw e;
        }
        o.mediaOwner = dialer;
        o.browserFingerprint = offerSdp == null ? null : MediaOffers.fingerprint(offerSdp);
        return new Placed(o.call.id, o.call.state().isFinal() ? null : answer);
    }

    private Ongoing placeToExtension(User caller, String extension, MediaSession media) {
        if (extension.equals(caller.extension())) {
            throw new CallException(CallException.Reason.INVALID_TARGET, "You cannot call your own extension.");
        }
        User callee = accounts.findUserByExtension(extension)
                .orElseThrow(() -> new CallException(CallException.Reason.INVALID_TARGET,
                        "No user has extension " + extension + "."));
        String from = caller.extension() != null ? caller.extension() : caller.number();
        if (clusterNode != null) {
            // Cluster: the callee's dialers may be on any node: the SIP edge forks to every node holding one.
            return placeToTrunk(caller, extension, null, media, from);
        }
        Ongoing out = calls.register(new Call(newId(), caller.id(), CallDirection.OUTBOUND, from, extension,
                caller.displayName(), calls.now()));
        out.media = media;
        if (!canRing(callee.id(), out)) {
            calls.end(out, EndReason.BUSY);
            return out;
        }
        Ongoing in = calls.register(new Call(newId(), callee.id(), CallDirection.INBOUND, from, extension,
                caller.displayName(), calls.now()));
        in.media = media;
        in.mediaSide = MediaSession.Side.B;
        out.far = new ExtensionFarEnd(calls, in);
        in.far = new ExtensionFarEnd(calls, out);
        startRingTimer(out);
        if (!calls.events().hasDialers(callee.id())) {
            unlessADialerComesBack(in);
        }
        return out;
    }

    /** To the trunk, or through the caller's PBX account when {@code account} is not null. */
    private Ongoing placeToTrunk(User caller, String e164, org.opendialer.sip.PbxAccount account,
                                 MediaSession media) {
        return placeToTrunk(caller, e164, account, media, null);
    }

    /** @param presented the From to use (an extension call through the cluster's edge), or null */
    private Ongoing placeToTrunk(User caller, String e164, org.opendialer.sip.PbxAccount account,
                                 MediaSession media, String presented) {
        int rtpPort = MediaOffers.openRtp(media);
        // Without a number to present the user calls anonymously (RFC 3323: anonymous From, Privacy: id).
        // A user who withholds their number does so whatever DIALER_SIP_CALLER_ID presents for the others.
        String from = presented != null ? presented : account != null ? caller.number()
                : accounts.callerIdPrivacy().isWithheld(caller.id()) ? null : carrier.presentedNumber(caller.number());
        Ongoing o = calls.register(new Call(newId(), caller.id(), CallDirection.OUTBOUND,
                from != null ? from : caller.extension(), e164, caller.displayName(), calls.now()));
        o.media = media;
        SipFarEnd far = newSipFarEnd(o);
        SipLegListener listener = new SipLegListener(thread, far);
        far.listener = listener;
        try {
            AudioSdp offer = sip.localOffer(rtpPort);
            far.leg = account == null ? sip.placeCall(from, caller.displayName(), e164, offer, listener)
                    : sip.placeCallVia(account, caller.displayName(), e164, offer, listener);
            startRingTimer(o);
        } catch (SipAgentException e) {
            LOG.warn("call {} to {} not placed: {}", o.call.id, e164, e.toString());
            calls.end(o, EndReason.FAILED);
        }
        return o;
    }

    /** An INVITE from the trunk, on the SIP event thread: must not block, so routing runs on ours. */
    private CallListener onInvite(InboundCall invite) {
        SipLegListener listener = new SipLegListener(thread, null);
        thread.execute(() -> route(invite, listener));
        return listener;
    }

    private void route(InboundCall invite, SipLegListener listener) {
        if (draining) {
            invite.reject(503); // Service Unavailable: the trunk tries elsewhere
            return;
        }
        var identity = invite.identity();
        String to = identity.to();
        // PBX mode first: the Request-URI is the Contact a user's account registered.
        Optional<User> user = pbx.userForContact(invite.requestUser()).or(() -> to == null ? Optional.empty()
                : accounts.findUserForDialed(to)); // indexed: no scan of every user per call
        if (user.isEmpty()) {
            invite.reject(404);
            return;
        }
        if (!canRing(user.get().id(), null)) {
            invite.reject(486); // no call waiting, or no room for one more call
            return;
        }
        invite.ring();
        Ongoing o = calls.register(new Call(newId(), user.get().id(), CallDirection.INBOUND, identity.from(),
                to != null ? to : user.get().extension(), identity.displayName(), calls.now()));
        SipFarEnd far = newSipFarEnd(o);
        far.leg = invite;
        far.listener = listener;
        listener.target = far;
        startRingTimer(o);
        if (!calls.events().hasDialers(o.call.userId)) {
            unlessADialerComesBack(o);
        }
    }

    /**
     * A ringing inbound call whose user has no connected dialer: after the grace for a reconnecting page
     * (DIALER_ABSENT_USER_GRACE_MS), 480 at once, so the caller's carrier or PBX goes on to voicemail or the next
     * destination instead of ringing into nothing for the ring timeout; the call log keeps it as missed.
     */
    private void unlessADialerComesBack(Ongoing o) {
        thread.schedule(() -> {
            if (o.isRingingInbound() && !calls.events().hasDialers(o.call.userId)) {
                LOG.info("call {}: no dialer of its user is connected: ending it (480)", o.call.id);
                ringTimedOut(o);
            }
        }, carrier.absentUserGrace());
    }

    private String answerNow(Ongoing o, Dialer dialer, String offerSdp) {
        String browserAnswer = o.far.answer(o, offerSdp);
        if (o.call.state().isFinal()) {
            return null; // the far end could not be answered and ended the call
        }
        holdOthers(o); // call waiting: the call the user was on waits on hold
        o.answeredBy = dialer;
        o.mediaOwner = dialer;
        calls.move(o, CallState.ANSWERED);
        o.far.answered(o);
        return browserAnswer;
    }

    /**
     * Whether a new inbound call may ring for {@code userId}: when the user has no call, or with call
     * waiting when their only call is answered (at most two calls; a second caller never waits for a third).
     */
    private boolean canRing(long userId, Ongoing except) {
        List<Ongoing> others = calls.ofUser(userId, except);
        return others.isEmpty() || others.size() == 1 && others.get(0).call.state() == CallState.ANSWERED
                && accounts.callWaiting().find(userId).orElse(callWaiting); // the admin API's per-user setting first
    }

    /** Puts the user's other answered calls on hold: {@code o} becomes the one they talk on. */
    private void holdOthers(Ongoing o) {
        for (Ongoing other : calls.ofUser(o.call.userId, o)) {
            if (other.call.state() == CallState.ANSWERED && !other.held) {
                try {
                    holdNow(other, true);
                } catch (CallException e) {
                    LOG.warn("call {} not put on hold: {}", other.call.id, e.getMessage());
                }
            }
        }
    }

    private void holdNow(Ongoing o, boolean held) {
        if (!held) {
            holdOthers(o); // resuming one call of two swaps them
        }
        if (o.media != null) {
            o.media.hold(held);
        }
        o.far.hold(o, held);
        o.held = held;
    }

    private void mediaTimedOut(Ongoing o, MediaSession.Side side) {
        if (o.call.state() != CallState.ANSWERED) {
            return;
        }
        // Side A is the caller's browser; side B the SIP far end, or the callee's browser (extension call).
        Ongoing browserCall = side == o.mediaSide ? o : o.far.browserPeer();
        boolean ownerGone = browserCall != null
                && (browserCall.mediaOwner == null || !events.isAttached(browserCall.mediaOwner));
        EndReason reason = ownerGone ? EndReason.CONNECTION_LOST : EndReason.MEDIA_TIMEOUT;
        LOG.warn("call {}: no RTP from side {} for the RTP timeout{}: ending it", o.call.id, side,
                ownerGone ? " and the dialer carrying its audio is not connected" : "");
        endBoth(o, reason, reason);
    }

    /** Ends {@code o} on our side, then its far end: BYE or CANCEL, or the other user's call with {@code farReason}. */
    private void endBoth(Ongoing o, EndReason reason, EndReason farReason) {
        calls.end(o, reason);
        o.far.hangUp(o, farReason);
    }

    private void decline(Ongoing o) {
        calls.end(o, EndReason.DECLINED);
        o.far.reject(o, 603, EndReason.DECLINED);
    }

    private void ringTimedOut(Ongoing o) {
        if (o.call.state() != CallState.CONNECTING) {
            return;
        }
        calls.end(o, EndReason.NO_ANSWER);
        o.far.reject(o, 480, EndReason.NO_ANSWER); // an outbound leg is cancelled
    }

    private SipFarEnd newSipFarEnd(Ongoing o) {
        SipFarEnd far = new SipFarEnd(calls, sip, this::newMediaSession);
        far.owner = o;
        far.follower = referFollower;
        o.far = far;
        return far;
    }

    private void startRingTimer(Ongoing o) {
        o.ringTimer = thread.schedule(() -> ringTimedOut(o), ringTimeout);
    }

    /** A relay session whose timeout ends the call it is attached to (found by session, on our thread). */
    private MediaSession newMediaSession() {
        MediaSession[] self = new MediaSession[1];
        self[0] = relay.newSession(new MediaSession.Listener() {
            @Override
            public void mediaTimedOut(MediaSession.Side side) {
                thread.execute(() -> {
                    if (!onSessionCall(self[0], o -> CallEngine.this.mediaTimedOut(o, side))) {
                        endBridgeOf(self[0]); // a transfer's bridge: one side went silent
                    }
                });
            }

            @Override
            public void browserNeverConnected(MediaSession.Side side) {
                thread.execute(() -> onSessionCall(self[0], o -> MediaFailure.ifOwnerConnected(o, side,
                        events::isAttached, reason -> endBoth(o, reason, reason))));
            }

            @Override
            public void sipLegQuality(org.opendialer.media.quality.LegQuality quality) {
                thread.execute(() -> onSessionCall(self[0], o -> {
                    if (o.call.state() == CallState.ANSWERED && !o.held && o.mediaOwner != null) {
                        try {
                            o.mediaOwner.sipQuality(o.call.id, quality);
                        } catch (RuntimeException e) {
                            LOG.debug("call {}: SIP leg quality not delivered: {}", o.call.id, e.toString());
                        }
                    }
                }));
            }
        });
        return self[0];
    }

    /** On our thread: the call a relay session belongs to (an extension pair shares one: the caller's side A ends both). */
    private boolean onSessionCall(MediaSession session, java.util.function.Consumer<Ongoing> action) {
        Ongoing spliced = null;
        for (Ongoing o : calls.snapshot()) {
            if (o.media == session && o.mediaSide == MediaSession.Side.A) {
                org.opendialer.core.logging.CallLogContext.run(o.call.id, () -> action.accept(o));
                return true;
            }
            if (o.media != null && (o.media == session || o.media.splicedWith() == session)) {
                spliced = o; // a transfer joined its far end (session) with another user's call
            }
        }
        if (spliced != null) {
            Ongoing joined = spliced;
            org.opendialer.core.logging.CallLogContext.run(joined.call.id, () -> action.accept(joined));
            return true;
        }
        return false;
    }

    private void endBridgeOf(MediaSession session) {
        for (Bridge b : List.copyOf(bridges)) {
            if (b.uses(session)) {
                b.end("no RTP from one side for the RTP timeout");
                return;
            }
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
