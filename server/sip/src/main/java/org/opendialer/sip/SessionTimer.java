package org.opendialer.sip;

import java.util.ListIterator;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Session timers of one call (RFC 4028): the interval and refresher agreed by the last INVITE or UPDATE, a
 * refresh at half the interval when we are the refresher (UPDATE when the far end allows it, else re-INVITE),
 * and a BYE when the session expires without a refresh. "uac"/"uas" in the refresher parameter name the roles
 * in the transaction that negotiated it, not in the call. Guarded by the call's monitor.
 */
final class SessionTimer {
    static final String SESSION_EXPIRES = "Session-Expires";
    static final String MIN_SE = "Min-SE";

    private final SipCall call;
    private final TrunkOptions options;
    /** The agreed interval in seconds; 0 while no session timer runs. */
    private int interval;
    private boolean weRefresh;
    /** Min-SE we send: raised by a 422 from the far end. */
    private int minSe;
    private ScheduledFuture<?> refreshTask;
    private ScheduledFuture<?> expiryTask;
    /** CSeq of the refresh we sent and wait for, or -1. */
    private long pendingRefresh = -1;
    private boolean retried422;

    SessionTimer(SipCall call, TrunkOptions options) {
        this.call = call;
        this.options = options;
        this.minSe = options.minSeS();
    }

    /** The agreed interval in seconds, 0 without a session timer. */
    int interval() {
        return interval;
    }

    boolean weRefresh() {
        return weRefresh;
    }

    /** The Session-Expires value of {@code m}, or -1 when it has none (or an unreadable one). */
    static int sessionExpires(Message m) {
        Header h = header(m, SESSION_EXPIRES, "x");
        if (h instanceof gov.nist.javax.sip.header.extensions.SessionExpiresHeader se) {
            return se.getExpires();
        }
        return -1;
    }

    static String refresher(Message m) {
        Header h = header(m, SESSION_EXPIRES, "x");
        return h instanceof gov.nist.javax.sip.header.extensions.SessionExpiresHeader se ? se.getRefresher() : null;
    }

    static int minSe(Message m) {
        Header h = m.getHeader(MIN_SE);
        return h instanceof gov.nist.javax.sip.header.extensions.MinSE min ? min.getExpires() : -1;
    }

    private static Header header(Message m, String name, String compact) {
        Header h = m.getHeader(name);
        return h != null ? h : m.getHeader(compact);
    }

    static boolean supportsTimer(Message m) {
        return hasOptionTag(m, SupportedHeader.NAME, "timer") || hasOptionTag(m, "k", "timer")
                || hasOptionTag(m, "Require", "timer");
    }

    static boolean hasOptionTag(Message m, String headerName, String tag) {
        ListIterator<?> it = m.getHeaders(headerName);
        while (it != null && it.hasNext()) {
            Object h = it.next();
            String value = h instanceof javax.sip.header.OptionTag o ? o.getOptionTag() : String.valueOf(h);
            for (String part : value.replaceFirst("(?i)^[a-z-]+:", "").split(",")) {
                if (part.strip().equalsIgnoreCase(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** RFC 4028 8.1: a request whose Session-Expires is below our Min-SE must get 422 (with our Min-SE). */
    boolean tooBrief(Request request) {
        int se = sessionExpires(request);
        return se >= 0 && se < options.minSeS();
    }

    /** Adds Min-SE to a 422 response. */
    static void addMinSe(SipContext ctx, Response response) throws Exception {
        response.addHeader(ctx.headers.createHeader(MIN_SE, String.valueOf(ctx.settings.trunkOptions().minSeS())));
    }

    /**
     * Adds our session-timer headers to an INVITE or UPDATE we send (RFC 4028 7.1, 7.4): Supported: timer, and
     * while a session timer runs or we want one, Session-Expires (refresher=uac when we refresh) and Min-SE.
     */
    void addToRequest(SipContext ctx, Request request) throws Exception {
        request.addHeader(ctx.headers.createSupportedHeader("timer"));
        int se = interval > 0 ? interval : options.sessionExpiresS();
        if (se <= 0) {
            return;
        }
        se = Math.max(se, minSe);
        String value = interval > 0 && weRefresh ? se + ";refresher=uac" : String.valueOf(se);
        request.addHeader(ctx.headers.createHeader(SESSION_EXPIRES, value));
        request.addHeader(ctx.headers.createHeader(MIN_SE, String.valueOf(minSe)));
    }

    /**
     * We are about to answer an INVITE or UPDATE with 2xx (we are the UAS of that transaction): agree the interval
     * and refresher (RFC 4028 9), put them in {@code ok} and (re)start the timers. A request without
     * Session-Expires turns the session timer off (RFC 4028 10).
     */
    void answering(SipContext ctx, Request request, Response ok) throws Exception {
        ok.addHeader(ctx.headers.createSupportedHeader("timer"));
        int se = sessionExpires(request);
        if (se < 0) {
            stop();
            return;
        }
        boolean uacSupports = supportsTimer(request);
        String refresher = refresher(request);
        if (refresher == null || !uacSupports) {
            // Our choice when the caller left it open; we refresh ourselves so a dead far end is found by us.
            refresher = "uas";
        }
        ok.addHeader(ctx.headers.createHeader(SESSION_EXPIRES, se + ";refresher=" + refresher));
        if (refresher.equals("uac")) {
            ok.addHeader(ctx.headers.createRequireHeader("timer"));
        }
        start(se, refresher.equals("uas"));
    }

    /**
     * A 2xx to an INVITE or UPDATE we sent (we are the UAC of that transaction): RFC 4028 7.2. No
     * Session-Expires means no session timer.
     */
    void answered(Response ok) {
        long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (cseq == pendingRefresh) {
            pendingRefresh = -1;
        }
        retried422 = false;
        int se = sessionExpires(ok);
        if (se <= 0) {
            stop();
            return;
        }
        start(se, !"uas".equalsIgnoreCase(refresher(ok)));
    }

    /**
     * A failure to our refresh. 422: ask again with its Min-SE (once). 408/481: the dialog is gone (RFC 3261
     * 12.2.1.2). Others (491, 500 ...): try again after 2-4 s; the expiry timer still ends the call if none works.
     */
    void refreshFailed(Response response) {
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (cseq != pendingRefresh) {
            return;
        }
        pendingRefresh = -1;
        int status = response.getStatusCode();
        if (status == 422 && !retried422 && minSe(response) > 0 && minSe(response) <= 86400) {
            retried422 = true;
            minSe = Math.max(minSe, minSe(response));
            interval = Math.max(interval, minSe);
            sendRefresh();
        } else if (status == 408 || status == 481) {
            call.onSessionExpired("refresh answered " + status);
        } else if (interval > 0) {
            cancel(refreshTask);
            refreshTask = call.ctx.schedule(() -> {
                synchronized (call) {
                    sendRefresh();
                }
            }, ThreadLocalRandom.current().nextLong(2100, 4000));
        }
    }

    /** Our refresh got no answer at all: the far end is gone. */
    void refreshTimedOut() {
        pendingRefresh = -1;
        call.onSessionExpired("refresh not answered");
    }

    private void start(int seconds, boolean refresh) {
        stop();
        interval = seconds;
        weRefresh = refresh;
        long ms = seconds * 1000L;
        if (refresh) {
            refreshTask = call.ctx.schedule(() -> {
                synchronized (call) {
                    sendRefresh();
                }
            }, ms / 2);
        }
        // RFC 4028 10: the side that does not refresh sends its BYE at the expiry minus min(32 s, a third of the
        // interval); the refresher's own refresh (sent at half the interval) has until the expiry itself.
        long expiry = refresh ? ms : ms - Math.min(32_000L, ms / 3);
        expiryTask = call.ctx.schedule(() -> call.onSessionExpired("no refresh within " + seconds + " s"), expiry);
    }

    private void sendRefresh() {
        if (interval <= 0 || pendingRefresh >= 0 || call.state() != CallState.CONFIRMED) {
            return;
        }
        long cseq = call.sendRefresh();
        if (cseq >= 0) {
            pendingRefresh = cseq;
        }
    }

    void stop() {
        cancel(refreshTask);
        cancel(expiryTask);
        refreshTask = null;
        expiryTask = null;
        interval = 0;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
