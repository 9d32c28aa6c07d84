package org.opendialer.core.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.opendialer.media.relay.MediaException;
import org.opendialer.media.relay.MediaSession;

/** A call that has not ended, with its far end and its media. Touched only on the engine thread. */
final class Ongoing {
    final Call call;
    /** Who the user talks to: a SIP leg or another user's browser. Set when the call is registered. */
    FarEnd far;
    /** The call's relay session (shared by both calls of an extension pair), or null before media exists. */
    MediaSession media;
    /** Which side of {@link #media} this user's browser is: A for the caller, B for an extension callee. */
    MediaSession.Side mediaSide = MediaSession.Side.A;
    /** The dialer whose browser carries this call's audio (placed, answered or took it over); gets mediaUpdate. */
    Dialer mediaOwner;
    ScheduledFuture<?> ringTimer;
    /** System.nanoTime() when the SIP leg's 2xx to the INVITE arrived (0 before), for metrics. Engine thread. */
    long sipAnsweredAtNanos;
    /** An outbound call's far end sends audio before the answer (an 18x with usable SDP); see EarlyMedia. */
    boolean earlyMedia;
    /** Whether the dialer was told the far end rings ({@code callProgress}). */
    boolean progressSent;
    /** The target user's ringing call while this call is being transferred to them, else null. */
    Ongoing transferTo;
    /** The REFER we sent to transfer this call's far end (DIALER_TRANSFER=refer), while it is under way. */
    ReferTransfer referring;
    /** The REFER this call's far end sent us, while we follow it (the new leg rings), else null. */
    ReferFollowing following;
    /** The new SIP leg ringing while this call is being transferred to a phone number (bridge mode), else null. */
    NumberTransfer numberTransfer;
    /** A blind transfer of this call until its target rings (decision 0022), else null. */
    BlindTransfer blind;
    /** A blind transfer of an extension call this call is either side of (decision 0028), until it settles. */
    BrowserCallerTransfer browserTransfer;
    /** The user put this answered call on hold (the relay is paused, the far end was told). */
    boolean held;
    /**
     * For an answered inbound call: the one dialer that took it; the user's dialers of other devices
     * stopped seeing it, those of its device (other tabs) still see it.
     */
    Dialer answeredBy;
    /** The {@code a=fingerprint} of the browser leg the relay has now (an ICE restart keeps it), or null. */
    String browserFingerprint;
    /** Every event of the call so far, in order (replayed to a dialer that reconnects). */
    final List<CallView> history = new ArrayList<>();

    Ongoing(Call call) {
        this.call = call;
    }

    boolean isRingingInbound() {
        return call.direction == CallDirection.INBOUND && call.state() == CallState.CONNECTING;
    }

    /** Whether {@code dialer} is shown this call: all of the user's dialers, until one answers it; then its device's. */
    boolean visibleTo(Dialer dialer) {
        return dialer.userId() == call.userId && (answeredBy == null || Dialer.sameDevice(answeredBy, dialer));
    }

    /** Gives the browser's offer to the relay on this user's side; returns the SDP answer. */
    String acceptOffer(String offerSdp, MediaSession.Codec codec) {
        try {
            String answer = media.acceptOffer(mediaSide, offerSdp, codec);
            browserFingerprint = MediaOffers.fingerprint(offerSdp);
            return answer;
        } catch (MediaException e) {
            throw new CallException(CallException.Reason.INVALID_MEDIA, "Unusable SDP offer: " + e.getMessage());
        }
    }
}
