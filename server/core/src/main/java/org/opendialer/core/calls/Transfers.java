package org.opendialer.core.calls;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.CarrierConfig;
import org.opendialer.core.config.TransferMode;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.PbxAccount;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfers of users' calls, which {@link CallEngine} delegates to: blind transfer to an extension or a
 * number (a SIP caller: {@link BlindTransfer}, decision 0022; another user's browser: {@link BrowserCallerTransfer},
 * decision 0028; a leg a transfer already joined: the target takes over at the answer, 0012 and 0018), REFER mode
 * (0019; blind: {@link BlindTransfer} with the far end's NOTIFYs as the target's progress, 0027), and attended transfer
 * (joining two of the user's calls). Engine thread only.
 */
final class Transfers {
    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);
    /** A transfer target rings at most this long, whatever DIALER_RING_TIMEOUT_S says. */
    private static final Duration TARGET_RING_CAP = Duration.ofSeconds(20);

    /** The engine's parts a transfer uses. */
    record Parts(LiveCalls calls, EngineThread thread, AccountService accounts, SipUserAgent sip,
                 PbxRegistrations pbx, Supplier<DestinationPolicy> destinations, Supplier<CarrierConfig> carrier,
                 Supplier<TransferMode> mode, Supplier<MediaSession> newMedia, LongPredicate canRing,
                 Consumer<Ongoing> ringTimedOut, Set<Bridge> bridges, Duration ringTimeout) {}

    private final Parts p;
    /** Blind transfers whose caller waits without a call of the user (target ringing, recall). */
    private final Set<BlindTransfer> live = new LinkedHashSet<>();
    /** Blind transfers of extension calls whose caller (a browser) waits without the user (decision 0028). */
    private final Set<BrowserCallerTransfer> browserCallers = new LinkedHashSet<>();

    Transfers(Parts parts) {
        this.p = parts;
    }

    /**
     * Blind transfer of the answered call {@code o} to {@code target}. The result completes once the target
     * rings (the user's call has then ended transferred), or fails with a CallException.
     */
    CompletableFuture<Void> blind(Ongoing o, User user, DialTarget target) {
        if (o.call.state() != CallState.ANSWERED) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED, "There is no answered call to transfer.");
        }
        refuseIfTransferring(o);
        if (!(target instanceof DialTarget.Extension ext)) {
            if (sameNumber(target.dialString(), user.number())) {
                throw new CallException(CallException.Reason.TRANSFER_REFUSED, "You cannot transfer a call to yourself.");
            }
            if (p.mode().get() == TransferMode.REFER && o.far.sipLeg() != null) {
                p.destinations().get().admit(user.id(), target); // toll fraud: the trunk places this call for the user
                if (BlindTransfer.applies(o)) {
                    return BlindTransfer.byRefer(engineFor(), o, target.dialString()).started; // decision 0027
                }
                ReferTransfer.start(p.calls(), p.thread(), o, target.dialString(), null); // a call a transfer joined
                return CompletableFuture.completedFuture(null);
            }
            return toNumber(o, user, target);
        }
        if (ext.digits().equals(user.extension())) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED, "You cannot transfer a call to yourself.");
        }
        User callee = p.accounts().findUserByExtension(ext.digits())
                .orElseThrow(() -> new CallException(CallException.Reason.INVALID_TARGET,
                        "No user has extension " + ext.digits() + "."));
        Ongoing peer = o.far.browserPeer();
        if (peer != null && peer.call.userId == callee.id()) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "Extension " + ext.digits() + " is already on this call.");
        }
        if (!p.canRing().test(callee.id())) {
            throw new CallException(CallException.Reason.TRANSFER_FAILED, "Extension " + ext.digits() + " is busy.");
        }
        boolean sipCaller = BlindTransfer.applies(o);
        boolean browserCaller = BrowserCallerTransfer.applies(o);
        if ((sipCaller || browserCaller) && !p.calls().events().hasDialers(callee.id())) {
            throw new CallException(CallException.Reason.TRANSFER_FAILED,
                    "Extension " + ext.digits() + " is unreachable (no dialer signed in).");
        }
        // The target sees who the user was talking to: the caller of an inbound call, the callee of an outbound one.
        boolean inbound = o.call.direction == CallDirection.INBOUND;
        Ongoing t = p.calls().register(new Call(java.util.UUID.randomUUID().toString(), callee.id(),
                CallDirection.INBOUND, inbound ? o.call.from : o.call.to, ext.digits(),
                inbound ? o.call.callerDisplayName : null, p.calls().now()));
        if (sipCaller) {
            BlindTransfer transfer = new BlindTransfer(engineFor(), o);
            transfer.ringExtension(t);
            return transfer.started;
        }
        if (browserCaller) {
            BrowserCallerTransfer transfer = new BrowserCallerTransfer(engineFor(), browserCallers, o);
            transfer.ringExtension(t);
            return transfer.started;
        }
        t.far = new TransferTargetFarEnd(p.calls(), o);
        o.transferTo = t;
        t.ringTimer = p.thread().schedule(() -> p.ringTimedOut().accept(t), targetRing());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Attended transfer: joins the far end of {@code first} with the far end of {@code consultation}; both
     * calls end {@code transferred} (REFER mode: a REFER with Replaces on the first call's leg).
     */
    void attended(Ongoing first, Ongoing consultation) {
        if (first == consultation) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED, "A call cannot be transferred to itself.");
        }
        if (first.call.state() != CallState.ANSWERED || consultation.call.state() != CallState.ANSWERED) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "Both calls must be answered to join them.");
        }
        refuseIfTransferring(first);
        refuseIfTransferring(consultation);
        if (p.mode().get() == TransferMode.REFER && first.far.sipLeg() != null
                && consultation.far.sipLeg() != null) {
            // REFER on the first call's leg to the consultation's party, with Replaces naming the consultation's leg.
            String party = consultation.call.direction == CallDirection.OUTBOUND ? consultation.call.to
                    : consultation.call.from;
            if (party == null) {
                throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                        "The consultation call's number is hidden: it cannot be named in a REFER.");
            }
            ReferTransfer.start(p.calls(), p.thread(), first, party, consultation);
            return;
        }
        FarEndJoin.Party a = FarEndJoin.Party.of(first);
        FarEndJoin.Party b = FarEndJoin.Party.of(consultation);
        FarEndJoin.check(a, b);
        FarEndJoin.join(a, b, p.bridges());
        for (Ongoing o : List.of(first, consultation)) {
            o.media = null; // the sessions go on with the joined far ends
            p.calls().end(o, EndReason.TRANSFERRED);
        }
        LOG.info("calls {} and {} joined (attended transfer)", first.call.id, consultation.call.id);
    }

    /** Gateway shutdown, before the users' calls end: the callers waiting on a transfer get BYE. */
    void shutdown() {
        for (BlindTransfer t : List.copyOf(live)) {
            t.shutdown();
        }
        for (BrowserCallerTransfer t : List.copyOf(browserCallers)) {
            t.shutdown();
        }
    }

    private static void refuseIfTransferring(Ongoing o) {
        if (o.transferTo != null || o.numberTransfer != null || o.referring != null || o.following != null
                || o.blind != null || o.browserTransfer != null) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "A transfer of this call is already under way.");
        }
    }

    /**
     * Bridge mode: a new leg to {@code target} through the trunk (or the user's PBX account) in a relay session
     * of its own. A SIP caller (BlindTransfer) or another user's browser (BrowserCallerTransfer) hears ringback and
     * the target; a leg a transfer already joined stays with the user until the target answers (NumberTransfer).
     */
    private CompletableFuture<Void> toNumber(Ongoing o, User user, DialTarget target) {
        SipUserAgent sip = p.sip();
        PbxAccount account = p.pbx().accountFor(user, target);
        if (account == null && (sip == null || sip.settings().trunk() == null)) {
            throw new CallException(CallException.Reason.TRANSFER_REFUSED,
                    "No SIP trunk is configured (DIALER_SIP_TRUNK): transfer to an extension.");
        }
        FarEndJoin.Party caller = FarEndJoin.Party.of(o);
        if (!caller.isSip() && !(caller.far() instanceof ExtensionFarEnd) || o.media == null
                || o.media.splicedWith() != null) { // a call a transfer already joined: hand it on to an extension
            throw new CallException(CallException.Reason.TRANSFER_REFUSED, "This call cannot be transferred.");
        }
        p.destinations().get().admit(user.id(), target); // toll fraud: a transfer dials out like placeCall
        MediaSession media = p.newMedia().get();
        SipFarEnd leg = new SipFarEnd(p.calls(), sip, p.newMedia());
        leg.media = media;
        BlindTransfer blind = BlindTransfer.applies(o) ? new BlindTransfer(engineFor(), o) : null;
        BrowserCallerTransfer browser = blind == null && BrowserCallerTransfer.applies(o)
                ? new BrowserCallerTransfer(engineFor(), browserCallers, o) : null;
        NumberTransfer transfer = blind != null || browser != null ? null
                : new NumberTransfer(p.calls(), o, leg, this::numberAnswered);
        leg.listener = new SipLegListener(p.thread(), blind != null ? blind.targetHandler(leg)
                : browser != null ? browser.targetHandler(leg) : transfer);
        try {
            AudioSdp offer = sip.localOffer(MediaOffers.openRtp(media));
            String from = account == null ? p.carrier().get().presentedNumber(user.number()) : user.number();
            leg.leg = account == null ? sip.placeCall(from, user.displayName(), target.dialString(), offer, leg.listener)
                    : sip.placeCallVia(account, user.displayName(), target.dialString(), offer, leg.listener);
        } catch (SipAgentException | CallException e) {
            media.close();
            LOG.warn("transfer of call {} to {} not started: {}", o.call.id, target.dialString(), e.toString());
            throw new CallException(CallException.Reason.TRANSFER_FAILED, "The transfer could not be started.");
        }
        if (blind != null) {
            blind.begin();
            return blind.started;
        }
        if (browser != null) {
            browser.begin();
            return browser.started;
        }
        o.numberTransfer = transfer;
        transfer.ringTimer = p.thread().schedule(transfer::ringTimedOut, targetRing());
        return CompletableFuture.completedFuture(null);
    }

    private void numberAnswered(NumberTransfer transfer) {
        Ongoing o = transfer.from();
        FarEndJoin.Party caller = FarEndJoin.Party.of(o);
        FarEndJoin.Party target = new FarEndJoin.Party(transfer.target, transfer.target.media, MediaSession.Side.A, false);
        FarEndJoin.join(caller, target, p.bridges());
        o.media = null; // the session goes on with the caller and the target
        p.calls().end(o, EndReason.TRANSFERRED);
        LOG.info("call {} transferred to {}", o.call.id, transfer.target.leg.callId());
    }

    private BlindTransfer.Engine engineFor() {
        return new BlindTransfer.Engine(p.calls(), p.thread(), p.canRing(), p.ringTimedOut(), p.bridges(), live,
                targetRing(), p.ringTimeout());
    }

    /** The target of a transfer rings at most 20 s: the SDK's transfer() waits for it to ring (30 s limit). */
    private Duration targetRing() {
        return p.ringTimeout().compareTo(TARGET_RING_CAP) < 0 ? p.ringTimeout() : TARGET_RING_CAP;
    }

    static boolean sameNumber(String dialed, String number) {
        if (number == null) {
            return false;
        }
        // Trunks differ on the "+": compare the digits of the E.164 form.
        return dialed.replace("+", "").equals(number.replace("+", ""));
    }
}
