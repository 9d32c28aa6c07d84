package org.opendialer.core.calls;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
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
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;
import org.opendialer.sip.InboundCall;
import org.opendialer.sip.InboundCallHandler;
import org.opendialer.sip.OutboundCall;
import org.opendialer.sip.RtpPortAllocator;
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
    private final PbxRegistrations pbx;
    private final RtpPortAllocator rtpPorts;
    private final Duration ringTimeout;
    private final Clock clock;
    private final EngineThread thread = new EngineThread();
    private final SipLegListener.Handler legEvents = new SipLegListener.Handler() {
        @Override
        public void legAnswered(Ongoing o) {
            if (o.call.state() == CallState.CONNECTING) {
                move(o, CallState.ANSWERED, null);
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
    private final Map<Long, Set<Dialer>> dialers = new HashMap<>();

    /**
     * @param sipSettings the agent's settings, or null when no trunk is configured (then only
     *                    extension calls work and no SIP port is opened)
     */
    public CallEngine(AccountService accounts, CallStore store, SipSettings sipSettings, RtpPortAllocator rtpPorts,
                      Duration ringTimeout, Clock clock) {
        this.accounts = accounts;
        this.store = store;
        this.rtpPorts = rtpPorts;
        this.ringTimeout = ringTimeout;
        this.clock = clock;
        this.sip = sipSettings == null ? null
                : new SipUserAgent(sipSettings.withRingTimeout(ringTimeout.plus(SIP_RING_BACKSTOP)), this::onInvite);
        this.pbx = new PbxRegistrations(accounts, sip);
    }

    /** PBX mode: users' own SIP accounts, registered while they have a dialer connected. */
    public PbxRegistrations pbx() {
        return pbx;
    }

    /** Repairs calls a previous run left unfinished, then opens the SIP port. */
    public void start() {
        int repaired = store.endUnfinished(now());
        if (repaired > 0) {
            LOG.warn("{} call(s) left unfinished by the previous run marked failed (gateway restarted)", repaired);
        }
        if (sip != null && sip.settings().trunk() != null) {
            sip.start(); // without a trunk, the first PBX registration opens the SIP port
        }
    }

    // ---- requests from dialers (any thread; each waits for the engine thread) ----

    /** Shows {@code dialer} the user's calls that have not ended, then every later change. */
    public void attach(Dialer dialer) {
        thread.execute(() -> {
            dialers.computeIfAbsent(dialer.userId(), id -> new LinkedHashSet<>()).add(dialer);
            pbx.dialerAttached(dialer.userId());
            for (Ongoing o : calls.values()) {
                if (o.call.userId == dialer.userId() && o.answeredBy != null && !isAttached(o.answeredBy)) {
                    o.answeredBy = dialer; // the dialer that answered is gone (reload): this one takes over
                }
                if (o.visibleTo(dialer)) {
                    send(dialer, o.call.view());
                }
            }
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

    /** Places a call and returns its id once it exists and its INVITE (if any) is sent. */
    public String place(User caller, DialTarget target) {
        return thread.await(() -> placeNow(caller, target));
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
        thread.await(() -> {
            answerNow(find(dialer, callId, true), dialer);
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

    /** Ends every call (BYE or CANCEL on the SIP side), records it as failed, then stops SIP and threads. */
    @Override
    public void close() {
        try {
            thread.await(() -> {
                for (Ongoing o : List.copyOf(calls.values())) {
                    end(o, EndReason.FAILED);
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

    private String placeNow(User caller, DialTarget target) {
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
        if (account != null) {
            return placeToTrunk(caller, target.dialString(), account);
        }
        if (target instanceof DialTarget.Extension ext) {
            return placeToExtension(caller, ext.digits());
        }
        if (sip == null || sip.settings().trunk() == null) {
            throw new CallException(CallException.Reason.CALLS_UNAVAILABLE,
                    "No SIP trunk is configured (DIALER_SIP_TRUNK).");
        }
        return placeToTrunk(caller, target.dialString(), null);
    }

    private String placeToExtension(User caller, String extension) {
        if (extension.equals(caller.extension())) {
            throw new CallException(CallException.Reason.INVALID_TARGET, "You cannot call your own extension.");
        }
        User callee = accounts.listUsers().stream().filter(u -> extension.equals(u.extension())).findFirst()
                .orElseThrow(() -> new CallException(CallException.Reason.INVALID_TARGET,
                        "No user has extension " + extension + "."));
        String from = caller.extension() != null ? caller.extension() : caller.number();
        Ongoing out = register(new Call(newId(), caller.id(), CallDirection.OUTBOUND, from, extension,
                caller.displayName(), now()));
        if (hasCalls(callee.id(), out)) {
            end(out, EndReason.BUSY);
            return out.call.id;
        }
        Ongoing in = register(new Call(newId(), callee.id(), CallDirection.INBOUND, from, extension,
                caller.displayName(), now()));
        out.peer = in;
        in.peer = out;
        startRingTimer(out);
        return out.call.id;
    }

    /** To the trunk, or through the caller's PBX account when {@code account} is not null. */
    private String placeToTrunk(User caller, String e164, org.opendialer.sip.PbxAccount account) {
        DatagramChannel rtp = openRtp();
        // Without a number of its own the user calls anonymously (RFC 3323: anonymous From, Privacy: id).
        String from = caller.number();
        Ongoing o = register(new Call(newId(), caller.id(), CallDirection.OUTBOUND,
                from != null ? from : caller.extension(), e164, caller.displayName(), now()));
        o.rtp = rtp;
        SipLegListener listener = new SipLegListener(thread, legEvents, o);
        try {
            AudioSdp offer = sip.localOffer(((java.net.InetSocketAddress) rtp.getLocalAddress()).getPort());
            o.sipLeg = account == null ? sip.placeCall(from, caller.displayName(), e164, offer, listener)
                    : sip.placeCallVia(account, caller.displayName(), e164, offer, listener);
            startRingTimer(o);
        } catch (SipAgentException | IOException e) {
            LOG.warn("call {} to {} not placed: {}", o.call.id, e164, e.toString());
            end(o, EndReason.FAILED);
        }
        return o.call.id;
    }

    /** An INVITE from the trunk, on the SIP event thread: must not block, so routing runs on ours. */
    private CallListener onInvite(InboundCall invite) {
        SipLegListener listener = new SipLegListener(thread, legEvents, null);
        thread.execute(() -> route(invite, listener));
        return listener;
    }

    private void route(InboundCall invite, SipLegListener listener) {
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

    private void answerNow(Ongoing o, Dialer dialer) {
        if (o.sipLeg instanceof InboundCall invite) {
            try {
                if (invite.offer() == null) {
                    // An INVITE without SDP wants our offer in the 200 (RFC 3264 5): not supported yet.
                    throw new SipAgentException(SipAgentException.Reason.INVALID_SDP, "INVITE without SDP offer");
                }
                o.rtp = openRtp();
                int port = ((java.net.InetSocketAddress) o.rtp.getLocalAddress()).getPort();
                invite.answer(sip.localAnswer(invite.offer(), port));
            } catch (SipAgentException | IOException | CallException e) {
                LOG.warn("call {} not answered: {}", o.call.id, e.toString());
                end(o, EndReason.FAILED);
                invite.reject(488);
                return;
            }
        }
        o.answeredBy = dialer;
        move(o, CallState.ANSWERED, null);
        if (o.peer != null) {
            move(o.peer, CallState.ANSWERED, null);
        }
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
        if (o.rtp != null) {
            try {
                o.rtp.close();
            } catch (IOException e) {
                LOG.debug("RTP socket close: {}", e.toString());
            }
        }
        move(o, CallState.DISCONNECTED, reason);
    }

    /** Saves, then delivers to every dialer of the user that is shown the call. */
    private void publish(Ongoing o, CallView view) {
        try {
            store.save(o.call.userId, view, now());
        } catch (RuntimeException e) {
            LOG.error("call {} state {} not saved to the call log", view.id(), view.state().wire(), e);
        }
        for (Dialer d : List.copyOf(dialers.getOrDefault(o.call.userId, Set.of()))) {
            if (o.answeredBy == null || o.answeredBy == d) {
                send(d, view);
            } else if (view.state() == CallState.ANSWERED) {
                send(d, view.answeredElsewhere()); // seen once, at the answer; nothing after
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

    private DatagramChannel openRtp() {
        try {
            return rtpPorts.allocate();
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
