package org.opendialer.core.calls;

import org.opendialer.media.relay.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The far end of a transfer target's call while it rings: the call being transferred ({@code from}), whose
 * own far end (the caller's SIP leg or browser) is handed to the target's call when the target answers.
 * Until then the caller stays connected to the user; if the target does not answer, nothing of the
 * transferred call changed and its dialers are told why ({@link Dialer#transferFailed}).
 */
final class TransferTargetFarEnd implements FarEnd {
    private static final Logger LOG = LoggerFactory.getLogger(TransferTargetFarEnd.class);

    private final LiveCalls calls;
    private final Ongoing from;

    TransferTargetFarEnd(LiveCalls calls, Ongoing from) {
        this.calls = calls;
        this.from = from;
    }

    @Override
    public String answer(Ongoing o, String offerSdp) {
        // The target's browser takes the user's side of the relay session; the user's leg relays until
        // the target's DTLS completes (MediaSession#acceptOffer), so the caller hears no gap.
        o.media = from.media;
        o.mediaSide = from.mediaSide;
        return offerSdp == null || o.media == null ? null : o.acceptOffer(offerSdp, from.far.browserCodec(from));
    }

    @Override
    public void answered(Ongoing o) {
        FarEnd caller = from.far;
        if (from.held && o.media != null) {
            // The user held the caller while the target rang: the target must hear them.
            o.media.hold(false);
            try {
                caller.hold(from, false);
            } catch (CallException e) {
                LOG.warn("call {} not resumed for the transfer target: {}", from.call.id, e.getMessage());
            }
        }
        caller.handOver(from, o);
        o.far = caller;
        from.transferTo = null;
        from.media = null; // the session goes on with the target's call: ending ours must not close it
        calls.end(from, EndReason.TRANSFERRED);
        LOG.info("call {} transferred to call {}", from.call.id, o.call.id);
    }

    @Override
    public void hangUp(Ongoing o, EndReason peerReason) {
        failed(o, peerReason);
    }

    @Override
    public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
        failed(o, peerReason);
    }

    @Override
    public void hold(Ongoing o, boolean held) {
        throw new CallException(CallException.Reason.CALL_NOT_FOUND, "There is no answered call to hold.");
    }

    @Override
    public MediaSession.Codec browserCodec(Ongoing o) {
        return from.far.browserCodec(from);
    }

    @Override
    public void handOver(Ongoing previous, Ongoing next) {
        throw new IllegalStateException("a ringing transfer target is not transferred");
    }

    private void failed(Ongoing o, EndReason reason) {
        if (from.transferTo != o) {
            return; // the transferred call ended first and cancelled this one
        }
        from.transferTo = null;
        LOG.info("transfer of call {} failed: {}", from.call.id, reason.wire());
        calls.events().transferFailed(from, reason);
    }
}
