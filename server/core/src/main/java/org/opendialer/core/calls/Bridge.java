package org.opendialer.core.calls;

import java.util.Set;
import org.opendialer.media.relay.MediaSession;
import org.opendialer.sip.AudioSdp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two SIP legs a transfer joined (a trunk caller and the number or SIP party it was transferred to): no user's
 * call any more, so no call-log row of its own (the users' calls ended {@code transferred}). Their spliced relay
 * sessions carry the audio; when either leg ends, or either side's RTP times out, the other leg gets a BYE.
 * Engine thread only.
 */
final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final SipFarEnd a;
    private final SipFarEnd b;
    private final Set<Bridge> live;
    private boolean ended;

    /** Takes over both legs' events; {@link #started} adds it to {@code live}. */
    Bridge(SipFarEnd a, SipFarEnd b, Set<Bridge> live) {
        this.a = a;
        this.b = b;
        this.live = live;
        a.listener.target = new Leg(a);
        b.listener.target = new Leg(b);
    }

    void started() {
        live.add(this);
    }

    /** Whether {@code session} carries this bridge's audio. */
    boolean uses(MediaSession session) {
        return session == a.media || session == b.media;
    }

    /** Ends both legs (BYE) and the relay sessions: a media timeout, a hang-up of one leg, or shutdown. */
    void end(String why) {
        if (ended) {
            return;
        }
        ended = true;
        live.remove(this);
        LOG.info("bridge of SIP legs {} and {} ended: {}", a.leg.callId(), b.leg.callId(), why);
        for (SipFarEnd leg : new SipFarEnd[] {a, b}) {
            try {
                leg.leg.hangUp(); // does nothing for the leg that already ended
            } catch (RuntimeException e) {
                LOG.warn("SIP hang-up of bridged leg {} failed: {}", leg.leg.callId(), e.toString());
            }
        }
        a.media.close(); // closes the spliced session too
    }

    /** One leg's events. */
    private final class Leg implements SipLegListener.Handler {
        private final SipFarEnd far;

        Leg(SipFarEnd far) {
            this.far = far;
        }

        @Override
        public void legAnswered(AudioSdp remote) {
        }

        @Override
        public void legProgress(int status, AudioSdp earlyMedia) {
        }

        @Override
        public void legReInvited(AudioSdp remote) {
            if (!ended) {
                SipMedia.point(far.media, far.leg, remote, far.leg.localSdp(), "bridged SIP leg " + far.leg.callId());
            }
        }

        @Override
        public void legEnded(EndReason reasonIfUnanswered, boolean remoteHangup) {
            end("SIP leg " + far.leg.callId() + (remoteHangup ? " hung up" : " ended: " + reasonIfUnanswered.wire()));
        }
    }
}
