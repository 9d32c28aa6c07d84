package org.opendialer.sip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * One SIP call leg toward the trunk. Methods may be called from any thread; listener events arrive on the
 * agent's event thread. Subclasses hold the UAC ({@link OutboundCall}) and UAS ({@link InboundCall}) halves.
 */
public abstract sealed class SipCall permits OutboundCall, InboundCall {
    private static final System.Logger LOG = System.getLogger(SipCall.class.getName());

    final SipContext ctx;
    final String callId;
    final String transport;
    volatile CallListener listener;
    private CallState state = CallState.INITIAL;
    private boolean endReported;
    Dialog dialog;
    AudioSdp localSdp;
    AudioSdp remoteSdp;
    private ScheduledFuture<?> ringTimer;
    private boolean reInvitePending;
    /** We sent an offer in a 2xx (late offer, RFC 3264 5): the far end's answer must come in the ACK. */
    boolean answerDueInAck;
    /** Hosts this call's messages come from (RFC 3261 12: the dialog's peer); see {@link #notePeer}. */
    private final java.util.Set<java.net.InetAddress> peerHosts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile java.net.InetAddress signallingSource;
    /** What we are willing to do ourselves: SENDRECV, or SENDONLY while we hold the call (our re-INVITE). */
    private MediaDirection willing = MediaDirection.SENDRECV;
    final SessionTimer sessionTimer;
    /** The far end listed UPDATE in Allow (its INVITE or 2xx): session refreshes use it (RFC 4028 9). */
    boolean peerAllowsUpdate;
    private final UpdateLimiter updates = new UpdateLimiter();
    /** REFER and its NOTIFYs, both ways (RFC 3515). */
    final Referrals referrals = new Referrals(this);

    SipCall(SipContext ctx, String callId, String transport, CallListener listener) {
        this.ctx = ctx;
        this.callId = callId;
        this.transport = transport;
        this.listener = listener;
        this.sessionTimer = new SessionTimer(this, ctx.settings.trunkOptions());
    }

    public String callId() {
        return callId;
    }

    public synchronized CallState state() {
        return state;
    }

    /**
     * The host the far end's first SIP message of this call came from (the INVITE, or the first
     * response to ours), or null. Behind a NAT, its RTP comes from here too.
     */
    public java.net.InetAddress signallingSource() {
        return signallingSource;
    }

    /** Whether {@code host} sent this call's messages or is its remote target: in-dialog requests from it pass. */
    boolean isPeer(java.net.InetAddress host) {
        return host != null && peerHosts.contains(host);
    }

    /**
     * Records where a message of this call came from, and the host of its Contact when that is an
     * address literal (the dialog's remote target, RFC 3261 12.1: the peer's own in-dialog requests
     * come from there when no proxy stays in the path). Bounded: a call knows a handful of hosts.
     */
    void notePeer(Message message) {
        java.net.InetAddress source = ((gov.nist.javax.sip.message.SIPMessage) message).getRemoteAddress();
        if (source != null && peerHosts.size() < 8) {
            peerHosts.add(source);
            if (signallingSource == null) {
                signallingSource = source;
            }
        }
        if (message.getHeader(javax.sip.header.ContactHeader.NAME) instanceof javax.sip.header.ContactHeader contact
                && contact.getAddress().getURI() instanceof javax.sip.address.SipURI uri && peerHosts.size() < 8) {
            String host = uri.getHost();
            if (host != null && (host.matches("[0-9.]+") || host.startsWith("["))) {
                try {
                    peerHosts.add(java.net.InetAddress.getByName(host)); // a literal: no DNS lookup
                } catch (java.net.UnknownHostException e) {
                    // not an address after all: not a peer host
                }
            }
        }
    }

    /** The SDP we sent last (offer or answer). */
    public synchronized AudioSdp localSdp() {
        return localSdp;
    }

    /** The far end's SDP, once known. */
    public synchronized AudioSdp remoteSdp() {
        return remoteSdp;
    }

    /** Ends the call: CANCEL or a reject before the answer, BYE after. Does nothing once terminated. */
    public abstract void hangUp();

    /** Sends a re-INVITE with a new local SDP, e.g. {@code localSdp().withDirection(SENDONLY)} for hold. */
    public synchronized void reInvite(AudioSdp sdp) {
        if (state != CallState.CONFIRMED || dialog == null || reInvitePending) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_STATE,
                    "re-INVITE needs an answered call and no re-INVITE pending");
        }
        try {
            Request invite = dialog.createRequest(Request.INVITE);
            invite.addHeader(ctx.contact(transport));
            sessionTimer.addToRequest(ctx, invite);
            setSdp(invite, sdp);
            ClientTransaction tx = ctx.provider.getNewClientTransaction(invite);
            tx.setRetransmitTimer(ctx.t1Millis());
            dialog.sendRequest(tx);
            localSdp = sdp;
            willing = sdp.direction();
            reInvitePending = true;
        } catch (Exception e) {
            throw new SipAgentException(SipAgentException.Reason.TRANSPORT, "re-INVITE failed", e);
        }
    }

    /**
     * Asks the far end to call {@code targetUser} at {@link #referHost()} instead of us (REFER, RFC 3515; blind
     * transfer). With {@code replaces} (another leg of ours, answered) the Refer-To carries that leg's dialog in
     * a Replaces header (RFC 3891): the far end's call replaces it (attended transfer). {@code outcome} hears the
     * far end's answer and its NOTIFYs.
     *
     * @throws SipAgentException INVALID_STATE before the answer or while a REFER is under way, INVALID_NUMBER
     *                           for a target that is not a number
     */
    public void refer(String targetUser, SipCall replaces, ReferOutcome outcome) {
        if (targetUser == null || !targetUser.matches("\\+?[0-9*#]{1,32}")) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_NUMBER, "not a number: " + targetUser);
        }
        javax.sip.address.SipURI uri;
        try {
            SipSettings.Trunk host = referHost();
            uri = ctx.addresses.createSipURI(targetUser, host.host());
            uri.setPort(host.port());
            if (host.sips()) {
                uri.setSecure(true); // as our INVITEs to it (RFC 3261 19.1)
            } else if (host.transport().equals("tcp") || host.transport().equals("tls")) {
                uri.setTransportParam(host.transport());
            }
            if (replaces != null) {
                uri.setHeader("Replaces", replaces.replacesValue());
            }
        } catch (java.text.ParseException e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_NUMBER, "no Refer-To for " + targetUser, e);
        }
        referrals.send(uri, outcome);
    }

    /** Where a Refer-To points: the trunk (a PBX account's call: its registrar, see OutboundCall). */
    SipSettings.Trunk referHost() {
        SipSettings.Trunk trunk = ctx.settings.trunk();
        if (trunk == null) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "no SIP trunk configured");
        }
        return trunk;
    }

    /**
     * This leg's dialog as the far end knows it, escaped for a Refer-To's Replaces header (RFC 3891 3: the
     * far end's own tag is the to-tag).
     */
    synchronized String replacesValue() {
        if (dialog == null || state != CallState.CONFIRMED) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "only an answered leg is replaced");
        }
        return escape(callId) + "%3Bto-tag%3D" + escape(dialog.getRemoteTag()) + "%3Bfrom-tag%3D"
                + escape(dialog.getLocalTag());
    }

    /** RFC 3261 19.1.1: a URI header's value escapes everything but unreserved characters. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (byte c : value.getBytes(StandardCharsets.UTF_8)) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.!~*'()".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    /** The one place the state changes; false (and no change) when the transition is not allowed. */
    synchronized boolean moveTo(CallState next) {
        if (!state.canMoveTo(next)) {
            return false;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} -> {2}", callId, state, next);
        state = next;
        if (next.isFinal()) {
            cancelRingTimer();
            sessionTimer.stop();
            ctx.calls.remove(callId, this);
            TrunkRouter router = ctx.trunkRouter;
            if (router != null) {
                router.unpin(callId);
            }
        }
        return true;
    }

    void startRingTimer(Runnable onExpiry) {
        ringTimer = ctx.schedule(onExpiry, ctx.settings.ringTimeout().toMillis());
    }

    synchronized void cancelRingTimer() {
        if (ringTimer != null) {
            ringTimer.cancel(false);
        }
    }

    /** Queues a listener event; the listener is read when it runs, so one set later still sees it. */
    void emit(Consumer<CallListener> event) {
        ctx.emit(() -> {
            CallListener l = listener;
            if (l != null) {
                event.accept(l);
            }
        });
    }

    /** Reports the end of the call to the listener, once. */
    synchronized void emitFailed(EndReason reason, int status, String phrase) {
        if (!endReported) {
            endReported = true;
            emit(l -> l.failed(reason, status, phrase));
        }
    }

    synchronized void emitRemoteHangup() {
        if (!endReported) {
            endReported = true;
            emit(CallListener::remoteHangup);
        }
    }

    synchronized void markEndReported() {
        endReported = true;
    }

    synchronized void sendBye() {
        if (dialog == null) {
            return;
        }
        try {
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction tx = ctx.provider.getNewClientTransaction(bye);
            tx.setRetransmitTimer(ctx.t1Millis());
            dialog.sendRequest(tx);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": BYE not sent", e);
        }
    }

    /** A request inside the dialog from the far end (BYE, re-INVITE, INFO, ...). ACK goes to {@link #onAck}. */
    void onInDialogRequest(RequestEvent event, ServerTransaction tx) throws Exception {
        Request request = event.getRequest();
        switch (request.getMethod()) {
            case Request.BYE -> {
                try {
                    tx.sendResponse(ctx.messages.createResponse(Response.OK, request));
                } catch (Exception e) {
                    // The far end may close its TCP connection as soon as it has our 200 (the stack then throws
                    // "Socket is closed" after sending it): the BYE still ends the call.
                    LOG.log(System.Logger.Level.INFO, "{0}: 200 to BYE: {1}", callId, String.valueOf(e));
                }
                boolean wasAnswered = state() == CallState.CONFIRMED;
                if (moveTo(CallState.TERMINATED)) {
                    if (wasAnswered) {
                        emitRemoteHangup();
                    } else {
                        emitFailed(EndReason.CANCELED, 0, "BYE before answer");
                    }
                }
            }
            case Request.INVITE -> onReInvite(request, tx);
            case Request.UPDATE -> onUpdate(request, tx);
            // The RI matched it to our reliable provisional (RAck) before handing it over (RFC 3262 4).
            case Request.PRACK -> tx.sendResponse(ctx.messages.createResponse(Response.OK, request));
            case Request.REFER -> referrals.onRefer(request, tx);
            case Request.NOTIFY -> referrals.onNotify(request, tx);
            case Request.INFO, Request.OPTIONS -> tx.sendResponse(ctx.messages.createResponse(Response.OK, request));
            default -> tx.sendResponse(ctx.messages.createResponse(Response.NOT_IMPLEMENTED, request));
        }
    }

    /** The stack ended the dialog without a BYE (no ACK for our 2xx): the call is gone. */
    void onDialogTerminated() {
        if (state() == CallState.CONFIRMED && moveTo(CallState.TERMINATED)) {
            emitRemoteHangup();
        }
    }

    /**
     * The 2xx is acknowledged (the RI stops retransmitting it). When that 2xx carried our offer, the ACK
     * carries the answer (RFC 3261 13.2.1); an ACK without a usable one ends the call: BYE, failed.
     */
    void onAck(RequestEvent event) {
        AudioSdp answer;
        synchronized (this) {
            if (!answerDueInAck) {
                return;
            }
            answerDueInAck = false;
            try {
                answer = sdpOf(event.getRequest());
            } catch (SipAgentException e) {
                answer = null;
            }
            if (answer == null || !answer.isUsableAnswerTo(localSdp)) {
                LOG.log(System.Logger.Level.INFO, callId + ": the ACK has no usable SDP answer to our offer: BYE");
                sendBye();
                if (moveTo(CallState.TERMINATED)) {
                    emitFailed(EndReason.FAILED, 0, "no usable SDP answer in the ACK");
                }
                return;
            }
            remoteSdp = answer;
        }
        AudioSdp remote = answer;
        emit(l -> l.reInvited(remote));
    }

    /** Answers a far-end re-INVITE with our current SDP (RFC 3264 8), direction mirrored for hold. */
    private void onReInvite(Request request, ServerTransaction tx) throws Exception {
        AudioSdp offer = null;
        AudioSdp answer;
        synchronized (this) {
            if (state != CallState.CONFIRMED || reInvitePending) {
                // RFC 3261 14.2: a re-INVITE while ours is pending (glare), or before the answer, gets 491.
                tx.sendResponse(ctx.messages.createResponse(Response.REQUEST_PENDING, request));
                return;
            }
            if (sessionTimer.tooBrief(request)) {
                tx.sendResponse(sessionIntervalTooSmall(request));
                return;
            }
            if (request.getRawContent() != null && request.getRawContent().length > 0) {
                try {
                    offer = AudioSdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
                } catch (SipAgentException e) {
                    tx.sendResponse(ctx.messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                    return;
                }
                if (offer.secure() != localSdp.secure() || offer.secure() && offer.crypto() == null) {
                    // The session keeps its profile: no switch between RTP and SRTP inside a call.
                    tx.sendResponse(ctx.messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                    return;
                }
            }
            // RFC 3264 6.1: answer with what the offer allows and we want, so a far end's resume after its
            // hold gets sendrecv again (not the recvonly we answered to its hold).
            MediaDirection dir = offer == null ? localSdp.direction() : willing.and(offer.direction().reverse());
            answer = localSdp.withDirection(dir);
            Response ok = ctx.messages.createResponse(Response.OK, request);
            ok.addHeader(ctx.contact(transport));
            sessionTimer.answering(ctx, request, ok);
            setSdp(ok, answer);
            tx.sendResponse(ok);
            localSdp = answer;
            if (offer != null) {
                remoteSdp = offer;
            } else {
                answerDueInAck = true; // RFC 3264 5: a re-INVITE without SDP gets our offer; the ACK answers it
            }
        }
        if (offer != null) {
            AudioSdp remote = offer;
            emit(l -> l.reInvited(remote));
        }
    }

    /** The far end's answer to our re-INVITE. */
    synchronized void onReInviteResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseqHeader = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseqHeader.getMethod()) || response.getStatusCode() < 200) {
            return; // responses to our BYE, and provisionals
        }
        reInvitePending = false;
        if (response.getStatusCode() / 100 == 2 && (dialog == null || state.isFinal())) {
            LateAck.send(ctx, event); // crossed our BYE: ACK it all the same (RFC 3261 13.2.2.4); the BYE stands
            return;
        }
        if (response.getStatusCode() / 100 != 2) {
            sessionTimer.refreshFailed(response);
            return; // the stack ACKs failures; the old session stays (RFC 3261 14.1)
        }
        try {
            LateAck.send(ctx, event);
            sessionTimer.answered(response);
            AudioSdp sdp = sdpOf(response);
            if (sdp != null) {
                remoteSdp = sdp;
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, callId + ": ACK for re-INVITE not sent", e);
        }
    }

    /**
     * The far end's UPDATE (RFC 3311): a session refresh, or a media change before or after the answer. Without
     * SDP it is answered 200 at once; with SDP it is an offer answered like a re-INVITE's, and 491 while our own
     * offer is pending (5.2). More than a few per second get 500 with Retry-After, so a storm costs nothing.
     */
    private void onUpdate(Request request, ServerTransaction tx) throws Exception {
        AudioSdp offer = null;
        synchronized (this) {
            CallState s = state;
            if (s == CallState.TERMINATED || s == CallState.CANCELING) {
                tx.sendResponse(ctx.messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, request));
                return;
            }
            if (!updates.tryAcquire(System.nanoTime())) {
                Response busy = ctx.messages.createResponse(Response.SERVER_INTERNAL_ERROR, request);
                busy.addHeader(ctx.headers.createRetryAfterHeader(1));
                tx.sendResponse(busy);
                return;
            }
            if (sessionTimer.tooBrief(request)) {
                tx.sendResponse(sessionIntervalTooSmall(request));
                return;
            }
            boolean hasBody = request.getRawContent() != null && request.getRawContent().length > 0;
            if (hasBody && (reInvitePending || localSdp == null)) {
                tx.sendResponse(ctx.messages.createResponse(Response.REQUEST_PENDING, request));
                return;
            }
            if (hasBody) {
                try {
                    offer = AudioSdp.parse(new String(request.getRawContent(), StandardCharsets.UTF_8));
                } catch (SipAgentException e) {
                    tx.sendResponse(ctx.messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                    return;
                }
                if (offer.firstCommonCodec().isEmpty() || offer.secure() != localSdp.secure()) {
                    tx.sendResponse(ctx.messages.createResponse(Response.NOT_ACCEPTABLE_HERE, request));
                    return;
                }
            }
            Response ok = ctx.messages.createResponse(Response.OK, request);
            ok.addHeader(ctx.contact(transport));
            if (s == CallState.CONFIRMED) {
                sessionTimer.answering(ctx, request, ok);
            }
            if (offer != null) {
                AudioSdp answer = localSdp.withDirection(willing.and(offer.direction().reverse()));
                setSdp(ok, answer);
                localSdp = answer;
                remoteSdp = offer;
            }
            tx.sendResponse(ok);
        }
        if (offer != null && state() == CallState.CONFIRMED) {
            AudioSdp remote = offer;
            emit(l -> l.reInvited(remote));
        }
    }

    /** 422 Session Interval Too Small with our Min-SE (RFC 4028 8.1). */
    Response sessionIntervalTooSmall(Request request) throws Exception {
        Response r = ctx.messages.createResponse(422, request);
        r.setReasonPhrase("Session Interval Too Small");
        SessionTimer.addMinSe(ctx, r);
        return r;
    }

    /**
     * Sends a session refresh (RFC 4028 7.4): UPDATE without SDP when the far end allows it, else a re-INVITE
     * with our current SDP unchanged. Returns its CSeq, or -1 when it could not be sent.
     */
    synchronized long sendRefresh() {
        if (dialog == null || state != CallState.CONFIRMED || reInvitePending) {
            return -1;
        }
        try {
            boolean update = peerAllowsUpdate;
            Request request = dialog.createRequest(update ? Request.UPDATE : Request.INVITE);
            request.addHeader(ctx.contact(transport));
            sessionTimer.addToRequest(ctx, request);
            if (!update) {
                setSdp(request, localSdp);
            }
            ClientTransaction tx = ctx.provider.getNewClientTransaction(request);
            tx.setRetransmitTimer(ctx.t1Millis());
            dialog.sendRequest(tx);
            if (!update) {
                reInvitePending = true;
            }
            return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.INFO, callId + ": session refresh not sent: " + e);
            return -1;
        }
    }

    /** The far end's answer to our UPDATE. */
    synchronized void onUpdateResponse(ResponseEvent event) {
        Response response = event.getResponse();
        if (response.getStatusCode() < 200) {
            return;
        }
        if (response.getStatusCode() / 100 == 2) {
            sessionTimer.answered(response);
        } else {
            sessionTimer.refreshFailed(response);
        }
    }

    /** No refresh arrived in time, or ours failed for good: BYE, and the call ends as session_expired. */
    synchronized void onSessionExpired(String why) {
        if (state != CallState.CONFIRMED) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: session expired ({1}): BYE sent", callId, why);
        sendBye();
        moveTo(CallState.TERMINATED);
        if (!endReported) {
            endReported = true;
            emit(CallListener::sessionExpired);
        }
    }

    /** Remembers whether the far end allows UPDATE, from the Allow of its INVITE or 2xx. */
    void notePeerAllow(Message message) {
        peerAllowsUpdate = SessionTimer.hasOptionTag(message, javax.sip.header.AllowHeader.NAME, Request.UPDATE);
    }

    /** Our re-INVITE got no response: RFC 3261 14.1 says end the dialog. Reported as a remote hang-up. */
    synchronized void onReInviteTimeout() {
        reInvitePending = false;
        if (state == CallState.CONFIRMED) {
            sendBye();
            moveTo(CallState.TERMINATED);
            emitRemoteHangup();
        }
    }

    /** A client transaction of this call timed out (Timer B/F). */
    abstract void onTimeout(ClientTransaction tx);

    void setSdp(Message message, AudioSdp sdp) throws java.text.ParseException {
        ContentTypeHeader type = ctx.headers.createContentTypeHeader("application", "sdp");
        message.setContent(sdp.format().getBytes(StandardCharsets.UTF_8), type);
    }

    /** The message's SDP, null when there is none; throws INVALID_SDP when it is unusable. */
    static AudioSdp sdpOf(Message message) {
        byte[] body = message.getRawContent();
        if (body == null || body.length == 0) {
            return null;
        }
        return AudioSdp.parse(new String(body, StandardCharsets.UTF_8));
    }
}
