package org.opendialer.sip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.header.RSeqHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The UAC side of RFC 3262: a 18x with {@code Require: 100rel} and an RSeq is acknowledged with PRACK, once per
 * RSeq (a retransmission of the same reliable provisional is not PRACKed again, 7.1). The RI builds the PRACK
 * (RAck from the response's RSeq and CSeq) on the early dialog. Guarded by the call's monitor.
 */
final class ReliableProvisionals {
    private static final System.Logger LOG = System.getLogger(ReliableProvisionals.class.getName());
    static final String OPTION_TAG = "100rel";

    private long lastRseq = -1;

    static boolean requires100rel(Message m) {
        return SessionTimer.hasOptionTag(m, "Require", OPTION_TAG);
    }

    /** PRACKs {@code provisional} when it is reliable and newer than the last one; true when a PRACK went out. */
    boolean acknowledge(SipContext ctx, Dialog dialog, Response provisional) {
        int status = provisional.getStatusCode();
        if (status <= 100 || status >= 200 || dialog == null || !requires100rel(provisional)) {
            return false;
        }
        RSeqHeader rseq = (RSeqHeader) provisional.getHeader(RSeqHeader.NAME);
        if (rseq == null || rseq.getSequenceNumber() <= lastRseq) {
            return false;
        }
        try {
            Request prack = dialog.createPrack(provisional);
            ClientTransaction tx = ctx.provider.getNewClientTransaction(prack);
            tx.setRetransmitTimer(ctx.t1Millis());
            dialog.sendRequest(tx);
            lastRseq = rseq.getSequenceNumber();
            return true;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.INFO, "PRACK for a reliable " + status + " not sent: " + e);
            return false;
        }
    }
}
