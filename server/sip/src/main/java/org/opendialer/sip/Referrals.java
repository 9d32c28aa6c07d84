package org.opendialer.sip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * REFER (RFC 3515) on one call, both ways: the REFER we send to transfer the far end and the NOTIFYs that
 * report its progress, and a REFER the far end sends us with the NOTIFYs we answer it with. One of each at a
 * time. The state is guarded by the call's monitor; listener events go through the agent's event thread.
 */
final class Referrals {
    private static final System.Logger LOG = System.getLogger(Referrals.class.getName());
    /** How long after its 202 a REFER may go without a final NOTIFY (the target rings meanwhile). */
    static final long FINAL_NOTIFY_WAIT_MS = 60_000;
    /** "SIP/2.0 180 Ringing": the status line a sipfrag body starts with (RFC 3420). */
    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 ([1-6][0-9]{2})(?: ([^\\r\\n]*))?");

    final SipCall call;
    /** Bounds REFERs from the far end (a flood gets 500 with Retry-After, like UPDATE). */
    private final UpdateLimiter limiter = new UpdateLimiter();
    private ReferOutcome outgoing;
    private ClientTransaction referTx;
    private ScheduledFuture<?> finalWait;
    private IncomingRefer incoming;
    private long incomingCSeq;

    Referrals(SipCall call) {
        this.call = call;
    }

    // ---- the REFER we send ----

    /** Sends REFER with {@code referTo} in the call's dialog; {@code outcome} hears how it goes. */
    void send(SipURI referTo, ReferOutcome outcome) {
        synchronized (call) {
            if (call.state() != CallState.CONFIRMED || call.dialog == null) {
                throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "REFER needs an answered call");
            }
            if (outgoing != null) {
                throw new SipAgentException(SipAgentException.Reason.INVALID_STATE, "a REFER is already under way");
            }
            SipContext ctx = call.ctx;
            try {
                Request refer = call.dialog.createRequest(Request.REFER);
                refer.addHeader(ctx.headers.createReferToHeader(ctx.addresses.createAddress(referTo)));
                refer.addHeader(ctx.headers.createHeader("Referred-By",
                        ctx.contact(call.transport).getAddress().toString()));
                ClientTransaction tx = ctx.provider.getNewClientTransaction(refer);
                tx.setRetransmitTimer(ctx.t1Millis());
                call.dialog.sendRequest(tx);
                outgoing = outcome;
                referTx = tx;
            } catch (Exception e) {
                throw new SipAgentException(SipAgentException.Reason.TRANSPORT, "REFER not sent", e);
            }
        }
    }

    /** The far end's answer to our REFER: 2xx starts the wait for NOTIFYs, anything else ends it. */
    void onReferResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        synchronized (call) {
            if (outgoing == null || event.getClientTransaction() != referTx) {
                return;
            }
            referTx = null;
            if (status >= 300) {
                ended(status, response.getReasonPhrase(), true);
                return;
            }
            if (finalWait == null) { // a NOTIFY may have overtaken the 202
                finalWait = call.ctx.schedule(this::finalNotifyMissing, FINAL_NOTIFY_WAIT_MS);
            }
            ReferOutcome o = outgoing;
            call.ctx.emit(() -> o.accepted());
        }
    }

    /** Our REFER got no response (Timer F). */
    void onReferTimeout(ClientTransaction tx) {
        synchronized (call) {
            if (outgoing != null && tx == referTx) {
                ended(0, "no response to REFER", true);
            }
        }
    }

    private void finalNotifyMissing() {
        synchronized (call) {
            if (outgoing != null) {
                ended(0, "no final NOTIFY", false);
            }
        }
    }

    /** Ends our REFER once: the outcome hears it. Under the call's monitor. */
    private void ended(int status, String phrase, boolean refused) {
        ReferOutcome o = outgoing;
        outgoing = null;
        referTx = null;
        if (finalWait != null) {
            finalWait.cancel(false);
            finalWait = null;
        }
        call.ctx.emit(() -> o.ended(status, phrase, refused));
    }

    /**
     * A NOTIFY in the call's dialog: the progress of our REFER. 489 without {@code Event: refer}, 481 when no
     * REFER of ours is under way, 400 for a body that is no sipfrag status line; else 200 and the outcome hears it.
     */
    void onNotify(Request request, ServerTransaction tx) {
        EventHeader event = (EventHeader) request.getHeader(EventHeader.NAME);
        if (event == null || !"refer".equalsIgnoreCase(event.getEventType())) {
            respond(tx, 489, "Bad Event (only refer)");
            return;
        }
        byte[] body = request.getRawContent();
        Matcher line = STATUS_LINE.matcher(body == null ? "" : new String(body, StandardCharsets.UTF_8).split("\r?\n", 2)[0]);
        SubscriptionStateHeader subscription = (SubscriptionStateHeader) request.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = subscription != null && "terminated".equalsIgnoreCase(subscription.getState());
        synchronized (call) {
            if (outgoing == null) {
                respond(tx, 481, "Subscription Does Not Exist");
                return;
            }
            if (!line.matches()) {
                respond(tx, 400, "Bad Request (the body is not a sipfrag status line)");
                return;
            }
            int status = Integer.parseInt(line.group(1));
            if (status >= 200) {
                ended(status, line.group(2) == null ? "" : line.group(2), false);
            } else if (terminated) {
                ended(0, "subscription ended without a final status", false);
            } else {
                if (finalWait == null) {
                    finalWait = call.ctx.schedule(this::finalNotifyMissing, FINAL_NOTIFY_WAIT_MS);
                }
                ReferOutcome o = outgoing;
                call.ctx.emit(() -> o.progress(status));
            }
            // After the outcome was queued: what the far end sends once it has our 200 (a BYE) is heard after it.
            respond(tx, 200, "OK");
        }
    }

    // ---- a REFER the far end sends us ----

    /**
     * A REFER in the call's dialog (the stack let only its peer's through): checked, then handed to the
     * listener, which accepts or refuses it. Refused here: more than a few a second (500, Retry-After), before
     * the answer or while one is under way (403), an odd Refer-To (see {@link IncomingRefer#of}).
     */
    void onRefer(Request request, ServerTransaction tx) {
        IncomingRefer refer;
        synchronized (call) {
            if (!limiter.tryAcquire(System.nanoTime())) {
                try {
                    Response busy = call.ctx.messages.createResponse(Response.SERVER_INTERNAL_ERROR, request);
                    busy.setReasonPhrase("Server Internal Error (too many REFERs)");
                    busy.addHeader(call.ctx.headers.createRetryAfterHeader(1));
                    tx.sendResponse(busy);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "no 500 for a REFER: " + e);
                }
                return;
            }
            if (call.state() != CallState.CONFIRMED) {
                respond(tx, 403, "Forbidden (the call is not answered)");
                return;
            }
            if (incoming != null) {
                respond(tx, 403, "Forbidden (a transfer of this call is already under way)");
                return;
            }
            try {
                refer = IncomingRefer.of(this, tx, request);
            } catch (IncomingRefer.Refused r) {
                respond(tx, r.status, r.getMessage());
                return;
            }
            incoming = refer;
            incomingCSeq = ((javax.sip.header.CSeqHeader) request.getHeader(javax.sip.header.CSeqHeader.NAME))
                    .getSeqNumber();
        }
        call.emit(l -> l.referred(refer));
    }

    /** The referral is over (refused or finished): the next REFER may come. */
    void done(IncomingRefer refer) {
        synchronized (call) {
            if (incoming == refer) {
                incoming = null;
            }
        }
    }

    /**
     * NOTIFY of our progress on the far end's REFER, {@code Event: refer;id=<its CSeq>} and a sipfrag body;
     * {@code terminated} ends the implicit subscription (RFC 3515 2.4.5). Not sent once the dialog is gone.
     */
    void sendNotify(int status, String phrase, boolean terminated) {
        SipContext ctx = call.ctx;
        try {
            if (call.dialog == null || call.state() == CallState.TERMINATED) {
                return;
            }
            Request notify = call.dialog.createRequest(Request.NOTIFY);
            EventHeader event = ctx.headers.createEventHeader("refer");
            event.setEventId(String.valueOf(incomingCSeq));
            notify.addHeader(event);
            SubscriptionStateHeader state = ctx.headers.createSubscriptionStateHeader(
                    terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (terminated) {
                state.setReasonCode(SubscriptionStateHeader.NO_RESOURCE);
            } else {
                state.setExpires(60);
            }
            notify.addHeader(state);
            ContentTypeHeader type = ctx.headers.createContentTypeHeader("message", "sipfrag");
            type.setParameter("version", "2.0");
            notify.setContent(("SIP/2.0 " + status + " " + phrase + "\r\n").getBytes(StandardCharsets.UTF_8), type);
            ClientTransaction tx = ctx.provider.getNewClientTransaction(notify);
            tx.setRetransmitTimer(ctx.t1Millis());
            call.dialog.sendRequest(tx);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.INFO, call.callId + ": NOTIFY " + status + " not sent: " + e);
        }
    }

    void respond(ServerTransaction tx, int status, String phrase) {
        try {
            Response r = call.ctx.messages.createResponse(status, tx.getRequest());
            r.setReasonPhrase(phrase);
            if (status == 202 || status == 200) {
                r.addHeader(call.ctx.contact(call.transport));
            }
            tx.sendResponse(r);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, call.callId + ": no " + status + " for " + tx.getRequest().getMethod()
                    + ": " + e);
        }
    }
}
