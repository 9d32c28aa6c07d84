package org.opendialer.core.calls;

import java.nio.channels.DatagramChannel;
import java.util.concurrent.ScheduledFuture;
import org.opendialer.sip.SipCall;

/** A call that has not ended, with what the engine needs to end it. Touched only on the engine thread. */
final class Ongoing {
    final Call call;
    /** The SIP leg toward the trunk, or null for an extension-to-extension call. */
    SipCall sipLeg;
    /** The other user's call of an extension-to-extension pair, or null. */
    Ongoing peer;
    /** The RTP socket whose port is in this leg's SDP; no audio flows yet. */
    DatagramChannel rtp;
    ScheduledFuture<?> ringTimer;
    /** For an answered inbound call: the one dialer that took it; the user's others stopped seeing it. */
    Dialer answeredBy;

    Ongoing(Call call) {
        this.call = call;
    }

    boolean isRingingInbound() {
        return call.direction == CallDirection.INBOUND && call.state() == CallState.CONNECTING;
    }

    /** Whether {@code dialer} is shown this call: all of the user's dialers, until one answers it. */
    boolean visibleTo(Dialer dialer) {
        return dialer.userId() == call.userId && (answeredBy == null || answeredBy == dialer);
    }
}
