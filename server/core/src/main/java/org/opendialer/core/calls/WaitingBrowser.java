package org.opendialer.core.calls;

import java.time.Duration;
import java.util.function.Consumer;
import org.opendialer.media.relay.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A browser caller waiting without the user (decision 0028): the other call of an extension pair and the pair's
 * one relay session, the user's side detached or released while a transfer decides where the caller goes. The
 * caller's call stays answered; this plays ringback toward its browser leg, gives it a far end while it waits,
 * offers it back to the user (a recall) and hands it to the call that takes it. The transfer that owns it keeps
 * the state ({@link BlindTransfer.Phase}); the SIP caller's counterpart is {@link WaitingCaller}.
 * Engine thread only.
 */
final class WaitingBrowser {
    private static final Logger LOG = LoggerFactory.getLogger(WaitingBrowser.class);

    /** The user's call whose far end the caller was. */
    final Ongoing from;
    /** The other user's call: the browser being transferred. */
    final Ongoing caller;
    /** The pair's relay session: the caller's browser on one side, the user's (detached) on {@link #userSide}. */
    final MediaSession media;
    final MediaSession.Side userSide;

    WaitingBrowser(Ongoing from) {
        this.from = from;
        this.caller = from.far.browserPeer();
        this.media = from.media;
        this.userSide = from.mediaSide;
    }

    /** Whether {@code o}'s far end can wait so: the answered other call of an extension pair, in its session. */
    static boolean applies(Ongoing o) {
        Ongoing peer = o.far instanceof ExtensionFarEnd ? o.far.browserPeer() : null;
        return peer != null && o.media != null && peer.media == o.media && o.media.splicedWith() == null
                && peer.call.state() == CallState.ANSWERED;
    }

    /** The law the caller's browser negotiated (what it must go on receiving), or null before its offer. */
    MediaSession.Codec law() {
        return media.browserCodec(caller.mediaSide);
    }

    /** Ringback (DIALER_RINGBACK) toward the caller's browser leg, SRTP like relayed audio (unless a tone already plays). */
    void ringback() {
        if (!media.isPlayingTone()) {
            media.playTone(caller.mediaSide, law() != null ? law() : MediaSession.Codec.PCMU, media.ringback());
        }
    }

    /** The caller's call's far end while nobody is on the other side (the user's call has ended). */
    FarEnd farEnd() {
        return new Nobody();
    }

    /** A new inbound call of the user offering the caller back ({@code recall: true}) with {@code far} as its far end. */
    Ongoing offerBack(LiveCalls calls, EngineThread thread, FarEnd far, Consumer<Ongoing> ringTimedOut, Duration ring) {
        return WaitingCaller.offerBack(from, calls, thread, far, ringTimedOut, ring);
    }

    /** A browser takes the user's side of the session (the target user's, or the user's on a recall). */
    String joinBrowser(Ongoing o, String offerSdp) {
        return WaitingCaller.joinBrowser(media, userSide, o, offerSdp, law());
    }

    /** {@code o}'s browser took the caller: the two calls are an extension pair from now on. */
    void pairWith(LiveCalls calls, Ongoing o) {
        o.far = new ExtensionFarEnd(calls, caller);
        caller.far = new ExtensionFarEnd(calls, o);
    }

    /** A number target answered: its SIP leg (its own session, spliced to ours) is the caller's far end now. */
    void talkTo(SipFarEnd leg) {
        media.stopTone();
        leg.owner = caller;
        leg.listener.target = leg;
        caller.far = leg;
        if (leg.codec() != null && law() != null && law() != leg.codec() && caller.mediaOwner != null) {
            caller.mediaOwner.mediaUpdate(caller.call.id, leg.codec().name()); // it re-offers: no transcoding
        }
    }

    /** The caller's far end while it waits: the transfer hears of its end from LiveCalls, so nothing to tell. */
    private final class Nobody implements FarEnd {
        @Override
        public String answer(Ongoing o, String offerSdp) {
            throw new IllegalStateException("the waiting caller's call is answered");
        }

        @Override
        public void hangUp(Ongoing o, EndReason peerReason) {
        }

        @Override
        public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
        }

        @Override
        public void hold(Ongoing o, boolean held) {
            LOG.debug("call {} {} while its far end is being transferred", o.call.id, held ? "held" : "resumed");
        }

        @Override
        public MediaSession.Codec browserCodec(Ongoing o) {
            return law();
        }

        @Override
        public void handOver(Ongoing previous, Ongoing next) {
            throw new IllegalStateException("a waiting caller is not transferred");
        }
    }
}
