package org.opendialer.sandbox;

import java.time.Duration;

/**
 * Where the sandbox carrier listens and whom it calls.
 *
 * @param listenAddress  address of its SIP port and RTP sockets; blank means 127.0.0.1 (keep it on loopback)
 * @param sipPort        its SIP port (UDP and TCP); 0 picks a free one
 * @param gatewaySipUri  the gateway's SIP URI, where "call me" INVITEs go, e.g. {@code sip:127.0.0.1:5060}
 * @param rtpPortMin     lowest UDP port of its RTP sockets (one even port per answered call)
 * @param rtpPortMax     highest UDP port of its RTP sockets
 * @param callMeDuration how long a "call me" call plays its announcement before the sandbox hangs up
 * @param callMeInterval the least time between two "call me" calls
 */
public record SandboxSettings(String listenAddress, int sipPort, String gatewaySipUri, int rtpPortMin,
                              int rtpPortMax, Duration callMeDuration, Duration callMeInterval) {
    public static final Duration DEFAULT_CALL_ME_DURATION = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CALL_ME_INTERVAL = Duration.ofSeconds(10);

    public SandboxSettings {
        if (listenAddress == null || listenAddress.isBlank()) {
            listenAddress = "127.0.0.1";
        }
        if (sipPort < 0 || sipPort > 65535) {
            throw new IllegalArgumentException("sandbox SIP port out of range: " + sipPort);
        }
        if (gatewaySipUri == null || !gatewaySipUri.regionMatches(true, 0, "sip:", 0, 4)) {
            throw new IllegalArgumentException("the gateway's SIP URI must start with sip: (" + gatewaySipUri + ")");
        }
        if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMin > rtpPortMax) {
            throw new IllegalArgumentException("bad sandbox RTP port range " + rtpPortMin + "-" + rtpPortMax);
        }
        callMeDuration = callMeDuration == null ? DEFAULT_CALL_ME_DURATION : callMeDuration;
        callMeInterval = callMeInterval == null ? DEFAULT_CALL_ME_INTERVAL : callMeInterval;
        if (callMeDuration.isNegative() || callMeDuration.isZero() || callMeInterval.isNegative()) {
            throw new IllegalArgumentException("call-me duration must be positive and its interval not negative");
        }
    }

    /** Settings with the default call-me limits: 30 s calls, at most one every 10 s. */
    public SandboxSettings(String listenAddress, int sipPort, String gatewaySipUri, int rtpPortMin, int rtpPortMax) {
        this(listenAddress, sipPort, gatewaySipUri, rtpPortMin, rtpPortMax, null, null);
    }

    /** A copy with other call-me limits (tests shorten them). */
    public SandboxSettings withCallMeLimits(Duration duration, Duration interval) {
        return new SandboxSettings(listenAddress, sipPort, gatewaySipUri, rtpPortMin, rtpPortMax, duration, interval);
    }
}
