package org.opendialer.sip;

import java.util.UUID;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * An INVITE from the trunk (the UAS side of RFC 3261 13.3). The {@link InboundCallHandler} inspects
 * {@link #identity()} and {@link #offer()}, then calls {@link #ring()}, {@link #answer(AudioSdp)} or
 * {@link #reject(int)}.
 */
public final class InboundCall extends SipCall {
    private static final System.Logger LOG = System.getLogger(InboundCall.class.getName());

    private final ServerTransaction inviteTx;
    private final Request invite;
    private final CallerIdentity identity;
    private final AudioSdp offer;
    private final String toTag = UUID.randomUUID().toString().substring(0, 8);

    InboundCall(SipContext ctx, ServerTransaction inviteTx, CallerIdentity identity, AudioSdp offer,
                String transport) {
        super(ctx, ((javax.sip.header.CallIdHeader) inviteTx.getRequest()
                .getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId(), transport, null);
        this.inviteTx = inviteTx;
        this.invite = inviteTx.getRequest();
        this.identity = identity;
        this.offer = offer;
        this.remoteSdp = offer;
        notePeerAllow(invite);
    }

    /** Caller number (null when hidden), display name (null when hidden or absent), called number. */
    public CallerIdentity identity() {
        return identity;
    }

    /**
     * The user part of the Request-URI, e.g. the contact user a PBX account registered (RFC 3261 10.2: the
     * registrar rewrites the Request-URI to our Contact), or null.
     */
    public String requestUser() {
        return invite.getRequestURI() instanceof javax.sip.address.SipURI sip ? sip.getUser() : null;
    }

    /** The caller's SDP offer; null for an INVITE without SDP (late offer: answer() then sends ours). */
    public AudioSdp offer() {
        return offer;
    }

    void setListener(CallListener l) {
        this.listener = l;
    }

    /** Sends 180 Ringing: reliably (RFC 3262, PRACKed by the caller) when the INVITE requires 100rel. */
    public synchronized void ring() {
        if (state() == CallState.INITIAL) {
            if (ReliableProvisionals.requires100rel(invite)) {
                ringReliably();
            } else {
                respond(Response.RINGING, null);
            }
            moveTo(CallState.EARLY);
        }
    }

    private void ringReliably() {
        try {
            javax.sip.Dialog d = inviteTx.getDialog();
            Response ringing = d.createReliableProvisionalResponse(Response.RINGING);
            ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(toTag);
            ringing.addHeader(ctx.contact(transport));
            ctx.addAllow(ringing);
            d.sendReliableProvisionalResponse(ringing);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": reliable 180 not sent", e);
        }
    }

    /**
     * Sends 200 OK with our SDP; the call is then confirmed. For an INVITE without SDP (late offer) {@code sdp} is
     * our offer (RFC 3264 5) and the far end's answer arrives in the ACK, reported as {@code reInvited}; an ACK
     * without a usable answer ends the call with BYE and {@code failed}.
     */
    public synchronized void answer(AudioSdp sdp) {
        CallState s = state();
        if (s != CallState.INITIAL && s != CallState.EARLY) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "cannot answer in " + s);
        }
        localSdp = sdp;
        if (respond(Response.OK, sdp)) {
            dialog = inviteTx.getDialog();
            answerDueInAck = offer == null;
            moveTo(CallState.CONFIRMED);
        }
    }

    /** Rejects the unanswered call with a final response, e.g. 404, 486, 603. */
    public synchronized void reject(int status) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("not a failure status: " + status);
        }
        CallState s = state();
        if (s == CallState.INITIAL || s == CallState.EARLY) {
            respond(status, null);
            markEndReported();
            moveTo(CallState.TERMINATED);
        }
    }

    /** Before the answer: 603 Decline. After: BYE. */
    @Override
    public synchronized void hangUp() {
        switch (state()) {
            case INITIAL, EARLY -> reject(Response.DECLINE);
            case CONFIRMED -> {
                markEndReported();
                sendBye();
                moveTo(CallState.TERMINATED);
            }
            default -> { }
        }
    }

    void startRinging() {
        startRingTimer(this::onRingTimeout);
    }

    private synchronized void onRingTimeout() {
        CallState s = state();
        if (s == CallState.INITIAL || s == CallState.EARLY) {
            respond(Response.TEMPORARILY_UNAVAILABLE, null);
            moveTo(CallState.TERMINATED);
            emitFailed(EndReason.NO_ANSWER, Response.TEMPORARILY_UNAVAILABLE, "ring timeout");
        }
    }

    /** The caller gave up: 200 to the CANCEL, 487 to the INVITE (RFC 3261 9.2). */
    synchronized void onCancel(RequestEvent event, ServerTransaction cancelTx) throws Exception {
        try {
            cancelTx.sendResponse(ctx.messages.createResponse(Response.OK, event.getRequest()));
        } catch (Exception e) {
            // A caller over TCP may be gone as soon as it has sent the CANCEL: the call ends all the same.
            LOG.log(System.Logger.Level.INFO, "{0}: 200 to CANCEL: {1}", callId, String.valueOf(e));
        }
        CallState s = state();
        if (s == CallState.INITIAL || s == CallState.EARLY) {
            try {
                respond(Response.REQUEST_TERMINATED, null);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.INFO, "{0}: 487 to the canceled INVITE: {1}", callId, String.valueOf(e));
            }
            moveTo(CallState.TERMINATED);
            if (completedElsewhere(event.getRequest())) {
                emitFailed(EndReason.ANSWERED_ELSEWHERE, Response.REQUEST_TERMINATED, "answered elsewhere");
            } else {
                emitFailed(EndReason.CANCELED, Response.REQUEST_TERMINATED, "canceled by caller");
            }
        }
    }

    /** A CANCEL with {@code Reason: SIP;cause=200}: a forking proxy's other branch answered (RFC 3326). */
    static boolean completedElsewhere(javax.sip.message.Request cancel) {
        java.util.ListIterator<?> reasons = cancel.getHeaders(javax.sip.header.ReasonHeader.NAME);
        while (reasons != null && reasons.hasNext()) {
            Object h = reasons.next();
            if (h instanceof javax.sip.header.ReasonHeader r && "SIP".equalsIgnoreCase(r.getProtocol())
                    && r.getCause() == 200) {
                return true;
            }
        }
        return false;
    }

    private boolean respond(int status, AudioSdp sdp) {
        try {
            Response response = ctx.messages.createResponse(status, invite);
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
            if (status < 300) {
                response.addHeader(ctx.contact(transport));
                ctx.addAllow(response);
            }
            if (status / 100 == 2) {
                sessionTimer.answering(ctx, invite, response);
            }
            if (sdp != null) {
                setSdp(response, sdp);
            }
            inviteTx.sendResponse(response);
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, callId + ": " + status + " not sent", e);
            return false;
        }
    }

    @Override
    synchronized void onTimeout(ClientTransaction tx) {
        String method = tx.getRequest().getMethod();
        if (Request.BYE.equals(method)) {
            moveTo(CallState.TERMINATED);
        } else if (Request.INVITE.equals(method)) {
            onReInviteTimeout();
        }
    }
}
