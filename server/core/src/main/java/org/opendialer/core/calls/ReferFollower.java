package org.opendialer.core.calls;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.User;
import org.opendialer.core.config.CarrierConfig;
import org.opendialer.core.numbers.DialTarget;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.IncomingRefer;
import org.opendialer.sip.PbxAccount;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipUserAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a REFER the SIP far end of a user's answered call sends (a PBX or carrier transferring the user):
 * a new leg from the user to the Refer-To target, placed as the user's own call would be (their PBX account,
 * or the trunk with their caller ID), after the same toll-fraud check ({@link DestinationPolicy}). See
 * {@link ReferFollowing} for what happens next. Refused with a 403 that says why: a call that is not plainly
 * answered (ringing, a transfer under way), a destination the policy refuses, an extension through the trunk.
 */
final class ReferFollower {
    private static final Logger LOG = LoggerFactory.getLogger(ReferFollower.class);
    /** Digits of an E.164 number, with or without its "+" (trunks differ). */
    private static final Pattern E164 = Pattern.compile("\\+?[1-9][0-9]{6,14}");

    private final LiveCalls calls;
    private final SipUserAgent sip;
    private final EngineThread thread;
    private final AccountService accounts;
    private final PbxRegistrations pbx;
    private final Supplier<DestinationPolicy> destinations;
    private final Supplier<CarrierConfig> carrier;
    private final Supplier<MediaSession> newMedia;

    ReferFollower(LiveCalls calls, SipUserAgent sip, EngineThread thread, AccountService accounts,
                  PbxRegistrations pbx, Supplier<DestinationPolicy> destinations, Supplier<CarrierConfig> carrier,
                  Supplier<MediaSession> newMedia) {
        this.calls = calls;
        this.sip = sip;
        this.thread = thread;
        this.accounts = accounts;
        this.pbx = pbx;
        this.destinations = destinations;
        this.carrier = carrier;
        this.newMedia = newMedia;
    }

    /** {@code far}, the SIP far end of {@code o}, got {@code refer}. On the engine thread. */
    void follow(Ongoing o, SipFarEnd far, IncomingRefer refer) {
        if (o.call.state() != CallState.ANSWERED || o.far != far || o.transferTo != null || o.referring != null
                || o.blind != null || o.following != null || far.leg == null || far.leg.localSdp() == null) {
            refer.refuse(403, "Forbidden (the call cannot be transferred now)");
            return;
        }
        Optional<User> user = accounts.findUserById(o.call.userId); // one indexed row, not every user
        if (user.isEmpty()) {
            refer.refuse(403, "Forbidden (no such user)");
            return;
        }
        PbxAccount account = pbx.account(o.call.userId);
        String wanted = refer.target();
        DialTarget target;
        if (E164.matcher(wanted).matches()) {
            target = new DialTarget.PhoneNumber(wanted.startsWith("+") ? wanted : "+" + wanted);
        } else if (account != null) {
            target = new DialTarget.Extension(wanted); // the PBX's own extension: dialled through the account
        } else {
            refer.refuse(403, "Forbidden (only E.164 numbers are followed through the trunk)");
            return;
        }
        if (account == null && sip.settings().trunk() == null) {
            refer.refuse(503, "Service Unavailable (no SIP trunk)");
            return;
        }
        try {
            destinations.get().admit(o.call.userId, target); // toll fraud: a REFER is a call the user places
        } catch (CallException e) {
            LOG.warn("call {}: REFER to {} refused: {}", o.call.id, target.dialString(), e.getMessage());
            refer.refuse(403, e.reason() == CallException.Reason.CALL_RATE_LIMITED
                    ? "Forbidden (the user's call rate limit)" : "Forbidden (destination not allowed)");
            return;
        }
        ReferFollowing following = new ReferFollowing(calls, o, far, refer);
        SipFarEnd next = new SipFarEnd(calls, sip, newMedia);
        next.owner = o;
        next.follower = this;
        SipLegListener listener = new SipLegListener(thread, following);
        // The same RTP port: the relay's SIP side moves to the target when it answers.
        AudioSdp offer = sip.localOffer(far.leg.localSdp().port());
        if (o.held) {
            // The user holds the call: the new leg starts held too (a=sendonly), as the dialer shows it, and the
            // user's resume re-INVITEs it sendrecv like any held call (decision 0022).
            offer = offer.withDirection(org.opendialer.sip.MediaDirection.SENDONLY);
        }
        following.offeredHeld(o.held);
        String displayName = user.get().displayName();
        try {
            next.leg = account == null
                    ? sip.placeCall(carrier.get().presentedNumber(user.get().number()), displayName,
                            target.dialString(), offer, listener)
                    : sip.placeCallVia(account, displayName, target.dialString(), offer, listener);
        } catch (SipAgentException e) {
            LOG.warn("call {}: REFER to {} not followed: {}", o.call.id, target.dialString(), e.toString());
            refer.refuse(503, "Service Unavailable (the new call could not be placed)");
            return;
        }
        following.nextLeg(next, listener);
        o.far = following;
        o.following = following;
        far.replacedBy = following;
        refer.accept();
        LOG.info("call {}: following a REFER to {}", o.call.id, target.dialString());
    }
}
