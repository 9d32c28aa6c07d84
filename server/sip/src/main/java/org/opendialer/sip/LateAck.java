package org.opendialer.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * ACKs a 2xx to one of our (re-)INVITEs, also when our dialog is already over: a re-INVITE's 2xx that crossed
 * our BYE must still be ACKed (RFC 3261 13.2.2.4; the far end retransmits it for 64*T1 otherwise), after
 * which the BYE stands. JAIN-SIP refuses {@code Dialog.createAck} once the dialog is terminated, so the ACK
 * is then built as 13.2.2.4 says: the INVITE's Call-ID, From and Route set, the 2xx's To (with its tag),
 * the 2xx's Contact as Request-URI, the INVITE's CSeq number with method ACK, a new branch; sent statelessly.
 */
final class LateAck {
    private static final System.Logger LOG = System.getLogger(LateAck.class.getName());

    private LateAck() {
    }

    /** Sends the ACK for {@code event}'s 2xx to an INVITE: through the dialog while it can, else by hand. */
    static void send(SipContext ctx, ResponseEvent event) {
        Response response = event.getResponse();
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Dialog dialog = event.getDialog();
        if (dialog != null) {
            try {
                dialog.sendAck(dialog.createAck(cseq));
                return;
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "dialog cannot ACK (ended): ACK built by hand: " + e);
            }
        }
        ClientTransaction tx = event.getClientTransaction();
        if (tx == null) {
            return; // not a response to a request of ours we still know: nothing to build the ACK from
        }
        try {
            ctx.provider.sendRequest(build(ctx, tx.getRequest(), response, cseq));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "ACK for a 2xx after the dialog ended not sent: " + e);
        }
    }

    static Request build(SipContext ctx, Request invite, Response response, long cseq) throws Exception {
        ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
        URI target = contact != null ? contact.getAddress().getURI() : invite.getRequestURI();
        ViaHeader top = (ViaHeader) invite.getHeader(ViaHeader.NAME);
        ViaHeader via = ctx.headers.createViaHeader(top.getHost(), top.getPort(), top.getTransport(),
                "z9hG4bK-ack-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        List<ViaHeader> vias = new ArrayList<>(List.of(via));
        Request ack = ctx.messages.createRequest(target, Request.ACK, (CallIdHeader) invite.getHeader(CallIdHeader.NAME),
                ctx.headers.createCSeqHeader(cseq, Request.ACK), (FromHeader) invite.getHeader(FromHeader.NAME),
                (ToHeader) response.getHeader(ToHeader.NAME), vias, ctx.headers.createMaxForwardsHeader(70));
        ListIterator<?> routes = invite.getHeaders(RouteHeader.NAME);
        while (routes.hasNext()) {
            ack.addHeader((RouteHeader) ((RouteHeader) routes.next()).clone());
        }
        return ack;
    }
}
