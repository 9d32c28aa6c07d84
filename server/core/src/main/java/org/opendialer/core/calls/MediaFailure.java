package org.opendialer.core.calls;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.opendialer.media.relay.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When an answered call's browser audio never connected (protocol.md part 5, {@code media_failed}): the
 * call ends at once if the dialer that carries its audio is connected, since then no path between that
 * browser and the gateway works. A dialer that is away (reload, WebSocket drop) may still come back and
 * re-offer: that call is left to the RTP timeout, which ends it as {@code connection_lost} if it does not.
 */
final class MediaFailure {
    private static final Logger LOG = LoggerFactory.getLogger(MediaFailure.class);

    private MediaFailure() {}

    /** On the engine thread. {@code o} is the session's call (side A's call for an extension pair). */
    static void ifOwnerConnected(Ongoing o, MediaSession.Side side, Predicate<Dialer> attached,
                                 Consumer<EndReason> end) {
        if (o.call.state() != CallState.ANSWERED) {
            return;
        }
        Ongoing browserCall = side == o.mediaSide ? o : o.far.browserPeer();
        if (browserCall == null || browserCall.mediaOwner == null || !attached.test(browserCall.mediaOwner)) {
            LOG.info("call {}: the browser's audio on side {} has not connected, but its dialer is away: "
                    + "left to the RTP timeout", o.call.id, side);
            return;
        }
        LOG.warn("call {}: the browser's audio on side {} never connected (no ICE/DTLS path): ending it as "
                + "media_failed", o.call.id, side);
        end.accept(EndReason.MEDIA_FAILED);
    }
}
