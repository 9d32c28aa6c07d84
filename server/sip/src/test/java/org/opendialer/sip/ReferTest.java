package org.opendialer.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * REFER (RFC 3515) both ways on an answered inbound call whose far end is a hand-written UDP peer: the REFERs
 * it sends (accepted and reported with sipfrag NOTIFYs, or refused with a 4xx that says why) and the REFER we
 * send it (its 202 or refusal, then its NOTIFYs).
 */
class ReferTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private SipUserAgent agent;
    private int port;
    private final BlockingQueue<InboundCall> invites = new LinkedBlockingQueue<>();
    private final BlockingQueue<IncomingRefer> refers = new LinkedBlockingQueue<>();
    private RawSipPeer peer;
    private InboundCall call;
    private String callId;
    private String toTag;
    private int cseq = 2;

    @BeforeEach
    void answeredCall() throws Exception {
        port = FreePorts.next();
        agent = new SipUserAgent(new SipSettings("127.0.0.1", port, "127.0.0.1", SipSettings.Trunk.parse("sip:127.0.0.1:5999"),
                null, null, Duration.ofSeconds(20), Duration.ofMillis(100), SourceAllowList.parse("127.0.0.1")), c -> {
                    invites.add(c);
                    c.ring();
                    c.answer(agent.localAnswer(c.offer(), 40002));
                    return new CallListener() {
                        @Override
                        public void referred(IncomingRefer refer) {
                            refers.add(refer);
                        }
                    };
                });
        agent.start();
        peer = new RawSipPeer("127.0.0.1", port);
        callId = UUID.randomUUID().toString();
        peer.send(peer.request("INVITE", callId, "c1", null, 1, true));
        toTag = RawSipPeer.toTag(peer.awaitResponse("SIP/2.0 200", 10_000));
        peer.send(peer.request("ACK", callId, "c1", toTag, 1, false));
        call = invites.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(call).isNotNull();
    }

    @AfterEach
    void stop() {
        peer.close();
        agent.stop();
    }

    private String refer(String referToLines) {
        return peer.request("REFER", callId, "c1", toTag, cseq++, false)
                .replaceFirst("Refer-To: [^\r]*\r\n", referToLines.isEmpty() ? "" : referToLines + "\r\n");
    }

    /** The first response to our request (same CSeq), skipping anything else the agent sends meanwhile. */
    private String responseTo(String request) throws Exception {
        peer.send(request);
        java.util.regex.Matcher cseqLine = java.util.regex.Pattern.compile("(?m)^CSeq: .*$").matcher(request);
        cseqLine.find();
        long deadline = System.currentTimeMillis() + 5_000;
        while (System.currentTimeMillis() < deadline) {
            for (String m : peer.receiveAll(300)) {
                if (m.startsWith("SIP/2.0") && m.contains(cseqLine.group())) {
                    return m;
                }
            }
        }
        throw new AssertionError("no response to\n" + request);
    }

    private String awaitRequest(String method) throws Exception {
        return awaitRequest(method, "");
    }

    /** The first {@code method} request containing {@code text} (retransmissions of earlier ones skipped). */
    private String awaitRequest(String method, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (String m : peer.receiveAll(300)) {
                if (m.startsWith(method + " ") && m.contains(text)) {
                    return m;
                }
            }
        }
        throw new AssertionError("no " + method + " within 10 s");
    }

    /** A 200 OK to a request the agent sent (Via, From, To, Call-ID, CSeq copied). */
    private static String ok(String request) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            if (line.matches("(?i)(Via|From|To|Call-ID|CSeq):.*")) {
                b.append(line).append("\r\n");
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    @Test
    void referFromTheFarEnd_isAccepted_andReportedWithSipfragNotifies() throws Exception {
        peer.send(refer("Refer-To: <sip:+1-415-555-0188@pbx.example.com>"));
        IncomingRefer r = refers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).isNotNull();
        assertThat(r.target()).isEqualTo("+14155550188");
        r.accept();
        List<String> got = peer.receiveAll(1_000);
        assertThat(got).anyMatch(m -> m.startsWith("SIP/2.0 202"));
        String trying = got.stream().filter(m -> m.startsWith("NOTIFY")).findFirst().orElseThrow();
        assertThat(trying).doesNotContain(">,<").contains("Event: refer;id=2").containsIgnoringCase("message/sipfrag")
                .contains("SIP/2.0 100 Trying").containsPattern("Subscription-State: active");
        peer.send(ok(trying));
        r.progress(180, "Ringing");
        String ringing = awaitRequest("NOTIFY", "180 Ringing");
        assertThat(ringing).contains("SIP/2.0 180 Ringing");
        peer.send(ok(ringing));
        r.finish(200, "OK");
        String done = awaitRequest("NOTIFY", "SIP/2.0 200 OK\r\n");
        assertThat(done).contains("SIP/2.0 200 OK").containsPattern("Subscription-State: terminated");
        peer.send(ok(done));
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED); // the transferor ends the old call, not us
    }

    @Test
    void oddReferToHeaders_getA4xxThatSaysWhy_andReachNoListener() throws Exception {
        assertThat(responseTo(refer(""))).startsWith("SIP/2.0 400").contains("Refer-To"); // the stack's own check
        assertThat(responseTo(refer("Refer-To: <http://example.com/pay>"))).startsWith("SIP/2.0 416");
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a;method=BYE>"))).startsWith("SIP/2.0 403")
                .contains("only INVITE");
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?Subject=hi>"))).startsWith("SIP/2.0 403")
                .contains("other than Replaces");
        assertThat(responseTo(refer("Refer-To: <sip:attacker@evil.example>"))).startsWith("SIP/2.0 400")
                .contains("not a phone number");
        assertThat(refers).isEmpty();
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
    }

    @Test
    void referWithReplaces_reachesTheListener_withTheDialogItNames() throws Exception {
        peer.send(refer("Refer-To: <sip:+14155550188@pbx.example.com?Replaces=a1%2Bb%40pbx.example.com%3Bto-tag%3Dt-9"
                + "%3Bfrom-tag%3Df-7>"));
        IncomingRefer r = refers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).isNotNull();
        assertThat(r.target()).isEqualTo("+14155550188");
        assertThat(r.replaces()).isNotNull();
        assertThat(r.replaces().callId()).isEqualTo("a1+b@pbx.example.com"); // '+' is no space in a SIP URI
        assertThat(r.replaces().toTag()).isEqualTo("t-9");
        assertThat(r.replaces().fromTag()).isEqualTo("f-7");
        r.refuse(603, "Decline");
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
    }

    @Test
    void referWithABadReplaces_orReplacesAndAnotherHeader_getsA4xx_andTheCallIsUntouched() throws Exception {
        String ok = "Replaces=x%40h%3Bto-tag%3D1%3Bfrom-tag%3D2";
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?" + ok + "&Subject=hi>")))
                .startsWith("SIP/2.0 403").contains("other than Replaces");
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?Replaces=x%40h%3Bto-tag%3D1>"))) // no from-tag
                .startsWith("SIP/2.0 400").contains("malformed Replaces");
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?Replaces=%3Bto-tag%3D1%3Bfrom-tag%3D2>")))
                .startsWith("SIP/2.0 400").contains("malformed Replaces");
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?Replaces=x%ZZ%3Bto-tag%3D1%3Bfrom-tag%3D2>")))
                .startsWith("SIP/2.0 400"); // bad escaping
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?Replaces=x%0D%0AVia%3A%20evil%3Bto-tag%3D1"
                + "%3Bfrom-tag%3D2>"))).startsWith("SIP/2.0 400").contains("malformed Replaces");
        assertThat(responseTo(refer("Refer-To: <sip:+14155550188@a?Replaces=" + callId.replace("@", "%40")
                + "%3Bto-tag%3D" + toTag + "%3Bfrom-tag%3Dc1>"))).startsWith("SIP/2.0 403")
                .contains("the call the REFER came in");
        assertThat(refers).isEmpty();
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
    }

    @Test
    void referOutsideADialog_is405_andForAnUnknownDialog_481() throws Exception {
        String outside = peer.request("REFER", UUID.randomUUID().toString(), "x1", null, 1, false);
        assertThat(responseTo(outside)).startsWith("SIP/2.0 405").contains("Allow:");
        String unknown = peer.request("REFER", UUID.randomUUID().toString(), "x1", "nosuchtag", 1, false);
        assertThat(responseTo(unknown)).startsWith("SIP/2.0 481");
        assertThat(refers).isEmpty();
    }

    @Test
    void notifyWithoutAReferOfOurs_is481_andWithoutEventRefer_489() throws Exception {
        assertThat(responseTo(notify(null, "SIP/2.0 200 OK", "active"))).startsWith("SIP/2.0 481");
        String noEvent = peer.request("NOTIFY", callId, "c1", toTag, cseq++, false);
        assertThat(responseTo(noEvent)).startsWith("SIP/2.0 489");
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
    }

    @Test
    void aFloodOfRefers_getsOneReferral_403sWhileItIsUnderWay_and500sBeyondTheRate() throws Exception {
        for (int i = 0; i < 30; i++) {
            peer.send(refer("Refer-To: <sip:+14155550188@a>"));
        }
        List<String> answers = new java.util.ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        while (answers.size() < 29 && System.currentTimeMillis() < deadline) {
            peer.receiveAll(300).stream().filter(m -> m.startsWith("SIP/2.0") && m.contains("REFER")).forEach(answers::add);
        }
        answers.addAll(peer.receiveAll(500).stream().filter(m -> m.startsWith("SIP/2.0") && m.contains("REFER")).toList());
        assertThat(answers).hasSize(29); // the first waits for the listener, which holds it
        assertThat(answers).anyMatch(m -> m.startsWith("SIP/2.0 403") && m.contains("already under way"));
        assertThat(answers).anyMatch(m -> m.startsWith("SIP/2.0 500") && m.contains("Retry-After"));
        assertThat(refers).hasSize(1);
        refers.poll().refuse(603, "Decline");
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
    }

    @Test
    void ourRefer_accepted_thenNotifies_reportProgressAndTheFinalStatus() throws Exception {
        BlockingQueue<String> outcome = new LinkedBlockingQueue<>();
        call.refer("+14155550177", null, outcome(outcome));
        String refer = awaitRequest("REFER");
        assertThat(refer).containsPattern("Refer-To: <sip:\\+14155550177@127\\.0\\.0\\.1:5999>")
                .contains("Referred-By:");
        peer.send(ok(refer).replace("200 OK", "202 Accepted"));
        assertThat(outcome.poll(5, TimeUnit.SECONDS)).isEqualTo("accepted");
        String ringing = notify(refer, "SIP/2.0 180 Ringing", "active;expires=60");
        assertThat(responseTo(ringing)).startsWith("SIP/2.0 200");
        assertThat(outcome.poll(5, TimeUnit.SECONDS)).isEqualTo("progress 180");
        String bad = notify(refer, "HTTP/1.1 200 OK", "active;expires=60");
        assertThat(responseTo(bad)).startsWith("SIP/2.0 400");
        String answered = notify(refer, "SIP/2.0 200 OK", "terminated;reason=noresource");
        assertThat(responseTo(answered)).startsWith("SIP/2.0 200");
        assertThat(outcome.poll(5, TimeUnit.SECONDS)).isEqualTo("ended 200 false");
        // The subscription is over: a late NOTIFY is for nothing.
        assertThat(responseTo(notify(refer, "SIP/2.0 200 OK", "terminated"))).startsWith("SIP/2.0 481");
    }

    @Test
    void ourRefer_refusedByTheFarEnd_endsAsRefused() throws Exception {
        BlockingQueue<String> outcome = new LinkedBlockingQueue<>();
        call.refer("+14155550177", null, outcome(outcome));
        String refer = awaitRequest("REFER");
        peer.send(ok(refer).replace("200 OK", "603 Decline"));
        assertThat(outcome.poll(5, TimeUnit.SECONDS)).isEqualTo("ended 603 true");
        assertThat(call.state()).isEqualTo(CallState.CONFIRMED);
    }

    private String notify(String refer, String statusLine, String subscriptionState) {
        String body = statusLine + "\r\n";
        return peer.request("NOTIFY", callId, "c1", toTag, cseq++, false)
                .replace("Content-Length: 0\r\n", "Event: refer\r\nSubscription-State: " + subscriptionState + "\r\n"
                        + "Content-Type: message/sipfrag;version=2.0\r\nContent-Length: " + body.length() + "\r\n")
                + body;
    }

    private static ReferOutcome outcome(BlockingQueue<String> events) {
        return new ReferOutcome() {
            @Override
            public void accepted() {
                events.add("accepted");
            }

            @Override
            public void progress(int status) {
                events.add("progress " + status);
            }

            @Override
            public void ended(int status, String phrase, boolean refused) {
                events.add("ended " + status + " " + refused);
            }
        };
    }
}
