package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.SipFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** RFC 3326: a forking proxy's CANCEL after another branch's 2xx says so with Reason: SIP;cause=200. */
class CancelReasonTest {
    private static Request cancel(String extraHeaders) throws Exception {
        String text = "CANCEL sip:edge-1@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1\r\n"
                + "From: <sip:+12025550160@127.0.0.1>;tag=a\r\nTo: <sip:1701@127.0.0.1>\r\n"
                + "Call-ID: c1@127.0.0.1\r\nCSeq: 1 CANCEL\r\nMax-Forwards: 70\r\n" + extraHeaders
                + "Content-Length: 0\r\n\r\n";
        return SipFactory.getInstance().createMessageFactory().createRequest(text);
    }

    @Test
    void cancelWithReasonCause200_isCompletedElsewhere() throws Exception {
        assertThat(InboundCall.completedElsewhere(
                cancel("Reason: SIP;cause=200;text=\"Call completed elsewhere\"\r\n"))).isTrue();
    }

    @Test
    void cancelWithoutReason_orAnotherCause_isAPlainCancel() throws Exception {
        assertThat(InboundCall.completedElsewhere(cancel(""))).isFalse();
        assertThat(InboundCall.completedElsewhere(cancel("Reason: SIP;cause=487\r\n"))).isFalse();
        assertThat(InboundCall.completedElsewhere(cancel("Reason: Q.850;cause=200\r\n"))).isFalse();
    }
}
