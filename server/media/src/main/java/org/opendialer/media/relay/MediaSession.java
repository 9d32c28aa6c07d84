package org.opendialer.media.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.opendialer.media.quality.LegQuality;
import org.opendialer.media.quality.PathQuality;
import org.opendialer.media.quality.QualitySummary;
import org.opendialer.media.quality.ReceiverReports;
import org.opendialer.media.MediaMetrics;
import org.opendialer.media.rtp.RtcpPacket;
import org.opendialer.media.rtp.RtpPacket;
import org.opendialer.media.webrtc.SdpAnswer;
import org.opendialer.media.webrtc.SdpException;
import org.opendialer.media.webrtc.SdpOffer;
import org.opendialer.media.webrtc.WebRtcLeg;

/**
 * The media of one call: side A is the caller-side browser, side B the SIP peer (plain RTP) or,
 * for an extension call, the other browser. RTP is relayed without decoding: payload types are
 * mapped by format, SSRC, sequence number and timestamp rewritten so each receiver sees one
 * continuous stream, and a format the receiver did not negotiate is dropped. RTCP is terminated
 * on each leg and the relay sends its own reports about every 5 s.
 */
public final class MediaSession implements AutoCloseable {
    public enum Side { A, B }

    public enum Codec { PCMU, PCMA }

    public interface Listener {
        /**
         * A side sent nothing (RTP or RTCP) for the RTP timeout while expected to and not held.
         * Once per session, on a relay thread; must not block. It is re-armed by what starts a
         * new expectation ({@link #rtpRemote}, {@link #acceptOffer}, resuming from hold), so a
         * timeout the engine ignored (say, while ringing) can fire again after the answer.
         */
        void mediaTimedOut(Side side);

        /** DTLS done, SRTP keys installed (for logs/tests). On a handshake thread; must not block. */
        default void browserConnected(Side side) {
        }

        /**
         * The browser on {@code side} never completed ICE and DTLS within the connect timeout after
         * {@link #answered()}: no path between it and the gateway works. Once per side; on the relay's timer
         * thread; must not block. Not called for a side that was connected once (a reload or a network change
         * is the RTP timeout's business).
         */
        default void browserNeverConnected(Side side) {
        }

        /**
         * About every 5 s while the call is answered and not held, when side B is a SIP leg: its figures
         * for this interval (docs/call-quality.md). On the relay's timer thread; must not block.
         */
        default void sipLegQuality(LegQuality quality) {
        }
    }

    /** RFC 3550 §6.2's minimum interval; the relay spreads its reports over it. */
    static final long REPORT_INTERVAL_NANOS = 5_000_000_000L;
    private static final String CNAME = "opendialer";

    /** One side's legs and its RTP timeout clock. */
    private static final class SideState {
        volatile BrowserLeg browser;
        volatile BrowserLeg previousBrowser; // still relayed until the replacement connects
        volatile RtpLeg rtp;
        /** Set by {@link #splice}: this side's media goes to the far side of another session instead. */
        volatile Leg spliced;
        /**
         * Set by {@link #detach}: the browser of this side is kept but neither heard nor sent to (a blind
         * transfer's caller no longer talks to the user, who may get the call back).
         */
        volatile boolean detached;
        volatile long lastReceivedNanos;
        /** The timeout clock's origin while nothing newer arrived; 0 = nothing expected yet. */
        volatile long expectedFromNanos;
        /** A browser leg of this side completed DTLS at least once. */
        volatile boolean everConnected;
        /** When a side that never connected counts as failed; 0 = not armed or already reported. */
        volatile long connectDeadlineNanos;
        /** answered() armed the deadline once; it is never re-armed. */
        volatile boolean connectArmed;
        long nextReportNanos;
        /** Both directions of this side's path: the peer's RTCP reports and the relay's own. */
        final PathQuality path = new PathQuality();

        Leg target() {
            Leg joined = spliced;
            if (joined != null) {
                return joined;
            }
            RtpLeg r = rtp;
            if (r != null) {
                return r;
            }
            BrowserLeg current = browser;
            BrowserLeg previous = previousBrowser;
            if (current != null && !current.isConnected() && previous != null && previous.isConnected()) {
                return previous;
            }
            return current;
        }
    }

    private final MediaRelay relay;
    private final Listener listener;
    private final long timeoutNanos;
    private final long reportIntervalNanos;
    private final long connectTimeoutNanos;
    private final SideState a = new SideState();
    private final SideState b = new SideState();
    private final Direction aToB = new Direction();
    private final Direction bToA = new Direction();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final java.util.concurrent.atomic.LongAdder strangers = new java.util.concurrent.atomic.LongAdder();
    private volatile LegQuality sipLegQuality;
    /** The session {@link #splice} joined this one with: they are held and closed together. */
    private volatile MediaSession partner;
    /** The side of this session {@link #spliceDetached} spliced (its user side); null when not spliced. */
    private volatile Side splicedSide;
    /** The tone {@link #playTone} sends, or null. */
    private volatile TonePlayer tone;
    /** Samples since answered(), leaving out time on hold; timer thread, read at the end (docs/call-quality.md). */
    private final CallQualityLog qualityLog = new CallQualityLog();
    private volatile boolean answered;
    private volatile boolean held;
    private volatile boolean closed;

    MediaSession(MediaRelay relay, Listener listener, long timeoutNanos, long reportIntervalNanos,
                 long connectTimeoutNanos) {
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.relay = relay;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timeoutNanos = timeoutNanos;
        this.reportIntervalNanos = reportIntervalNanos;
        long now = System.nanoTime();
        long spread = ThreadLocalRandom.current().nextLong(reportIntervalNanos);
        a.nextReportNanos = now + spread; // spread the relay's reports over the interval
        b.nextReportNanos = now + spread;
    }

    /**
     * Side B as plain RTP toward a SIP peer: binds an even port from the configured range (RTCP
     * on the port above) and returns it for our SDP. Calling again returns the same port.
     *
     * @throws IOException when the range is exhausted (the message says which range)
     */
    public synchronized int openRtp() throws IOException {
        if (closed) {
            throw new IllegalStateException("session closed");
        }
        if (b.browser != null) {
            throw new IllegalStateException("side B is a browser leg in this session");
        }
        if (b.rtp == null) {
            b.rtp = relay.newRtpLeg(this);
        }
        return b.rtp.port();
    }

    /**
     * The SIP peer's media address and chosen formats (from its SDP offer or answer); may be
     * called again on a re-INVITE. {@code telephoneEventPt} -1 = none. The RTP timeout of side
     * B starts counting from here. RTCP goes to port+1 (or muxed, once the peer sends it so).
     */
    public void rtpRemote(InetSocketAddress address, Codec codec, int payloadType, int telephoneEventPt) {
        rtpRemote(address, null, codec, payloadType, telephoneEventPt);
    }

    /**
     * As {@link #rtpRemote(InetSocketAddress, Codec, int, int)} with the peer's RTCP address
     * from its SDP: {@code a=rtcp} (RFC 3605), or {@code address} itself when it negotiated
     * {@code a=rtcp-mux} (RFC 5761); null = RTP port + 1.
     */
    public void rtpRemote(InetSocketAddress address, InetSocketAddress rtcpAddress, Codec codec, int payloadType,
                          int telephoneEventPt) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(codec, "codec");
        if (address.isUnresolved() || rtcpAddress != null && rtcpAddress.isUnresolved()) {
            throw new IllegalArgumentException("unresolved RTP/RTCP address " + address + " / " + rtcpAddress);
        }
        if (payloadType < 0 || payloadType > 127 || telephoneEventPt < -1 || telephoneEventPt > 127
                || payloadType == telephoneEventPt) {
            throw new IllegalArgumentException("bad payload types " + payloadType + "/" + telephoneEventPt);
        }
        RtpLeg leg = b.rtp;
        if (leg == null) {
            throw new IllegalStateException("openRtp() first");
        }
        leg.remote(address, rtcpAddress, codec == Codec.PCMU ? new PayloadFormats(payloadType, -1, telephoneEventPt)
                : new PayloadFormats(-1, payloadType, telephoneEventPt));
        b.expectedFromNanos = System.nanoTime();
        timedOut.set(false);
    }

    /**
     * SRTP toward the SIP peer with SDES keys (RFC 4568): {@code sendKeySalt} is the master key and salt we
     * offered or answered (16 + 14 bytes), {@code receiveKeySalt} the peer's. Nulls switch back to plain RTP.
     * Call it with {@link #rtpRemote} whenever the SDP changes; the same keys again keep the SRTP state.
     *
     * @throws IllegalArgumentException for keys of the wrong length
     */
    public void rtpSrtp(byte[] sendKeySalt, byte[] receiveKeySalt) {
        RtpLeg leg = b.rtp;
        if (leg == null) {
            throw new IllegalStateException("openRtp() first");
        }
        leg.srtp(sendKeySalt, receiveKeySalt);
    }

    /**
     * The host the call's SIP messages come from (the far end, or its NAT). Besides the SDP's host,
     * only packets from this host may latch the SIP side's RTP/RTCP (symmetric RTP behind a NAT).
     */
    public void rtpSignallingSource(InetAddress host) {
        RtpLeg leg = b.rtp;
        if (leg == null) {
            throw new IllegalStateException("openRtp() first");
        }
        leg.signallingSource(host);
    }

    /**
     * Creates, or replaces, the WebRTC leg of {@code side} from the browser's SDP offer and
     * returns our answer. {@code codec} restricts the answer to one law; null lists PCMU then
     * PCMA (with the browser's payload type numbers, plus its telephone-event). A replaced leg
     * keeps relaying until its successor's DTLS completes, then is closed.
     *
     * @throws MediaException for an unusable offer: no audio section, no ice-ufrag/ice-pwd/
     *                        fingerprint, neither PCMU nor PCMA (or not the requested codec), over 16 KiB
     */
    public String acceptOffer(Side side, String offerSdp, Codec codec) throws MediaException {
        SdpOffer offer;
        try {
            offer = SdpOffer.parse(offerSdp);
        } catch (SdpException e) {
            throw new MediaException(e.getMessage());
        }
        List<Codec> codecs = new ArrayList<>(2);
        if ((codec == null || codec == Codec.PCMU) && offer.pcmuPayloadType() >= 0) {
            codecs.add(Codec.PCMU);
        }
        if ((codec == null || codec == Codec.PCMA) && offer.pcmaPayloadType() >= 0) {
            codecs.add(Codec.PCMA);
        }
        if (codecs.isEmpty()) {
            throw new MediaException("the browser's offer has no " + codec);
        }
        int[] pts = new int[codecs.size()];
        String[] names = new String[codecs.size()];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = codecs.get(i) == Codec.PCMU ? offer.pcmuPayloadType() : offer.pcmaPayloadType();
            names[i] = codecs.get(i).name();
        }
        PayloadFormats formats = new PayloadFormats(codecs.contains(Codec.PCMU) ? offer.pcmuPayloadType() : -1,
                codecs.contains(Codec.PCMA) ? offer.pcmaPayloadType() : -1, offer.telephoneEventPayloadType());
        SideState state = state(side);
        Direction toward = side == Side.A ? bToA : aToB;
        synchronized (this) {
            if (closed) {
                throw new MediaException("media session closed");
            }
            if (state.rtp != null) {
                throw new IllegalStateException("side " + side + " is plain RTP in this session");
            }
            BrowserLeg current = state.browser;
            WebRtcLeg webRtc;
            if (current != null && !current.webRtcLeg().isClosed()
                    && current.webRtcLeg().remoteFingerprint().equals(offer.fingerprint())) {
                // The same peer connection (its certificate is per connection) re-offers: a codec
                // change or an ICE restart. Chromium keeps its DTLS association, so keep ours.
                webRtc = current.webRtcLeg();
                if (!offer.iceUfrag().equals(webRtc.remoteUfrag())) {
                    relay.endpoint().restartIce(webRtc, offer.iceUfrag());
                    state.expectedFromNanos = System.nanoTime() + timeoutNanos;
                }
                current.renegotiated(formats, codecs.get(0));
            } else {
                // A new peer connection (reload, another dialer): a new leg, new ICE and DTLS.
                BrowserLeg leg = new BrowserLeg(this, side, formats, codecs.get(0));
                webRtc = relay.endpoint().createLeg(offer.iceUfrag(), offer.fingerprint(), leg);
                leg.attach(webRtc);
                BrowserLeg older = state.previousBrowser;
                if (older != null) {
                    older.close();
                }
                if (current != null && current.isConnected()) {
                    state.previousBrowser = current; // relays until the new leg's DTLS completes
                } else {
                    state.previousBrowser = null;
                    if (current != null) {
                        current.close();
                    }
                }
                state.browser = leg;
                // Not expected to send before DTLS: allow one timeout for ICE and DTLS to finish.
                state.expectedFromNanos = System.nanoTime() + timeoutNanos;
            }
            String answer = relay.endpoint().answerFor(webRtc, relay.advertisedAddress())
                    .mid(offer.mid())
                    .audioFormats(pts, names)
                    .telephoneEventPayloadType(offer.telephoneEventPayloadType())
                    .direction(mirror(offer.direction()))
                    .rejected(offer.otherSectionsBefore(), offer.otherSectionsAfter())
                    .ssrc(toward.rewriter.outputSsrc(), CNAME)
                    .sessionId(ThreadLocalRandom.current().nextLong(1L << 62))
                    .build();
            timedOut.set(false);
            return answer;
        }
    }

    private static String mirror(String offered) {
        return switch (offered) {
            case "sendonly" -> "recvonly";
            case "recvonly" -> "sendonly";
            case "inactive" -> "inactive";
            default -> "sendrecv";
        };
    }

    /** What the browser on {@code side} sends: the first codec of our latest answer to it; null if none. */
    public Codec browserCodec(Side side) {
        BrowserLeg leg = state(side).browser;
        return leg == null ? null : leg.firstCodec();
    }

    /**
     * The call was answered: from now each browser side whose leg has never connected has the connect
     * timeout to complete ICE and DTLS, else {@link Listener#browserNeverConnected} is called. Idempotent.
     */
    public void answered() {
        answered = true;
        long deadline = System.nanoTime() + connectTimeoutNanos;
        for (SideState s : new SideState[] {a, b}) {
            if (s.browser != null && !s.everConnected && !s.connectArmed) {
                s.connectArmed = true;
                s.connectDeadlineNanos = deadline == 0 ? 1 : deadline;
            }
        }
    }

    /** Whether a browser leg of {@code side} ever completed DTLS in this session. */
    public boolean browserEverConnected(Side side) {
        return state(side).everConnected;
    }

    /**
     * Joins two calls' far ends without decoding (a transfer): {@code side} of this session (the user's side,
     * whose browser leaves) is spliced to the far side of {@code other}, whose {@code otherSide} leaves too.
     * From then on what this session's far side sends goes out of {@code other}'s far-side leg and the
     * reverse, with payload types mapped by format as usual (a format the receiver did not negotiate is
     * dropped, never transcoded: the caller of the splice re-negotiates one side when the codecs differ).
     * The two spliced-away sides expect nothing any more (no RTP timeout, no RTCP); the far sides keep
     * theirs. The sessions are held, resumed and closed together from now on.
     */
    public void splice(Side side, MediaSession other, Side otherSide) {
        spliceDetached(side, other, otherSide);
        releaseBrowser(side);
        other.releaseBrowser(otherSide);
    }

    /**
     * As {@link #splice}, but the two user sides keep their browser legs, detached ({@link #detach}): a blind
     * transfer's caller hears the target's early media while the user may still get the call back
     * ({@link #unsplice}, then {@link #reattach}).
     */
    public void spliceDetached(Side side, MediaSession other, Side otherSide) {
        if (other == this || partner != null || other.partner != null) {
            throw new IllegalStateException("a session is spliced once, with another session");
        }
        Side far = opposite(side);
        Side otherFar = opposite(otherSide);
        detach(side);
        other.detach(otherSide);
        state(side).spliced = new SplicedLeg(other, otherSide, other.state(otherFar));
        other.state(otherSide).spliced = new SplicedLeg(this, side, state(far));
        partner = other;
        other.partner = this;
        splicedSide = side;
        other.splicedSide = otherSide;
    }

    /**
     * Undoes a splice: both sessions stand alone again, their user sides still detached (a blind transfer's
     * target that failed; {@link #reattach} gives the caller back to a browser). Nothing if not spliced.
     */
    public void unsplice() {
        MediaSession other = partner;
        Side side = splicedSide;
        if (other == null || side == null) {
            return;
        }
        state(side).spliced = null;
        partner = null;
        splicedSide = null;
        Side otherSide = other.splicedSide;
        if (otherSide != null) {
            other.state(otherSide).spliced = null;
        }
        other.partner = null;
        other.splicedSide = null;
    }

    /** The browser of {@code side} leaves: its legs close and nothing is expected from it (until a new offer). */
    public void releaseBrowser(Side side) {
        leave(side);
    }

    /**
     * The browser of {@code side} is neither heard nor sent to, and nothing is expected from it (no RTP timeout);
     * its legs stay open. The far side then hears only what {@link #playTone} sends.
     */
    public void detach(Side side) {
        SideState s = state(side);
        s.detached = true;
        s.expectedFromNanos = 0;
    }

    /** Ends a {@link #detach}: the browser of {@code side} talks with the far side again. */
    public void reattach(Side side) {
        SideState s = state(side);
        if (s.spliced != null) {
            throw new IllegalStateException("a spliced side is not reattached");
        }
        s.detached = false;
        if (s.browser != null) {
            s.expectedFromNanos = System.nanoTime();
        }
        Direction d = side == Side.A ? aToB : bToA;
        synchronized (d) {
            d.rewriter.sourceChanged(); // the far side hears a new talkspurt, not a jump
        }
    }

    /**
     * Sends {@code pattern} toward {@code side} (20 ms G.711 frames in the law that side negotiated, preferring
     * {@code law}) until {@link #stopTone}: the ringback a blind transfer's caller hears. The frames share the
     * outgoing stream (SSRC, sequence, timestamps) with relayed audio, so a switch between them is seamless.
     */
    public void playTone(Side side, Codec law, java.util.List<org.opendialer.media.tone.TonePattern.Segment> pattern) {
        stopTone();
        TonePlayer player = new TonePlayer(this, side, law, pattern);
        tone = player;
        player.start(relay);
    }

    /** The ringback its relay was set to (DIALER_RINGBACK): what a caller waiting in a transfer hears. */
    public java.util.List<org.opendialer.media.tone.TonePattern.Segment> ringback() {
        return relay.ringback();
    }

    /** Stops the tone {@link #playTone} sends, if any. */
    public void stopTone() {
        TonePlayer player = tone;
        tone = null;
        if (player != null) {
            player.stop();
        }
    }

    /** Whether a tone is being sent (tests and logs). */
    public boolean isPlayingTone() {
        return tone != null;
    }

    /** One generated frame toward {@code side}: through the same rewriter as relayed packets. */
    boolean sendGenerated(Side side, Codec law, byte[] packet, short[] samples) {
        SideState target = state(side);
        Direction d = side == Side.B ? aToB : bToA;
        synchronized (d) {
            if (held || closed) {
                return false;
            }
            Leg out = target.target();
            if (out == null) {
                return false;
            }
            int pt = out.formats().payloadType(PayloadFormats.format(law));
            Codec sent = law;
            if (pt < 0) {
                sent = law == Codec.PCMU ? Codec.PCMA : Codec.PCMU;
                pt = out.formats().payloadType(PayloadFormats.format(sent));
            }
            if (pt < 0) {
                return false;
            }
            TonePlayer.encode(packet, samples, sent);
            packet[1] = (byte) ((packet[1] & 0x80) | pt);
            d.rewriter.rewrite(packet, 0, packet.length);
            return out.sendRtp(packet, 0, packet.length);
        }
    }

    /** The session {@link #splice} joined this one with, or null. */
    public MediaSession splicedWith() {
        return partner;
    }

    private static Side opposite(Side side) {
        return side == Side.A ? Side.B : Side.A;
    }

    /** The user's browser on {@code side} leaves a spliced session: its legs close and nothing is expected. */
    private void leave(Side side) {
        SideState s = state(side);
        BrowserLeg browser;
        BrowserLeg previous;
        synchronized (this) {
            browser = s.browser;
            previous = s.previousBrowser;
            s.browser = null;
            s.previousBrowser = null;
            s.expectedFromNanos = 0;
            s.connectDeadlineNanos = 0;
            s.connectArmed = true;
        }
        if (browser != null) {
            browser.close();
        }
        if (previous != null) {
            previous.close();
        }
        timedOut.set(false);
    }

    /** Toward the far side of a spliced session: whichever leg that side has now (RTCP stays per session). */
    private static final class SplicedLeg implements Leg {
        /** The other session, and its side the user left: packets continue there as if sent from that side. */
        final MediaSession other;
        final Side otherUserSide;
        private final SideState far;

        SplicedLeg(MediaSession other, Side otherUserSide, SideState far) {
            this.other = other;
            this.otherUserSide = otherUserSide;
            this.far = far;
        }

        @Override
        public PayloadFormats formats() {
            Leg leg = far.target();
            return leg == null ? PayloadFormats.EMPTY : leg.formats();
        }

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            Leg leg = far.target();
            return leg != null && leg.sendRtp(buf, off, len);
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return false; // each session reports to its own far side
        }

        @Override
        public void close() {
        }
    }

    /** While held nothing is forwarded either way and the RTP timeout does not run. */
    public void hold(boolean held) {
        if (this.held && !held) {
            long now = System.nanoTime();
            // The timeout restarts at the resume, not at the last packet before the hold.
            for (SideState s : new SideState[] {a, b}) {
                if (s.expectedFromNanos != 0 && s.expectedFromNanos < now) {
                    s.expectedFromNanos = now;
                }
            }
            timedOut.set(false);
        }
        this.held = held;
        MediaSession joined = partner;
        if (joined != null && joined.held != held) {
            joined.hold(held);
        }
    }

    public boolean isHeld() {
        return held;
    }

    /** The local port of side B's RTP, or -1 before {@link #openRtp()}. */
    public int rtpPort() {
        RtpLeg leg = b.rtp;
        return leg == null ? -1 : leg.port();
    }

    public SessionStats stats() {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        return new SessionStats(snapshot(aToB, now, wall), snapshot(bToA, now, wall));
    }

    private static SessionStats.Direction snapshot(Direction d, long now, Instant wall) {
        synchronized (d) {
            long last = d.lastPacketNanos;
            return new SessionStats.Direction(d.packets, d.bytes, d.dropped, last == 0 ? null : wall.minusNanos(now - last));
        }
    }

    /** RTP packets that arrived from {@code side}, relayed or not (tests). */
    long receivedFrom(Side side) {
        Direction d = side == Side.A ? aToB : bToA;
        synchronized (d) {
            return d.received;
        }
    }

    long relayedPackets() {
        synchronized (aToB) {
            synchronized (bToA) {
                return aToB.packets + bToA.packets;
            }
        }
    }

    long droppedPackets() {
        synchronized (aToB) {
            synchronized (bToA) {
                return aToB.dropped + bToA.dropped;
            }
        }
    }

    /** Idempotent; frees the RTP ports and closes the WebRTC legs. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopTone();
        for (SideState s : new SideState[] {a, b}) {
            Leg[] legs = {s.browser, s.previousBrowser, s.rtp};
            for (Leg leg : legs) {
                if (leg != null) {
                    leg.close();
                }
            }
        }
        relay.closed(this);
        MediaSession joined = partner;
        if (joined != null) {
            joined.close();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private SideState state(Side side) {
        return side == Side.A ? a : b;
    }

    // ---- packet path -------------------------------------------------------------------

    /** An RTP packet from {@code from}'s leg, decrypted if it came from a browser; rewritten in place. */
    void receivedRtp(Side from, PayloadFormats sourceFormats, byte[] buf, int off, int len) {
        relay(from, sourceFormats, buf, off, len, false);
    }

    /** @param fromPartner the packet comes from the far side of the session spliced with this one */
    private void relay(Side from, PayloadFormats sourceFormats, byte[] buf, int off, int len, boolean fromPartner) {
        long now = System.nanoTime();
        SideState source = from == Side.A ? a : b;
        SideState target = from == Side.A ? b : a;
        Direction d = from == Side.A ? aToB : bToA;
        source.lastReceivedNanos = now;
        if (source.detached && !fromPartner) {
            return; // a detached browser is not heard (a blind transfer under way)
        }
        if (target.spliced instanceof SplicedLeg joined) {
            // Spliced: the other session sends it on as the stream its far side already knows (same SSRC,
            // continuous sequence and timestamps: a browser drops an SSRC its SDP did not announce).
            joined.other.relay(joined.otherUserSide, sourceFormats, buf, off, len, true);
            return;
        }
        if (target.detached) {
            return; // nothing reaches a detached browser
        }
        if (fromPartner && tone != null) {
            stopTone(); // the transfer target's own audio (early media, answer) replaces our ringback
        }
        int payload = RtpPacket.payloadLength(buf, off, len);
        MediaMetrics metrics = relay.metrics();
        MediaMetrics.Direction way = from == Side.A
                ? MediaMetrics.Direction.BROWSER_TO_SIP
                : MediaMetrics.Direction.SIP_TO_BROWSER;
        synchronized (d) {
            d.lastPacketNanos = now;
            d.received++;
            if (payload < 0) {
                d.dropped++;
                metrics.dropped(way);
                return;
            }
            int gap = d.reception.update(RtpPacket.ssrc(buf, off), RtpPacket.sequenceNumber(buf, off),
                    RtpPacket.timestamp(buf, off), now / 125_000L);
            if (gap > 0) {
                metrics.lost(way, gap);
            }
            if (held || closed) {
                return; // not forwarded, and not a loss either
            }
            Leg out = target.target();
            int format = sourceFormats.formatOf(RtpPacket.payloadType(buf, off));
            int outPt = out == null || format == PayloadFormats.NONE ? -1 : out.formats().payloadType(format);
            if (outPt < 0) {
                d.dropped++; // a format the receiver did not negotiate: never transcoded
                metrics.dropped(way);
                return;
            }
            buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | outPt);
            d.rewriter.rewrite(buf, off, len);
            if (out.sendRtp(buf, off, len)) {
                d.packets++;
                d.bytes += payload;
                metrics.relayed(way, payload);
                d.lastSentTimestamp = RtpPacket.timestamp(buf, off);
                d.lastSentNanos = now;
            } else {
                d.dropped++;
                metrics.dropped(way);
            }
        }
    }

    /** For the cost probe in the tests: {@link #receivedRtp} on the caller's thread. */
    void receivedRtpForProbe(Side from, PayloadFormats formats, byte[] packet) {
        receivedRtp(from, formats, packet, 0, packet.length);
    }

    /** A valid RTCP compound from {@code from}: terminated here, only its SR time is kept. */
    void receivedRtcp(Side from, byte[] buf, int off, int len) {
        long now = System.nanoTime();
        state(from).lastReceivedNanos = now;
        long middle = RtcpPacket.senderReportNtpMiddle(buf, off, len);
        if (middle >= 0) {
            Direction d = from == Side.A ? aToB : bToA;
            synchronized (d) {
                d.lastSrMiddle = middle;
                d.lastSrNanos = now;
            }
        }
        // The peer's report on the stream we send it (RFC 3550 §6.4.2): half of its leg's quality.
        List<RtcpPacket.ReportBlock> blocks = ReceiverReports.blocks(buf, off, len);
        if (!blocks.isEmpty()) {
            int ours;
            Direction toward = from == Side.A ? bToA : aToB;
            synchronized (toward) {
                ours = toward.rewriter.outputSsrc();
            }
            RtcpPacket.ReportBlock block = blocks.get(0);
            for (RtcpPacket.ReportBlock b : blocks) {
                if (b.ssrc() == ours) {
                    block = b;
                }
            }
            state(from).path.peerReported(block, System.currentTimeMillis());
        }
    }

    /** The SIP leg's figures of the last report interval (both directions), or null before the first. */
    public LegQuality sipLegQuality() {
        return sipLegQuality;
    }

    /**
     * The call's quality from {@link #answered()} to now, for the user whose browser is {@code browserSide}
     * (docs/call-quality.md, "The call log"); readable after {@link #close()}. Null when never answered.
     */
    public QualitySummary qualitySummary(Side browserSide) {
        if (!answered) {
            return null;
        }
        return qualityLog.summary(browserSide, b.rtp != null);
    }

    void droppedOnArrival() {
        relay.droppedOnArrival();
    }

    void fromStranger() {
        strangers.increment();
        relay.fromStranger();
    }

    /** Packets to this session's SIP-side ports from neither the far end's SDP host nor its SIP host (dropped). */
    public long packetsFromStrangers() {
        return strangers.sum();
    }

    void browserConnected(Side side, BrowserLeg leg) {
        SideState state = state(side);
        if (state.browser != leg) {
            return; // a replaced leg finished its handshake late
        }
        state.expectedFromNanos = System.nanoTime();
        state.everConnected = true;
        state.connectDeadlineNanos = 0;
        BrowserLeg previous = state.previousBrowser;
        if (previous != null) {
            state.previousBrowser = null;
            previous.close();
        }
        try {
            listener.browserConnected(side);
        } catch (RuntimeException e) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        }
    }

    // ---- timer -------------------------------------------------------------------------

    /** On the relay's timer thread: the RTP timeout and our RTCP reports. */
    void tick(long now) {
        if (closed) {
            return;
        }
        for (Side side : Side.values()) {
            SideState s = state(side);
            long deadline = s.connectDeadlineNanos;
            if (deadline != 0 && now - deadline > 0 && !s.everConnected) {
                s.connectDeadlineNanos = 0;
                try {
                    listener.browserNeverConnected(side);
                } catch (RuntimeException e) {
                    Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                }
            }
        }
        if (!held && !timedOut.get()) {
            for (Side side : Side.values()) {
                SideState s = state(side);
                long origin = Math.max(s.lastReceivedNanos, s.expectedFromNanos);
                if (s.expectedFromNanos != 0 && now - origin > timeoutNanos && timedOut.compareAndSet(false, true)) {
                    try {
                        listener.mediaTimedOut(side);
                    } catch (RuntimeException e) {
                        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
                    }
                    break;
                }
            }
        }
        LegQuality[] sampled = new LegQuality[2];
        boolean due = false;
        long wall = System.currentTimeMillis();
        for (Side side : Side.values()) {
            SideState s = state(side);
            if (now - s.nextReportNanos >= 0) {
                s.nextReportNanos = now + reportIntervalNanos;
                due = true;
                sampled[side.ordinal()] = s.path.sample(sendReport(side, s, now), wall);
            }
        }
        if (due) {
            sampled(sampled[0], sampled[1]);
        }
    }

    /** One report interval's figures per side (null: none): kept for the call log and told to the engine. */
    private void sampled(LegQuality sideA, LegQuality sideB) {
        if (b.rtp != null && sideB != null) {
            sipLegQuality = sideB;
        }
        if (!answered || held || closed) {
            return;
        }
        qualityLog.add(sideA, sideB);
        if (b.rtp != null && sideB != null) {
            try {
                listener.sipLegQuality(sideB);
            } catch (RuntimeException e) {
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }

    /**
     * Our report toward {@code side}: an SR when we sent it media (RFC 3550 §6.4.1; timestamp
     * extrapolated from the last packet at 8 kHz), else an RR, with one block about the stream
     * it sends us, and an SDES CNAME. Returns that block (null when nothing was received from the side).
     */
    private RtcpPacket.ReportBlock sendReport(Side side, SideState s, long now) {
        Leg leg = s.target();
        if (leg == null) {
            return null;
        }
        Direction toward = side == Side.A ? bToA : aToB;
        Direction from = side == Side.A ? aToB : bToA;
        int ssrc;
        boolean sender;
        long rtpTimestamp;
        long packets;
        long bytes;
        synchronized (toward) {
            ssrc = toward.rewriter.outputSsrc();
            sender = toward.packets > 0 && now - toward.lastSentNanos < 2 * reportIntervalNanos;
            rtpTimestamp = toward.lastSentTimestamp + (now - toward.lastSentNanos) / 125_000L;
            packets = toward.packets;
            bytes = toward.bytes;
        }
        RtcpPacket.ReportBlock block = null;
        synchronized (from) {
            if (from.reception.started()) {
                long lsr = from.lastSrMiddle >= 0 ? from.lastSrMiddle : 0;
                long dlsr = from.lastSrMiddle >= 0 ? ((now - from.lastSrNanos) << 16) / 1_000_000_000L : 0;
                block = from.reception.reportBlock(lsr, dlsr);
            }
        }
        byte[] report = RtcpPacket.report(ssrc, sender, System.currentTimeMillis(), rtpTimestamp, packets, bytes,
                block, CNAME);
        leg.sendRtcp(report, 0, report.length);
        return block;
    }
}
