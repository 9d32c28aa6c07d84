package org.opendialer.core.calls;

import org.opendialer.media.relay.MediaSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another user's browser: the far end of each call of an extension-to-extension pair. Both calls share one
 * relay session, the caller's browser on side A, the callee's on side B; nothing leaves the gateway.
 */
final class ExtensionFarEnd implements FarEnd {
    private static final Logger LOG = LoggerFactory.getLogger(ExtensionFarEnd.class);

    private final LiveCalls calls;
    private final Ongoing peer;

    ExtensionFarEnd(LiveCalls calls, Ongoing peer) {
        this.calls = calls;
        this.peer = peer;
    }

    @Override
    public String answer(Ongoing o, String offerSdp) {
        // The callee's browser is side B, sending what the caller's browser sends.
        return offerSdp != null && o.media != null ? o.acceptOffer(offerSdp, browserCodec(o)) : null;
    }

    @Override
    public void answered(Ongoing o) {
        calls.move(peer, CallState.ANSWERED);
    }

    @Override
    public void hangUp(Ongoing o, EndReason peerReason) {
        calls.end(peer, peerReason);
    }

    @Override
    public void reject(Ongoing o, int sipStatus, EndReason peerReason) {
        calls.end(peer, peerReason);
    }

    @Override
    public void hold(Ongoing o, boolean held) {
        LOG.debug("call {} {} (extension call: relay only)", o.call.id, held ? "held" : "resumed");
    }

    @Override
    public MediaSession.Codec browserCodec(Ongoing o) {
        return o.media == null ? null : o.media.browserCodec(peer.mediaSide);
    }

    @Override
    public void handOver(Ongoing from, Ongoing to) {
        peer.far = new ExtensionFarEnd(calls, to);
    }

    @Override
    public Ongoing browserPeer() {
        return peer;
    }
}
