package org.opendialer.sandbox;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.opendialer.sip.AudioSdp;
import org.opendialer.sip.OutboundCall;
import org.opendialer.sip.RangeRtpPortAllocator;
import org.opendialer.sip.RtpFormat;
import org.opendialer.sip.SipAgentException;
import org.opendialer.sip.SipSettings;
import org.opendialer.sip.SipUserAgent;

/**
 * A pretend carrier on loopback for trying the dialer without a SIP trunk. The gateway uses
 * {@link #trunkUri()} as its trunk, so calls take the real SIP and RTP path; the sandbox answers its
 * {@link #testNumbers()} (echo, tone, busy, declined, no answer, delayed answer) and, on request, calls a
 * user ({@link #callUser}). Its own SIP side is the gateway's {@link SipUserAgent}, whose "trunk" is the
 * gateway. Every log line starts with "SANDBOX". See docs/sandbox.md.
 *
 * <pre>
 * try (Sandbox sandbox = Sandbox.start(new SandboxSettings("127.0.0.1", 0, "sip:127.0.0.1:5060", 21000, 21199))) {
 *     String trunk = sandbox.trunkUri(); // e.g. sip:127.0.0.1:35123
 * }
 * </pre>
 */
public final class Sandbox implements AutoCloseable {
    /** Calls at once beyond which new ones get 503: a demo carrier, not a load generator. */
    static final int MAX_CALLS = 32;
    /** Test-number calls end after this long, so a forgotten echo call does not hold a socket for days. */
    static final Duration MAX_CALL_DURATION = Duration.ofMinutes(10);
    /** The SIP agent's own limit for a call that rings unanswered (the no-answer number, a call-me call). */
    static final Duration RING_BACKSTOP = Duration.ofMinutes(3);
    private static final Pattern TARGET = Pattern.compile("\\+?[0-9]{2,15}");

    private final SandboxSettings settings;
    private final SipUserAgent agent;
    private final MediaPump pump;
    private final RangeRtpPortAllocator rtpPorts;
    private final Set<SandboxCall> calls = ConcurrentHashMap.newKeySet();
    private SandboxCall callMe;
    private String callMeTarget;
    private long lastCallMeNanos;
    private boolean callMeEverPlaced;
    private boolean closed;

    private Sandbox(SandboxSettings settings, int sipPort, MediaPump pump, RangeRtpPortAllocator rtpPorts) {
        this.settings = settings;
        this.pump = pump;
        this.rtpPorts = rtpPorts;
        SipSettings sip = new SipSettings(settings.listenAddress(), sipPort, settings.listenAddress(),
                SipSettings.Trunk.parse(settings.gatewaySipUri()), null, null, RING_BACKSTOP, null);
        this.agent = new SipUserAgent(sip, new TestNumberHandler(this)); // not started yet: nothing calls it
    }

    /**
     * Opens the sandbox's SIP port and starts answering.
     *
     * @throws IOException when no SIP port could be bound
     */
    public static Sandbox start(SandboxSettings settings) throws IOException {
        InetAddress bind = InetAddress.getByName(settings.listenAddress());
        RangeRtpPortAllocator rtpPorts = new RangeRtpPortAllocator(bind, settings.rtpPortMin(), settings.rtpPortMax());
        MediaPump pump = new MediaPump();
        IOException lastFailure = null;
        // A port found free can be taken before the stack binds it: try a few.
        for (int attempt = 0; attempt < (settings.sipPort() == 0 ? 5 : 1); attempt++) {
            int port = settings.sipPort() != 0 ? settings.sipPort() : freeSipPort(bind);
            SandboxLog.info("starting the sandbox carrier on " + settings.listenAddress() + ":" + port
                    + " (not a real carrier; its numbers never leave this machine), calling the gateway at "
                    + settings.gatewaySipUri());
            Sandbox sandbox = new Sandbox(settings, port, pump, rtpPorts);
            try {
                sandbox.agent.start();
                SandboxLog.info("test numbers: " + TestNumbers.summary());
                return sandbox;
            } catch (SipAgentException e) {
                lastFailure = new IOException("SANDBOX: cannot listen on " + settings.listenAddress() + ":" + port, e);
            }
        }
        pump.close();
        throw lastFailure;
    }

    /** The SIP URI the gateway should use as its trunk, e.g. {@code sip:127.0.0.1:35123}. */
    public String trunkUri() {
        String host = settings.listenAddress().contains(":") ? "[" + settings.listenAddress() + "]"
                : settings.listenAddress();
        return "sip:" + host + ":" + agent.settings().port();
    }

    public SandboxSettings settings() {
        return settings;
    }

    /** The numbers the sandbox answers, in the order the docs and the demo list them. */
    public List<TestNumber> testNumbers() {
        return TestNumbers.ALL;
    }

    /**
     * Makes the sandbox call a gateway user (their number or extension): the "try an inbound call" control.
     * When answered it plays the tone number's announcement and hangs up after
     * {@link SandboxSettings#callMeDuration()} (30 s by default). The caller ID is the tone number.
     *
     * @throws IllegalArgumentException when {@code numberOrExtension} is not digits (optionally with "+")
     * @throws CallMeRefusedException   (an IllegalStateException) when a call-me call is in progress or the
     *                                  last one started less than {@link SandboxSettings#callMeInterval()} ago
     * @throws IllegalStateException    when the sandbox is closed or the INVITE cannot be sent
     */
    public void callUser(String numberOrExtension) {
        if (numberOrExtension == null || !TARGET.matcher(numberOrExtension.strip()).matches()) {
            throw new IllegalArgumentException("a number or extension is 2 to 15 digits, optionally after '+'");
        }
        String target = numberOrExtension.strip();
        SandboxCall call;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("SANDBOX: the sandbox is stopped");
            }
            if (callMe != null) {
                throw new CallMeRefusedException("SANDBOX: the sandbox is already calling " + callMeTarget
                        + " (a call-me call is in progress); wait for it to end", settings.callMeDuration());
            }
            long sinceLast = System.nanoTime() - lastCallMeNanos;
            if (callMeEverPlaced && sinceLast < settings.callMeInterval().toNanos()) {
                Duration wait = settings.callMeInterval().minusNanos(sinceLast);
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                throw new CallMeRefusedException("SANDBOX: one call-me call at a time, at most one every "
                        + settings.callMeInterval().toSeconds() + " s; try again in " + seconds + " s",
                        Duration.ofSeconds(seconds));
            }
            if (calls.size() >= MAX_CALLS) {
                throw new CallMeRefusedException("SANDBOX: too many sandbox calls in progress", Duration.ofSeconds(30));
            }
            callMeEverPlaced = true;
            lastCallMeNanos = System.nanoTime();
            DatagramChannel rtp;
            try {
                rtp = rtpPorts.allocate();
            } catch (IOException e) {
                throw new IllegalStateException("SANDBOX: no free RTP port for the call-me call", e);
            }
            String label = "call-me " + TestNumbers.CALLER_ID + " -> " + target;
            SandboxCall[] holder = new SandboxCall[1];
            call = new SandboxCall(label, pump, remote -> playAnnouncement(holder[0], rtp, remote), this::forget);
            holder[0] = call;
            call.ownSocket(rtp);
            callMe = call;
            callMeTarget = target;
            calls.add(call);
            try {
                int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
                SandboxLog.info(label + ": calling the gateway user " + target);
                OutboundCall leg = agent.placeCall(TestNumbers.CALLER_ID, TestNumbers.CALLER_NAME, target,
                        agent.localOffer(port), call);
                call.setLeg(leg);
            } catch (IOException | SipAgentException e) {
                closeQuietly(rtp);
                call.end("not placed: " + e.getMessage());
                throw new IllegalStateException("SANDBOX: the call-me call could not be placed: " + e.getMessage(), e);
            }
        }
    }

    /** The call-me call was answered: play the announcement, hang up after the configured time. */
    private void playAnnouncement(SandboxCall call, DatagramChannel rtp, AudioSdp remote) {
        try {
            RtpFormat codec = remote.firstCommonCodec().orElseThrow();
            RtpSession media = new RtpSession(rtp, RtpSession.Mode.TONE, codec.payloadType(),
                    new InetSocketAddress(remote.address(), remote.port()), SandboxCall.mayWeSend(remote.direction()));
            call.startMedia(media);
            call.addTimer(pump.schedule(() -> call.hangUp("hung up after " + settings.callMeDuration().toSeconds()
                    + " s, the call-me limit"), settings.callMeDuration()));
        } catch (IOException | RuntimeException e) {
            closeQuietly(rtp);
            call.hangUp("media not started: " + e);
        }
    }

    private synchronized void forget(SandboxCall call) {
        calls.remove(call);
        if (callMe == call) {
            callMe = null;
        }
    }

    /** Sandbox calls not yet over, either direction. */
    public int activeCalls() {
        return calls.size();
    }

    // ---- for TestNumberHandler ----

    SipUserAgent agent() {
        return agent;
    }

    MediaPump pump() {
        return pump;
    }

    DatagramChannel allocateRtp() throws IOException {
        return rtpPorts.allocate();
    }

    /** Registers an inbound call; false (and nothing registered) when the sandbox is full or closed. */
    synchronized boolean admit(SandboxCall call) {
        if (closed || calls.size() >= MAX_CALLS) {
            return false;
        }
        calls.add(call);
        return true;
    }

    void forgetCall(SandboxCall call) {
        forget(call);
    }

    /** Hangs up every sandbox call, stops its SIP port and its media thread. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        agent.stop(); // CANCEL or BYE for every call still up
        for (SandboxCall call : List.copyOf(calls)) {
            call.end("ended: the sandbox stopped");
        }
        pump.close();
        SandboxLog.info("stopped");
    }

    private static int freeSipPort(InetAddress bind) throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(bind, 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(bind, port));
                    return port;
                } catch (IOException e) {
                    // taken on TCP: try another
                }
            }
        }
        throw new IOException("SANDBOX: no port free for both UDP and TCP on " + bind.getHostAddress());
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            SandboxLog.debug("RTP socket not closed: " + e);
        }
    }
}
