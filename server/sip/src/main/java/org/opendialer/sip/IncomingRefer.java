package org.opendialer.sip;

import java.util.regex.Pattern;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.ReferToHeader;
import javax.sip.message.Request;

/**
 * A REFER the far end of an answered call sent us (RFC 3515): it asks us to call {@link #target()} and tell
 * it how that goes. The listener ({@link CallListener#referred}) must {@link #accept()} (202, then NOTIFY
 * "100 Trying") or {@link #refuse} it at once, then report the new call with {@link #progress} and
 * {@link #finish}. Only a REFER whose Refer-To is a number or extension, with at most a Replaces header
 * ({@link #replaces()}), gets this far: anything odd was refused by {@link Referrals} with a 4xx that says why.
 * Methods may be called from any thread.
 */
public final class IncomingRefer {
    /** A dialable user part: an optional "+" and 1 to 32 digits, * or # (the same rule as our INVITEs). */
    private static final Pattern DIALABLE = Pattern.compile("\\+?[0-9*#]{1,32}");
    /** Visual separators RFC 3966 allows in a number; dropped before the check. */
    private static final Pattern SEPARATORS = Pattern.compile("[-.()]");

    private final Referrals referrals;
    private final ServerTransaction tx;
    private final String target;
    private final ReplacedDialog replaces;
    private boolean answered;
    private boolean finished;

    private IncomingRefer(Referrals referrals, ServerTransaction tx, String target, ReplacedDialog replaces) {
        this.referrals = referrals;
        this.tx = tx;
        this.target = target;
        this.replaces = replaces;
    }

    /**
     * Checks the REFER's Refer-To and returns the referral, or throws the 4xx it gets: a Refer-To (400; of
     * several, JAIN-SIP's parser keeps the first and drops the others before we see them), a sip/sips/tel URI
     * (416), no method but INVITE (403), no embedded header but Replaces (403), a Replaces that is well-formed (400)
     * and does not name this REFER's own dialog (403), a user part that is a number or extension (400).
     */
    static IncomingRefer of(Referrals referrals, ServerTransaction tx, Request refer) {
        var headers = refer.getHeaders(ReferToHeader.NAME);
        if (headers == null || !headers.hasNext()) {
            throw new Refused(400, "Bad Request (no Refer-To)");
        }
        ReferToHeader referTo = (ReferToHeader) headers.next();
        if (headers.hasNext()) {
            throw new Refused(400, "Bad Request (more than one Refer-To)");
        }
        URI uri = referTo.getAddress().getURI();
        String user;
        ReplacedDialog replaces = null;
        if (uri instanceof SipURI sip) {
            if (sip.getMethodParam() != null && !Request.INVITE.equalsIgnoreCase(sip.getMethodParam())) {
                throw new Refused(403, "Forbidden (only INVITE referrals are followed)");
            }
            replaces = replacesIn(referrals, sip, refer);
            user = sip.getUser();
        } else if (uri instanceof TelURL tel) {
            user = (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
        } else {
            throw new Refused(416, "Unsupported URI Scheme (Refer-To must be sip, sips or tel)");
        }
        String digits = user == null ? "" : SEPARATORS.matcher(user).replaceAll("");
        if (!DIALABLE.matcher(digits).matches()) {
            throw new Refused(400, "Bad Request (Refer-To is not a phone number or extension)");
        }
        return new IncomingRefer(referrals, tx, digits, replaces);
    }

    /**
     * The Refer-To's embedded Replaces (RFC 5589 7: an attended transfer to complete), or null without headers.
     * Any other embedded header is refused: it would be copied into a request we send on the far end's word.
     */
    private static ReplacedDialog replacesIn(Referrals referrals, SipURI sip, Request refer) {
        var names = sip.getHeaderNames();
        if (names == null || !names.hasNext()) {
            return null;
        }
        String name = (String) names.next();
        if (names.hasNext() || !"Replaces".equalsIgnoreCase(name)) {
            throw new Refused(403, "Forbidden (a Refer-To header other than Replaces is not followed)");
        }
        ReplacedDialog dialog;
        try {
            dialog = ReplacedDialog.parse(referrals.call.ctx.headers, sip.getHeader(name));
        } catch (java.text.ParseException | RuntimeException e) {
            throw new Refused(400, "Bad Request (malformed Replaces in Refer-To)");
        }
        var callId = (javax.sip.header.CallIdHeader) refer.getHeader(javax.sip.header.CallIdHeader.NAME);
        if (dialog.callId().equals(callId.getCallId())) {
            throw new Refused(403, "Forbidden (Replaces names the call the REFER came in)");
        }
        return dialog;
    }

    /** The number or extension to call: "+" and digits, or digits (and * #), separators removed. */
    public String target() {
        return target;
    }

    /** The dialog our INVITE to the target is to replace (attended transfer), or null for a blind transfer. */
    public ReplacedDialog replaces() {
        return replaces;
    }

    /** 202 Accepted, then a NOTIFY "100 Trying" (RFC 3515 2.4.4, 2.4.5). */
    public void accept() {
        synchronized (referrals.call) {
            if (answered) {
                return;
            }
            answered = true;
            referrals.respond(tx, 202, "Accepted");
            referrals.sendNotify(100, "Trying", false);
        }
    }

    /** Refuses the REFER with {@code status} (4xx-6xx) and a phrase that says why; ends the referral. */
    public void refuse(int status, String phrase) {
        synchronized (referrals.call) {
            if (answered) {
                return;
            }
            answered = true;
            finished = true;
            referrals.respond(tx, status, phrase);
            referrals.done(this);
        }
    }

    /** Reports a provisional status (180, 183) of our call to the target. */
    public void progress(int status, String phrase) {
        synchronized (referrals.call) {
            if (answered && !finished) {
                referrals.sendNotify(status, phrase, false);
            }
        }
    }

    /** Reports the final status of our call to the target (200: it answered) and ends the subscription. */
    public void finish(int status, String phrase) {
        synchronized (referrals.call) {
            if (!answered) {
                refuse(status >= 400 ? status : 500, phrase);
                return;
            }
            if (finished) {
                return;
            }
            finished = true;
            referrals.sendNotify(status, phrase, true);
            referrals.done(this);
        }
    }

    /** A REFER refused while it is checked: the status and the phrase it is answered with. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String phrase) {
            super(phrase, null, false, false);
            this.status = status;
        }
    }
}
