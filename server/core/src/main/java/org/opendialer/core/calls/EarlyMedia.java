package org.opendialer.core.calls;

import org.opendialer.sip.AudioSdp;

/**
 * Early media (RFC 3960): a 180/183 with SDP points the relay at its sender before the answer, so a carrier's
 * ringback, announcement or IVR plays in the browser while the call is still {@code connecting}. Each forked
 * early dialog's SDP re-targets the relay (the newest wins, as a phone plays the latest early media); the 200
 * OK re-targets it once more. The dialer is told whether early media flows (protocol.md part 4,
 * {@code callProgress}); without it the dialer plays a local ringback tone. Engine thread only.
 */
final class EarlyMedia {
    private EarlyMedia() {}

    /** A provisional response of {@code o}; {@code retarget} points the relay at {@code sdp}. */
    static void progress(Ongoing o, AudioSdp sdp, Runnable retarget) {
        boolean usable = sdp != null && sdp.port() != 0 && sdp.firstCommonCodec().isPresent() && o.media != null;
        if (usable) {
            retarget.run();
        }
        boolean early = o.earlyMedia || usable;
        boolean changed = early != o.earlyMedia || !o.progressSent;
        o.earlyMedia = early;
        o.progressSent = true;
        if (changed && o.mediaOwner != null) {
            o.mediaOwner.callProgress(o.call.id, early);
        }
    }
}
