package org.opendialer.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.CallListener;
import org.opendialer.sip.EndReason;
import org.opendialer.sip.MediaDirection;
import org.opendialer.sip.SipCall;

/**
 * One call of the sandbox, either direction: its SIP leg, its RTP (once answered) and its timers. Listens
 * to the leg and cleans everything up exactly once, however the call ends.
 */
final class SandboxCall implements CallListener {
    private final String label;
    private final Consumer<SandboxCall> onEnd;
    private final Consumer<AudioSdp> onAnswered;
    private final MediaPump pump;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private SipCall leg;
    private RtpSession media;
    private DatagramChannel socket;
    private boolean ended;

    /**
     * @param label      how the log names this call, e.g. "1001 -> +16505550100 (echo)"
     * @param onAnswered for calls the sandbox places: what to do with the far end's answer; else null
     * @param onEnd      called once, when the call is over
     */
    SandboxCall(String label, MediaPump pump, Consumer<AudioSdp> onAnswered, Consumer<SandboxCall> onEnd) {
        this.label = label;
        this.pump = pump;
        this.onAnswered = onAnswered;
        this.onEnd = onEnd;
    }

    String label() {
        return label;
    }

    synchronized void setLeg(SipCall leg) {
        this.leg = leg;
    }

    synchronized SipCall leg() {
        return leg;
    }

    /** Starts the call's RTP; closes it at once if the call already ended. */
    void startMedia(RtpSession session) {
        synchronized (this) {
            if (!ended) {
                media = session;
                pump.add(session);
                return;
            }
        }
        session.close();
    }

    /** A socket allocated before the answer (a call the sandbox places): closed when the call ends. */
    synchronized void ownSocket(DatagramChannel channel) {
        socket = channel;
    }

    synchronized void addTimer(ScheduledFuture<?> timer) {
        if (ended) {
            timer.cancel(false);
        } else {
            timers.add(timer);
        }
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /** Hangs the SIP leg up (CANCEL, reject or BYE), then ends the call. */
    void hangUp(String why) {
        SipCall l = leg();
        if (l != null) {
            l.hangUp();
        }
        end(why);
    }

    /** Releases the socket and timers; logs once. */
    void end(String why) {
        RtpSession m;
        DatagramChannel s;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            timers.forEach(t -> t.cancel(false));
            timers.clear();
            m = media;
            s = socket;
        }
        if (m != null) {
            pump.remove(m);
            m.close();
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                SandboxLog.debug("RTP socket not closed: " + e);
            }
        }
        SandboxLog.info(label + ": " + why + (m == null ? "" : " (" + m.stats() + ")"));
        onEnd.accept(this);
    }

    @Override
    public void provisional(int status, AudioSdp earlyMedia) {
        SandboxLog.info(label + ": " + status + (status == 180 ? " ringing" : ""));
    }

    @Override
    public void answered(AudioSdp remote) {
        SandboxLog.info(label + ": answered, RTP to " + remote.address() + ":" + remote.port());
        if (onAnswered != null) {
            onAnswered.accept(remote);
        }
    }

    @Override
    public void failed(EndReason reason, int status, String reasonPhrase) {
        end("ended before an answer: " + reason.name().toLowerCase(Locale.ROOT)
                + (status > 0 ? " (" + status + " " + reasonPhrase + ")" : " (" + reasonPhrase + ")"));
    }

    @Override
    public void remoteHangup() {
        end("the far end hung up");
    }

    @Override
    public void reInvited(AudioSdp remote) {
        RtpSession m;
        synchronized (this) {
            m = media;
        }
        if (m != null) {
            m.retarget(new InetSocketAddress(remote.address(), remote.port()), mayWeSend(remote.direction()));
        }
        SandboxLog.info(label + ": re-INVITE, far end now " + remote.direction().name().toLowerCase(Locale.ROOT));
    }

    /** Whether we may send media to a far end whose SDP has this direction (RFC 3264 6.1). */
    static boolean mayWeSend(MediaDirection theirs) {
        return theirs == MediaDirection.SENDRECV || theirs == MediaDirection.RECVONLY;
    }
}
