package org.opendialer.media.relay;

import java.io.IOException;
import org.opendialer.media.webrtc.MediaListener;
import org.opendialer.media.webrtc.WebRtcLeg;

/** One browser offer's WebRTC leg inside a session, with the formats our answer gave it. */
final class BrowserLeg implements Leg, MediaListener {
    private final MediaSession session;
    private final MediaSession.Side side;
    private volatile PayloadFormats formats;
    private volatile MediaSession.Codec firstCodec;
    private volatile WebRtcLeg leg;

    BrowserLeg(MediaSession session, MediaSession.Side side, PayloadFormats formats, MediaSession.Codec firstCodec) {
        this.session = session;
        this.side = side;
        this.formats = formats;
        this.firstCodec = firstCodec;
    }

    /** A new answer on the same DTLS association (codec change, ICE restart). */
    void renegotiated(PayloadFormats formats, MediaSession.Codec firstCodec) {
        this.formats = formats;
        this.firstCodec = firstCodec;
    }

    void attach(WebRtcLeg leg) {
        this.leg = leg;
    }

    WebRtcLeg webRtcLeg() {
        return leg;
    }

    MediaSession.Codec firstCodec() {
        return firstCodec;
    }

    boolean isConnected() {
        WebRtcLeg l = leg;
        return l != null && l.isConnected();
    }

    @Override
    public PayloadFormats formats() {
        return formats;
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        WebRtcLeg l = leg;
        if (l == null || !l.isConnected()) {
            return false;
        }
        try {
            l.sendRtp(buf, off, len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        WebRtcLeg l = leg;
        if (l == null || !l.isConnected()) {
            return false;
        }
        try {
            l.sendRtcp(buf, off, len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        WebRtcLeg l = leg;
        if (l != null) {
            l.close();
        }
    }

    @Override
    public void onRtp(WebRtcLeg from, byte[] rtp) {
        session.receivedRtp(side, formats, rtp, 0, rtp.length);
    }

    @Override
    public void onRtcp(WebRtcLeg from, byte[] rtcp) {
        session.receivedRtcp(side, rtcp, 0, rtcp.length);
    }

    @Override
    public void onConnected(WebRtcLeg from) {
        session.browserConnected(side, this);
    }
}
