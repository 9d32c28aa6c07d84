package org.opendialer.core.calls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.opendialer.sip.InboundCallHandler;
import org.opendialer.sip.MediaDirection;
import org.opendialer.sip.OutboundCall;
import org.opendialer.sip.RtpFormat;
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
    private final Clock clock;
    private final EngineThread thread = new EngineThread();
    private final SipLegListener.Handler legEvents = new SipLegListener.Handler() {
        @Override
        public void legAnswered(Ongoing o, AudioSdp remote) {
            if (o.call.state() == CallState.CONNECTING) {
                sipMediaKnown(o, remote);
                move(o, CallState.ANSWERED, null);
            }
        }

        @Override
        public void legReInvited(Ongoing o, AudioSdp remote) {
            if (!o.call.state().isFinal()) {
                sipMediaKnown(o, remote);
            }
        }

        @Override
        public void legEnded(Ongoing o, EndReason reasonIfUnanswered, boolean remoteHangup) {
            if (o.call.state() == CallState.ANSWERED) {
                // After the answer a BYE is a hang-up; anything else (our 2xx never ACKed) is a failure.
                end(o, remoteHangup ? EndReason.REMOTE_HANGUP : EndReason.FAILED);
            } else {
                end(o, reasonIfUnanswered);
            }
        }
    };

    private final Map<String, Ongoing> calls = new LinkedHashMap<>();
    /** Ended calls' events for 10 minutes, for dialers that reconnect (protocol.md part 5). */
    private final RecentlyEnded ended = new RecentlyEnded(Duration.ofMinutes(10), 10_000);
    /** Set by close(): the gateway is stopping and takes no new call. Engine thread only. */
    private boolean draining;
    private final Map<Long, Set<Dialer>> dialers = new HashMap<>();
    private volatile CallObserver observer = CallObserver.NONE;

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
        this.clock = clock;
        this.sip = sipSettings == null ? null
                : new SipUserAgent(sipSettings.withRingTimeout(ringTimeout.plus(SIP_RING_BACKSTOP)), this::onInvite);
        this.pbx = new PbxRegistrations(accounts, sip);
    }

    /** Metrics and webhooks: {@code calls} is told every saved call state, {@code sipMetrics} SIP traffic. */
    public void instrument(CallObserver calls, org.opendialer.sip.SipMetrics sipMetrics) {
        this.observer = calls;
        if (sip != null) {
            sip.setMetrics(sipMetrics);
        }
    }

    /** PBX mode: users' own SIP accounts, registered while they have a dialer connected. */
    public PbxRegistrations pbx() {
        return pbx;
    }

    /** Repairs calls a previous run left unfinished, then opens the SIP port. */
    public void start() {
        int repaired = store.endUnfinished(now());
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
            dialers.computeIfAbsent(dialer.userId(), id -> new LinkedHashSet<>()).add(dialer);
            pbx.dialerAttached(dialer.userId());
            for (Map.Entry<String, Long> k : known.entrySet()) {
                replayMissed(dialer, k.getKey(), k.getValue());
            }
            for (Ongoing o : calls.values()) {
                if (o.call.userId == dialer.userId() && o.answeredBy != null && !isAttached(o.answeredBy)
                        && (o.answeredBy.device() == null || Dialer.sameDevice(o.answeredBy, dialer))) {
                    o.answeredBy = dialer; // the dialer that answered is gone (reload): this one takes over
                }
                if (o.visibleTo(dialer) && !known.containsKey(o.call.id)) {
                    send(dialer, o.call.view());
                }
            }
            return null;
        });
    }

    /** The dialer closed or signed out. Its user's calls go on (reload and other tabs must not end them). */
    public void detach(Dialer dialer) {
        thread.execute(() -> {
            Set<Dialer> set = dialers.get(dialer.userId());
            if (set != null && set.remove(dialer) && set.isEmpty()) {
                dialers.remove(dialer.userId());
                pbx.lastDialerDetached(dialer.userId());
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
            Ongoing o = find(dialer, callId, false);
            switch (o.call.state()) {
                case ANSWERED -> hangUpAnswered(o);
                case CONNECTING -> {
                    if (o.call.direction == CallDirection.INBOUND) {
                        decline(o);
                    } else {
                        cancel(o);
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
        return thread.await(() -> answerNow(find(dialer, callId, true), dialer, offerSdp));
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
            Ongoing o = find(dialer, callId, false);
            if (o.media == null) {
                throw new CallException(CallException.Reason.CALL_NOT_FOUND, "The call has no audio yet.");
            }
            boolean sameLeg = o.browserFingerprint == null
                    || o.browserFingerprint.equals(MediaOffers.fingerprint(offerSdp));
            boolean ownedElsewhere = o.mediaOwner != null && o.mediaOwner != dialer && isAttached(o.mediaOwner);
            if (take == Take.SAME_LEG && !sameLeg || take == Take.IF_UNOWNED && !sameLeg && ownedElsewhere) {
                throw new CallException(CallException.Reason.MEDIA_MOVED, "Another tab has the call's audio.");
            }
            String answer = acceptOffer(o, offerSdp, codecFor(o));
            Dialer previous = o.mediaOwner;
            o.mediaOwner = dialer;
            if (previous != null && previous != dialer && isAttached(previous)) {
                previous.mediaMoved(o.call.id);
            }
            return answer;
        });
    }

    /** Puts an answered call on hold (re-INVITE sendonly, relay paused) or resumes it. */
    public void hold(Dialer dialer, String callId, boolean held) {
        thread.await(() -> {
            Ongoing o = find(dialer, callId, false);
            if (o.call.state() != CallState.ANSWERED) {
                throw new CallException(CallException.Reason.CALL_NOT_FOUND, "There is no answered call to hold.");
            }
            holdNow(o, held);
            return null;
        });
    }

    /** Declines a ringing inbound call. */
    public void reject(Dialer dialer, String callId) {
        thread.await(() -> {
            decline(find(dialer, callId, true));
            return null;
        });
    }

    /** Ends every call (BYE or CANCEL on the SIP side) as gateway_shutdown, then stops SIP and threads. */
    @Override
    public void close() {
        try {
            thread.await(() -> {
                draining = true; // every later placeCall and INVITE is refused (SIGTERM drains)
                for (Ongoing o : List.copyOf(calls.values())) {
                    end(o, EndReason.GATEWAY_SHUTDOWN);
                    hangUpSip(o);
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
            throw new CallException(CallException.Reason.CALLS_UNAVAILABLE, "The gateway is shutting down.");
        }
        for (Ongoing o : calls.values()) {
            if (o.call.userId != caller.id()) {
                continue;
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
        User callee = accounts.listUsers().stream().filter(u -> extension.equals(u.extension())).findFirst()
                .orElseThrow(() -> new CallException(CallException.Reason.INVALID_TARGET,
                        "No user has extension " + extension + "."));
        String from = caller.extension() != null ? caller.extension() : caller.number();
        Ongoing out = register(new Call(newId(), caller.id(), CallDirection.OUTBOUND, from, extension,
                caller.displayName(), now()));
        out.media = media;
        if (hasCalls(callee.id(), out)) {
            end(out, EndReason.BUSY);
            return out;
        }
        Ongoing in = register(new Call(newId(), callee.id(), CallDirection.INBOUND, from, extension,
                caller.displayName(), now()));
        in.media = media;
        in.mediaSide = MediaSession.Side.B;
        out.peer = in;
        in.peer = out;
        startRingTimer(out);
        return out;
    }

    /** To the trunk, or through the caller's PBX account when {@code account} is not null. */
    private Ongoing placeToTrunk(User caller, String e164, org.opendialer.sip.PbxAccount account,
                                 MediaSession media) {
        int rtpPort = openRtp(media);
        // Without a number of its own the user calls anonymously (RFC 3323: anonymous From, Privacy: id).
        String from = caller.number();
        Ongoing o = register(new Call(newId(), caller.id(), CallDirection.OUTBOUND,
                from != null ? from : caller.extension(), e164, caller.displayName(), now()));
        o.media = media;
        SipLegListener listener = new SipLegListener(thread, legEvents, o);
        try {
            AudioSdp offer = sip.localOffer(rtpPort);
            o.sipLeg = account == null ? sip.placeCall(from, caller.displayName(), e164, offer, listener)
                    : sip.placeCallVia(account, caller.displayName(), e164, offer, listener);
            startRingTimer(o);
        } catch (SipAgentException e) {
            LOG.warn("call {} to {} not placed: {}", o.call.id, e164, e.toString());
            end(o, EndReason.FAILED);
        }
        return o;
    }

    /** An INVITE from the trunk, on the SIP event thread: must not block, so routing runs on ours. */
    private CallListener onInvite(InboundCall invite) {
        SipLegListener listener = new SipLegListener(thread, legEvents, null);
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
                : accounts.listUsers().stream().filter(u -> to.equals(u.extension()) || sameNumber(to, u.number()))
                        .findFirst());
        if (user.isEmpty()) {
            invite.reject(404);
            return;
        }
        if (hasCalls(user.get().id(), null)) {
            invite.reject(486); // one call per user: a second would have nowhere to go
            return;
        }
        invite.ring();
        Call call = new Call(newId(), user.get().id(), CallDirection.INBOUND, identity.from(),
                to != null ? to : user.get().extension(), identity.displayName(), now());
        Ongoing o = new Ongoing(call);
        o.sipLeg = invite;
        listener.target = o;
        calls.put(call.id, o);
        publish(o, call.view());
        startRingTimer(o);
    }

    private String answerNow(Ongoing o, Dialer dialer, String offerSdp) {
        String browserAnswer = null;
        if (o.sipLeg instanceof InboundCall invite) {
            if (invite.offer() == null) {
                // An INVITE without SDP wants our offer in the 200 (RFC 3264 5): not supported yet.
                LOG.warn("call {} not answered: INVITE without SDP offer", o.call.id);
                end(o, EndReason.FAILED);
                invite.reject(488);
                return null;
            }
            o.media = newMediaSession();
            AudioSdp sipAnswer;
            try {
                sipAnswer = sip.localAnswer(invite.offer(), openRtp(o.media));
                sipMediaKnown(o, invite.offer());
                browserAnswer = offerSdp == null ? null : acceptOffer(o, offerSdp, o.sipCodec);
            } catch (SipAgentException | CallException e) {
                LOG.warn("call {} not answered: {}", o.call.id, e.toString());
                end(o, EndReason.FAILED);
                invite.reject(488);
                if (e instanceof CallException ce && ce.reason() == CallException.Reason.INVALID_MEDIA) {
                    throw ce;
                }
                return null;
            }
            invite.answer(sipAnswer);
        } else if (offerSdp != null && o.media != null) {
            // Extension call: the callee's browser is side B, sending what the caller's browser sends.
            browserAnswer = acceptOffer(o, offerSdp, codecFor(o));
        }
        o.answeredBy = dialer;
        o.mediaOwner = dialer;
        move(o, CallState.ANSWERED, null);
        if (o.peer != null) {
            move(o.peer, CallState.ANSWERED, null);
        }
        return browserAnswer;
    }

    /** The SIP side's SDP is known (answer, offer or re-INVITE): point the relay at it. */
    private void sipMediaKnown(Ongoing o, AudioSdp remote) {
        if (o.media == null || remote == null) {
            return;
        }
        Optional<RtpFormat> codec = remote.firstCommonCodec();
        if (codec.isEmpty() || remote.port() == 0) {
            LOG.warn("call {}: the SIP side's SDP has no usable audio (port {}, formats {})",
                    o.call.id, remote.port(), remote.formats());
            return;
        }
        MediaSession.Codec law = codec.get().sameCodec(RtpFormat.PCMA) ? MediaSession.Codec.PCMA
                : MediaSession.Codec.PCMU;
        o.media.rtpRemote(new InetSocketAddress(remote.address(), remote.port()), law, codec.get().payloadType(),
                remote.telephoneEvent().map(RtpFormat::payloadType).orElse(-1));
        o.sipCodec = law;
        if (o.mediaOwner != null && o.media.browserCodec(o.mediaSide) != null
                && o.media.browserCodec(o.mediaSide) != law) {
            o.mediaOwner.mediaUpdate(o.call.id, law.name()); // the browser re-offers: no transcoding
        }
    }

    /** The codec {@code o}'s browser must send: the SIP side's, or for an extension call the other browser's. */
    private MediaSession.Codec codecFor(Ongoing o) {
        if (o.sipCodec != null) {
            return o.sipCodec;
        }
        if (o.peer != null && o.media != null) {
            return o.media.browserCodec(o.peer.mediaSide);
        }
        return null;
    }

    private String acceptOffer(Ongoing o, String offerSdp, MediaSession.Codec codec) {
        try {
            String answer = o.media.acceptOffer(o.mediaSide, offerSdp, codec);
            o.browserFingerprint = MediaOffers.fingerprint(offerSdp);
            return answer;
        } catch (MediaException e) {
            throw new CallException(CallException.Reason.INVALID_MEDIA, "Unusable SDP offer: " + e.getMessage());
        }
    }

    private void holdNow(Ongoing o, boolean held) {
        if (o.media != null) {
            o.media.hold(held);
        }
        if (o.sipLeg != null) {
            AudioSdp local = o.sipLeg.localSdp();
            if (local != null) {
                try {
                    o.sipLeg.reInvite(local.withDirection(held ? MediaDirection.SENDONLY : MediaDirection.SENDRECV)
                            .nextVersion());
                } catch (SipAgentException e) {
                    throw new CallException(CallException.Reason.CALL_IN_PROGRESS,
                            "The call is being renegotiated; try again in a moment.");
                }
            }
        }
        if (o.peer != null) {
            LOG.debug("call {} {} (extension call: relay only)", o.call.id, held ? "held" : "resumed");
        }
    }

    private void mediaTimedOut(Ongoing o, MediaSession.Side side) {
        if (o.call.state() != CallState.ANSWERED) {
            return;
        }
        // Side A is the caller's browser; side B the SIP far end, or the callee's browser (extension call).
        Ongoing browserCall = side == o.mediaSide ? o : o.peer;
        boolean ownerGone = browserCall != null
                && (browserCall.mediaOwner == null || !isAttached(browserCall.mediaOwner));
        EndReason reason = ownerGone ? EndReason.CONNECTION_LOST : EndReason.MEDIA_TIMEOUT;
        LOG.warn("call {}: no RTP from side {} for the RTP timeout{}: ending it", o.call.id, side,
                ownerGone ? " and the dialer carrying its audio is not connected" : "");
        end(o, reason);
        if (o.peer != null) {
            end(o.peer, reason);
        }
        hangUpSip(o);
    }

    private void hangUpAnswered(Ongoing o) {
        end(o, EndReason.LOCAL_HANGUP);
        if (o.peer != null) {
            end(o.peer, EndReason.REMOTE_HANGUP);
        }
        hangUpSip(o);
    }

    private void cancel(Ongoing o) {
        end(o, EndReason.CANCELED);
        if (o.peer != null) {
            end(o.peer, EndReason.CANCELED);
        }
        hangUpSip(o);
    }

    private void decline(Ongoing o) {
        end(o, EndReason.DECLINED);
        if (o.peer != null) {
            end(o.peer, EndReason.DECLINED);
        }
        if (o.sipLeg instanceof InboundCall invite) {
            invite.reject(603);
        }
    }

    private void ringTimedOut(Ongoing o) {
        if (o.call.state() != CallState.CONNECTING) {
            return;
        }
        end(o, EndReason.NO_ANSWER);
        if (o.peer != null) {
            end(o.peer, EndReason.NO_ANSWER);
        }
        if (o.sipLeg instanceof InboundCall invite) {
            invite.reject(480);
        } else {
            hangUpSip(o); // CANCEL
        }
    }

    private void hangUpSip(Ongoing o) {
        if (o.sipLeg != null) {
            try {
                o.sipLeg.hangUp();
            } catch (RuntimeException e) {
                LOG.warn("SIP hang-up of call {} failed: {}", o.call.id, e.toString());
            }
        }
    }

    private Ongoing register(Call call) {
        Ongoing o = new Ongoing(call);
        calls.put(call.id, o);
        publish(o, call.view());
        return o;
    }

    private void move(Ongoing o, CallState next, EndReason reason) {
        publish(o, o.call.moveTo(next, reason, now()));
    }

    /** Ends a call that has not ended yet; later events for it (a late SIP reply) are ignored. */
    private void end(Ongoing o, EndReason reason) {
        if (o.call.state().isFinal()) {
            return;
        }
        calls.remove(o.call.id);
        if (o.ringTimer != null) {
            o.ringTimer.cancel(false);
        }
        if (o.media != null) {
            o.media.close(); // idempotent: both calls of an extension pair share it
        }
        move(o, CallState.DISCONNECTED, reason);
        ended.add(o, now());
    }

    /** Saves, then delivers to every dialer of the user that is shown the call. */
    private void publish(Ongoing o, CallView view) {
        try {
            store.save(o.call.userId, view, now());
        } catch (RuntimeException e) {
            LOG.error("call {} state {} not saved to the call log", view.id(), view.state().wire(), e);
        }
        o.history.add(view);
        for (Dialer d : List.copyOf(dialers.getOrDefault(o.call.userId, Set.of()))) {
            CallView seen = viewFor(d, view, o.answeredBy);
            if (seen != null) {
                send(d, seen);
            }
        }
        try {
            observer.callChanged(o.call.userId, view, view.state() == CallState.ANSWERED && o.sipAnsweredAtNanos != 0
                    ? System.nanoTime() - o.sipAnsweredAtNanos : -1);
        } catch (RuntimeException e) {
            LOG.error("call {} state {}: observer failed", view.id(), view.state().wire(), e);
        }
    }

    /**
     * What {@code d} is shown of {@code view}: the view itself, or, for a dialer of another device than
     * the one that answered, the answer as answered_elsewhere (seen once) and nothing after it.
     */
    private static CallView viewFor(Dialer d, CallView view, Dialer answeredBy) {
        if (answeredBy == null || Dialer.sameDevice(answeredBy, d)) {
            return view;
        }
        return view.state() == CallState.ANSWERED ? view.answeredElsewhere() : null;
    }

    /** Sends {@code dialer} the events of call {@code callId} newer than {@code lastSeq}, in order. */
    private void replayMissed(Dialer dialer, String callId, long lastSeq) {
        Ongoing live = calls.get(callId);
        List<CallView> history;
        Dialer answeredBy;
        if (live != null && live.call.userId == dialer.userId()) {
            history = live.history;
            answeredBy = live.answeredBy;
        } else {
            RecentlyEnded.Ended recent = ended.find(dialer.userId(), callId, now());
            if (recent != null) {
                history = recent.history();
                answeredBy = recent.answeredBy();
            } else {
                // Ended long ago or before a restart: the call log has its final state and seq.
                history = store.find(dialer.userId(), callId).stream().toList();
                answeredBy = null;
            }
        }
        for (CallView view : List.copyOf(history)) {
            // Each of a call's views has the history's answeredBy only from the answer on.
            CallView seen = view.seq() <= lastSeq ? null
                    : viewFor(dialer, view, view.state() == CallState.CONNECTING ? null : answeredBy);
            if (seen != null) {
                send(dialer, seen);
            }
        }
    }

    private void send(Dialer d, CallView view) {
        try {
            d.deliver(view);
        } catch (RuntimeException e) {
            LOG.debug("call event not delivered: {}", e.toString());
        }
    }

    private Ongoing find(Dialer dialer, String callId, boolean ringingInboundOnly) {
        for (Ongoing o : calls.values()) {
            boolean matches = callId == null || o.call.id.equals(callId);
            if (matches && o.visibleTo(dialer) && (!ringingInboundOnly || o.isRingingInbound())) {
                return o;
            }
        }
        throw new CallException(CallException.Reason.CALL_NOT_FOUND,
                callId == null ? "There is no call to act on." : "No call " + callId + ".");
    }

    private boolean hasCalls(long userId, Ongoing except) {
        return calls.values().stream().anyMatch(o -> o.call.userId == userId && o != except);
    }

    private boolean isAttached(Dialer d) {
        return dialers.getOrDefault(d.userId(), Set.of()).contains(d);
    }

    private void startRingTimer(Ongoing o) {
        o.ringTimer = thread.schedule(() -> ringTimedOut(o), ringTimeout);
    }

    /** A relay session whose timeout ends the call it is attached to (found by session, on our thread). */
    private MediaSession newMediaSession() {
        MediaSession[] self = new MediaSession[1];
        self[0] = relay.newSession(side -> thread.execute(() -> {
            for (Ongoing o : List.copyOf(calls.values())) {
                // An extension pair shares one session: the caller's call (side A) ends both.
                if (o.media == self[0] && (o.peer == null || o.mediaSide == MediaSession.Side.A)) {
                    mediaTimedOut(o, side);
                    return;
                }
            }
        }));
        return self[0];
    }

    private int openRtp(MediaSession media) {
        try {
            return media.openRtp();
        } catch (IOException e) {
            throw new CallException(CallException.Reason.CALLS_UNAVAILABLE, "No free RTP port: " + e.getMessage());
        }
    }

    private static boolean sameNumber(String dialed, String number) {
        if (number == null) {
            return false;
        }
        // Trunks differ on the "+": compare the digits of the E.164 form.
        return dialed.replace("+", "").equals(number.replace("+", ""));
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: milliseconds make stored and sent times equal everywhere.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
