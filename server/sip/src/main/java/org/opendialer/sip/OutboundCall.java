package org.opendialer.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** A call we place toward the trunk (the UAC side of RFC 3261 13.2). */
public final class OutboundCall extends SipCall {
    private static final System.Logger LOG = System.getLogger(OutboundCall.class.getName());
    /** A 401 then a 407 (registrar and proxy) is legitimate; a third challenge means wrong credentials. */
    private static final int MAX_AUTH_ATTEMPTS = 2;

    private Request invite;
    private ClientTransaction inviteTx;
    private boolean provisionalSeen;
    private boolean cancelSent;
    private int authAttempts;
    /** 3xx answers still to follow (SipUserAgent.setMaxRedirects); set right after placing. */
    private int redirectsLeft = 3;
    private int redirectsFollowed;
    private boolean retried422;
    private boolean retriedPlain;
    private final ReliableProvisionals prack = new ReliableProvisionals();
    /** The PBX account this call goes through, or null for the trunk. */
    private PbxAccount account;
    /** The trunk's servers in the order to try them (RFC 3263), once located; null through a PBX account. */
    private List<TrunkLocator.Target> targets;
    private int targetIndex;
    /** Whether the server now tried has sent any response (then it is not failed over on silence). */
    private boolean targetResponded;
    /** The dialog this call replaces at its target (a followed attended transfer, RFC 3891), or null. */
    private ReplacedDialog replaces;

    private OutboundCall(SipContext ctx, String callId, String transport, CallListener listener) {
        super(ctx, callId, transport, listener);
    }

    /** Through a PBX account: the registrar is the next hop, the account's identity and credentials are ours. */
    static OutboundCall placeVia(SipContext ctx, PbxAccount account, String displayName, String to, AudioSdp offer,
                                 ReplacedDialog replaces, CallListener listener) {
        if (to == null || !to.matches("\\+?[0-9*#]{1,32}")) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_NUMBER, "not a number: " + to);
        }
        String callId = ctx.provider.getNewCallId().getCallId();
        OutboundCall call = new OutboundCall(ctx, callId, account.registrar().transport(), listener);
        call.account = account;
        call.replaces = replaces;
        try {
            call.invite = call.buildInvite(account.registrar(), account.username(), displayName, to, offer,
                    account.contactUser());
        } catch (Exception e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "cannot build INVITE", e);
        }
        return call.start(offer);
    }

    static OutboundCall place(SipContext ctx, String from, String displayName, String toNumber, AudioSdp offer,
                              ReplacedDialog replaces, CallListener listener) {
        SipSettings.Trunk trunk = ctx.settings.trunk();
        if (trunk == null) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "no SIP trunk configured");
        }
        if (toNumber == null || !toNumber.matches("\\+?[0-9*#]{1,32}")
                || (from != null && !from.matches("\\+?[0-9*#]{1,32}"))) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_NUMBER, "not a number: " + toNumber + " / " + from);
        }
        String callId = ctx.provider.getNewCallId().getCallId();
        OutboundCall call = new OutboundCall(ctx, callId, trunk.transport(), listener);
        call.replaces = replaces;
        try {
            call.invite = call.buildInvite(trunk, from, displayName, toNumber, offer, null);
        } catch (Exception e) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "cannot build INVITE", e);
        }
        TrunkLocator locator = ctx.trunkLocator;
        if (locator == null) {
            return call.start(offer);
        }
        call.register(offer);
        // Sent once the trunk's servers are known: at once from the last answer while its TTL lasts.
        locator.locate().whenComplete(call::onLocated);
        return call;
    }

    private synchronized void onLocated(List<TrunkLocator.Target> located, Throwable error) {
        if (state() != CallState.INITIAL) {
            moveTo(CallState.TERMINATED); // hung up while the trunk was being located: nothing was sent
            return;
        }
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            String why = cause instanceof SipAgentException e && e.reason() == SipAgentException.Reason.UNRESOLVABLE
                    ? e.getMessage().substring(e.reason().name().length() + 2) : "trunk not located: " + cause;
            LOG.log(System.Logger.Level.WARNING, callId + ": " + why);
            if (moveTo(CallState.TERMINATED)) {
                emitFailed(EndReason.UNREACHABLE, 0, why);
            }
            return;
        }
        targets = located;
        targetIndex = 0;
        tryTarget(invite);
    }

    /**
     * The transport of the server the call is pinned to (a NAPTR record may have chosen TCP for a trunk given
     * without one), else the trunk's: a retry to the same server (digest challenge, 422, SRTP refused) says it in
     * its Via. The router sends it to the pinned server either way.
     */
    private String currentTransport() {
        return targets != null ? targets.get(targetIndex).transport() : transport;
    }

    /** Sends {@code request} to the current target, watched for silence when another one is left. */
    private void tryTarget(Request request) {
        TrunkLocator.Target target = targets.get(targetIndex);
        ctx.trunkRouter.pin(callId, target);
        if (!((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport().equalsIgnoreCase(target.transport())) {
            try { // a NAPTR record chose another transport for this server: Via and Contact say so
                request.removeHeader(ViaHeader.NAME);
                request.addHeader(ctx.via(target.transport()));
                request.setHeader(ctx.contact(target.transport()));
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, callId + ": cannot switch to " + target.transport(), e);
            }
        }
        targetResponded = false;
        send(request);
        if (targetIndex + 1 < targets.size() && state() == CallState.INITIAL) {
            ClientTransaction tx = inviteTx;
            ctx.schedule(() -> failOverIfSilent(tx), ctx.failoverTimeout.toMillis());
        }
    }

    private synchronized void failOverIfSilent(ClientTransaction tx) {
        if (tx == inviteTx && !targetResponded && state() == CallState.INITIAL) {
            failOver("no response within " + ctx.failoverTimeout.toMillis() + " ms");
        }
    }

    /**
     * RFC 3263 4.3: the same INVITE (new branch, next CSeq) to the next server of the trunk; false when none is
     * left. The abandoned transaction is ended so it stops retransmitting.
     */
    private boolean failOver(String why) {
        if (targets == null || targetIndex + 1 >= targets.size()) {
            return false;
        }
        TrunkLocator.Target from = targets.get(targetIndex);
        targetIndex++;
        LOG.log(System.Logger.Level.WARNING, callId + ": trunk server " + from + " failed (" + why + "): trying "
                + targets.get(targetIndex));
        try {
            inviteTx.terminate();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, callId + ": old INVITE transaction not ended: " + e);
        }
        try {
            Request request = (Request) invite.clone();
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(ctx.via(transport));
            CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            tryTarget(request);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": cannot fail over", e);
            return false;
        }
    }

    /** Whether this call's INVITE goes to {@code host}:{@code port} over {@code transport} (a transport error there ends it). */
    synchronized boolean sendsTo(String host, int port, String transportName) {
        if (targets != null) {
            TrunkLocator.Target t = targets.get(targetIndex);
            // The RI may name the host as it was given or as resolved: the port and transport decide, as before.
            return t.port() == port && t.transport().equalsIgnoreCase(transportName);
        }
        SipSettings.Trunk hop = account != null ? account.registrar() : ctx.settings.trunk();
        return hop != null && hop.port() == port && hop.transport().equalsIgnoreCase(transportName);
    }

    synchronized OutboundCall redirects(int max) {
        redirectsLeft = max - redirectsFollowed;
        return this;
    }

    private OutboundCall start(AudioSdp offer) {
        register(offer);
        synchronized (this) {
            send(invite);
        }
        return this;
    }

    private void register(AudioSdp offer) {
        localSdp = offer;
        ctx.calls.put(callId, this);
        startRingTimer(() -> giveUp(EndReason.NO_ANSWER, "ring timeout"));
    }

    private Request buildInvite(SipSettings.Trunk trunk, String from, String displayName, String to, AudioSdp offer,
                                String contactUser) throws Exception {
        var a = ctx.addresses;
        var h = ctx.headers;
        SipURI requestUri = a.createSipURI(to, trunk.host());
        if (contactUser != null || trunk.lookup() == SipSettings.Trunk.Lookup.NONE
                || trunk.lookup() == SipSettings.Trunk.Lookup.ADDRESS) {
            requestUri.setPort(trunk.port()); // a located trunk (SRV) keeps the bare domain, RFC 3263 4
        }
        if (trunk.sips()) {
            requestUri.setSecure(true); // RFC 3261 19.1: TLS on every hop to the carrier
        } else if ((transport.equals("tcp") || transport.equals("tls"))
                && (contactUser != null || trunk.lookup() != SipSettings.Trunk.Lookup.NAPTR)) {
            requestUri.setTransportParam(transport);
        }
        Address fromAddress;
        if (from == null) {
            // RFC 3323 4.1.1.3: the anonymous From; the trunk still sees our address in Via and Contact.
            fromAddress = a.createAddress("Anonymous", a.createSipURI("anonymous", "anonymous.invalid"));
        } else {
            fromAddress = a.createAddress(a.createSipURI(from, trunk.host()));
            String name = displayName == null ? "" : displayName.replaceAll("[\\p{Cntrl}\"\\\\]", "").strip();
            if (!name.isEmpty()) {
                // Quotes, backslashes and control characters would break out of the quoted-string.
                fromAddress.setDisplayName(name.length() > 64 ? name.substring(0, 64) : name);
            }
        }
        FromHeader fromHeader = h.createFromHeader(fromAddress, UUID.randomUUID().toString().substring(0, 8));
        ToHeader toHeader = h.createToHeader(a.createAddress(a.createSipURI(to, trunk.host())), null);
        List<ViaHeader> vias = new ArrayList<>();
        vias.add(ctx.via(transport));
        Request request = ctx.messages.createRequest(requestUri, Request.INVITE, h.createCallIdHeader(callId),
                h.createCSeqHeader(1L, Request.INVITE), fromHeader, toHeader, vias, h.createMaxForwardsHeader(70));
        request.addHeader(ctx.contact(transport, contactUser));
        ctx.addAllow(request);
        request.addHeader(h.createHeader("User-Agent", SipContext.USER_AGENT));
        if (from == null) {
            request.addHeader(h.createHeader("Privacy", "id"));
        } else if (contactUser == null) {
            // RFC 3325 9.1: toward a trunk that trusts us, the identity we vouch for; carriers check this
            // header (not From) against the numbers they gave us. Through a PBX account the PBX asserts it.
            request.addHeader(h.createHeader("P-Asserted-Identity", fromAddress.toString()));
        }
        sessionTimer.addToRequest(ctx, request);
        request.addHeader(h.createSupportedHeader(ReliableProvisionals.OPTION_TAG));
        if (replaces != null) {
            // The option tag of RFC 3891 6.2: a target that does not know Replaces answers 420 instead of ringing
            // as if it were a new call beside the one it should replace.
            request.addHeader(replaces.header());
            request.addHeader(h.createRequireHeader("replaces"));
        }
        setSdp(request, offer);
        return request;
    }

    private void send(Request request) {
        try {
            inviteTx = ctx.provider.getNewClientTransaction(request);
            inviteTx.setRetransmitTimer(ctx.t1Millis());
            dialog = inviteTx.getDialog();
            invite = request;
            inviteTx.sendRequest();
        } catch (SipException e) {
            String why = TrunkTlsNetworkLayer.describe(e);
            LOG.log(System.Logger.Level.INFO, callId + ": INVITE not sent: " + why + ": " + e.getMessage());
            if (moveTo(CallState.TERMINATED)) {
                emitFailed(EndReason.UNREACHABLE, 0, why);
            }
        }
    }

    @Override
    public synchronized void hangUp() {
        giveUp(EndReason.CANCELED, "hung up");
    }

    /** Ends an unanswered call with CANCEL (sent once a provisional allows it, RFC 3261 9.1), or BYE. */
    private synchronized void giveUp(EndReason reason, String phrase) {
        switch (state()) {
            case INITIAL, EARLY -> {
                moveTo(CallState.CANCELING);
                emitFailed(reason, 0, phrase);
                if (provisionalSeen) {
                    sendCancel();
                }
                // Without an answer to the CANCEL or INVITE in 64*T1, give the transaction up (RFC 3261 9.1).
                ctx.schedule(this::forgetAfterCancel, 64L * ctx.t1Millis());
            }
            case CONFIRMED -> {
                if (reason == EndReason.CANCELED) {
                    markEndReported();
                    sendBye();
                    moveTo(CallState.TERMINATED);
                }
            }
            default -> { }
        }
    }

    private synchronized void forgetAfterCancel() {
        if (state() == CallState.CANCELING) {
            moveTo(CallState.TERMINATED);
        }
    }

    private void sendCancel() {
        if (cancelSent) {
            return;
        }
        cancelSent = true;
        try {
            Request cancel = inviteTx.createCancel();
            ClientTransaction tx = ctx.provider.getNewClientTransaction(cancel);
            tx.setRetransmitTimer(ctx.t1Millis());
            tx.sendRequest();
        } catch (SipException e) {
            LOG.log(System.Logger.Level.INFO, callId + ": CANCEL not sent: " + e.getMessage());
        }
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (!Request.INVITE.equals(cseq.getMethod())) {
            return; // responses to CANCEL and BYE change nothing
        }
        synchronized (this) {
            if (event.getClientTransaction() != null && event.getClientTransaction() == inviteTx) {
                targetResponded = true;
            }
            long inviteSeq = ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
            if (cseq.getSeqNumber() > inviteSeq) {
                onReInviteResponse(event);
                return;
            }
            if (cseq.getSeqNumber() < inviteSeq) {
                return; // a late response to the INVITE we resent with credentials
            }
            int status = response.getStatusCode();
            if (status < 200) {
                prack.acknowledge(ctx, event.getDialog(), response);
                onProvisional(response);
            } else if (status < 300) {
                onSuccess(event);
            } else {
                onFailure(response);
            }
        }
    }

    private void onProvisional(Response response) {
        provisionalSeen = true;
        CallState s = state();
        if (s == CallState.CANCELING) {
            sendCancel();
            return;
        }
        int status = response.getStatusCode();
        if (status == Response.TRYING) {
            return;
        }
        AudioSdp early = null;
        try {
            early = sdpOf(response);
        } catch (SipAgentException e) {
            // RFC 3261 13.2.1: the 18x's SDP is only early media; the call goes on, with a local ringback.
            LOG.log(System.Logger.Level.INFO, callId + ": unusable SDP in " + status + " ignored: " + e.getMessage());
        }
        if (s == CallState.INITIAL) {
            moveTo(CallState.EARLY);
        }
        if (s == CallState.INITIAL || s == CallState.EARLY) {
            AudioSdp sdp = early;
            emit(l -> l.provisional(status, sdp));
        }
    }

    private void onSuccess(ResponseEvent event) {
        Response response = event.getResponse();
        if (event.getDialog() != null) {
            dialog = event.getDialog();
        }
        try {
            long seq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(seq));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, callId + ": ACK not sent (retransmitted 2xx?)", e);
        }
        switch (state()) {
            case INITIAL, EARLY -> {
                AudioSdp answer;
                try {
                    answer = sdpOf(response);
                } catch (SipAgentException e) {
                    answer = null;
                }
                if (answer == null || !answer.isUsableAnswerTo(localSdp)) {
                    String why = answer != null && answer.firstCommonCodec().isPresent() && answer.port() != 0
                            ? (localSdp.secure() ? "the trunk answered our SRTP offer without a usable SDES key"
                                    : "the trunk answered our RTP offer with SRTP")
                            : "no usable SDP answer";
                    LOG.log(System.Logger.Level.INFO, callId + ": 200 OK: " + why + ": BYE");
                    sendBye();
                    moveTo(CallState.TERMINATED);
                    emitFailed(EndReason.FAILED, Response.NOT_ACCEPTABLE_HERE, why);
                    return;
                }
                remoteSdp = answer;
                moveTo(CallState.CONFIRMED);
                cancelRingTimer();
                notePeerAllow(response);
                sessionTimer.answered(response);
                AudioSdp sdp = answer;
                emit(l -> l.answered(sdp));
            }
            case CANCELING -> {
                // The 2xx crossed our CANCEL (RFC 3261 9.1): the call exists now, so ACK it and end it.
                sendBye();
                moveTo(CallState.TERMINATED);
            }
            default -> { }
        }
    }

    private void onFailure(Response response) {
        int status = response.getStatusCode();
        CallState s = state();
        if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                && s != CallState.CANCELING && (account != null || ctx.settings.hasCredentials())
                && authAttempts < MAX_AUTH_ATTEMPTS
                && resendWithCredentials(response)) {
            return;
        }
        if (status / 100 == 3 && s != CallState.CANCELING && followRedirect(response)) {
            return;
        }
        if (status == 422 && s != CallState.CANCELING && !retried422 && resendWithLargerInterval(response)) {
            return;
        }
        if (status == Response.SERVICE_UNAVAILABLE && s != CallState.CANCELING && failOver("503")) {
            return;
        }
        if ((status == Response.NOT_ACCEPTABLE_HERE || status == Response.UNSUPPORTED_MEDIA_TYPE)
                && s != CallState.CANCELING && localSdp.secure() && !retriedPlain
                && ctx.settings.trunkOptions().srtp() == SrtpMode.OPTIONAL && resendWithoutSrtp()) {
            return;
        }
        if (moveTo(CallState.TERMINATED) && s != CallState.CANCELING) {
            emitFailed(EndReason.fromStatus(status), status, response.getReasonPhrase());
        }
    }

    /**
     * RFC 3261 8.1.3.4: a 3xx names new targets in Contact; the INVITE is sent again to the first sip: one, with
     * a new branch and the next CSeq, at most {@code redirectsLeft} times (a loop of redirects ends the call).
     */
    private boolean followRedirect(Response response) {
        if (redirectsLeft <= 0) {
            LOG.log(System.Logger.Level.INFO, callId + ": " + response.getStatusCode()
                    + " not followed: redirect limit reached (DIALER_SIP_MAX_REDIRECTS)");
            return false;
        }
        javax.sip.header.ContactHeader contact =
                (javax.sip.header.ContactHeader) response.getHeader(javax.sip.header.ContactHeader.NAME);
        if (contact == null || !(contact.getAddress().getURI() instanceof SipURI target)
                || target.getHost() == null) {
            LOG.log(System.Logger.Level.INFO, callId + ": " + response.getStatusCode() + " without a sip: Contact");
            return false;
        }
        try {
            Request request = (Request) invite.clone();
            SipURI uri = (SipURI) target.clone();
            uri.removeParameter("method"); // RFC 3261 19.1.1: not allowed in a Request-URI
            request.setRequestURI(uri);
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(ctx.via(transport));
            CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            redirectsLeft--;
            redirectsFollowed++;
            LOG.log(System.Logger.Level.INFO, callId + ": " + response.getStatusCode() + " redirects to " + uri);
            send(request);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": cannot follow the redirect", e);
            return false;
        }
    }

    /** DIALER_SIP_SRTP optional: a trunk that refused our RTP/SAVP offer gets the same INVITE with plain RTP/AVP. */
    private boolean resendWithoutSrtp() {
        retriedPlain = true;
        try {
            Request request = (Request) invite.clone();
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(ctx.via(currentTransport()));
            CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            localSdp = localSdp.withSrtp(null).nextVersion();
            setSdp(request, localSdp);
            LOG.log(System.Logger.Level.INFO, callId + ": the trunk refused SRTP; offering plain RTP (DIALER_SIP_SRTP optional)");
            send(request);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": cannot retry without SRTP", e);
            return false;
        }
    }

    /** RFC 4028 7.4: after 422, the same INVITE with Session-Expires and Min-SE raised to the far end's Min-SE. */
    private boolean resendWithLargerInterval(Response tooSmall) {
        int min = SessionTimer.minSe(tooSmall);
        if (min <= 0 || min > 86400) {
            return false;
        }
        retried422 = true;
        try {
            Request request = (Request) invite.clone();
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(ctx.via(currentTransport()));
            CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            request.removeHeader(SessionTimer.SESSION_EXPIRES);
            request.removeHeader(SessionTimer.MIN_SE);
            int se = Math.max(min, SessionTimer.sessionExpires(invite));
            request.addHeader(ctx.headers.createHeader(SessionTimer.SESSION_EXPIRES, String.valueOf(se)));
            request.addHeader(ctx.headers.createHeader(SessionTimer.MIN_SE, String.valueOf(min)));
            send(request);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": cannot answer 422", e);
            return false;
        }
    }

    /** RFC 3261 22.2: the same INVITE with credentials, a new branch and the next CSeq. */
    private boolean resendWithCredentials(Response challenge) {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        WWWAuthenticateHeader h = (WWWAuthenticateHeader) challenge.getHeader(
                proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        if (h == null || !"Digest".equalsIgnoreCase(h.getScheme())) {
            return false;
        }
        var c = new DigestAuthenticator.Challenge(h.getRealm(), h.getNonce(), h.getOpaque(), h.getAlgorithm(),
                h.getQop());
        if (!DigestAuthenticator.supports(c)) {
            return false;
        }
        try {
            authAttempts++;
            Request request = (Request) invite.clone();
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(ctx.via(currentTransport()));
            CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            request.removeHeader(proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME);
            String credentials = DigestAuthenticator.authorization(c, Request.INVITE,
                    request.getRequestURI().toString(),
                    account != null ? account.digestUsername() : ctx.settings.username(),
                    account != null ? account.password() : ctx.settings.password(), 1);
            request.addHeader(ctx.headers.createHeader(
                    proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME, credentials));
            send(request);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": cannot answer the digest challenge", e);
            return false;
        }
    }

    @Override
    synchronized void onTimeout(ClientTransaction tx) {
        if (tx != inviteTx) {
            String method = tx.getRequest().getMethod();
            if (Request.BYE.equals(method)) {
                moveTo(CallState.TERMINATED);
            } else if (Request.INVITE.equals(method)) {
                onReInviteTimeout();
            }
            return;
        }
        CallState s = state();
        if (s == CallState.INITIAL && failOver("transaction timeout")) {
            return;
        }
        if (moveTo(CallState.TERMINATED) && s != CallState.CANCELING) {
            emitFailed(EndReason.UNREACHABLE, 0, "no response (transaction timeout)");
        }
    }

    @Override
    SipSettings.Trunk referHost() {
        return account != null ? account.registrar() : super.referHost();
    }

    /** The PBX account this call goes through, or null when it goes to the trunk. */
    PbxAccount account() {
        return account;
    }

    /** The trunk's transport failed (TCP refused or reset) before any response. */
    synchronized void onTransportError() {
        if (state() == CallState.INITIAL && !provisionalSeen && failOver("transport error")) {
            return;
        }
        if (state() == CallState.INITIAL && !provisionalSeen && moveTo(CallState.TERMINATED)) {
            emitFailed(EndReason.UNREACHABLE, 0, "transport error");
        }
    }
}
