package org.opendialer.media.relay;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the relay listens and for how long a silent leg is tolerated.
 *
 * @param bindAddress       local address of every socket (the WebRTC port and the RTP ports)
 * @param webRtcPort        the one UDP port all browser legs share (DIALER_WEBRTC_PORT); 0 = any
 * @param advertisedAddress the address written into SDP answers and the host candidate
 *                          (the public address behind a 1:1 NAT); null = bindAddress
 * @param rtpPortMin        first port for SIP-side RTP (DIALER_RTP_PORTS); RTP takes even ports,
 *                          RTCP the odd port above
 * @param rtpPortMax        last port of that range, inclusive
 * @param rtpTimeout        a leg that sends nothing this long, while not held, times out
 *                          (DIALER_RTP_TIMEOUT_S)
 * @param webRtcTcpPort     the passive ICE-TCP candidate's port (DIALER_WEBRTC_TCP_PORT): 0 = none,
 *                          -1 = the same number as the bound UDP port
 * @param connectTimeout    after {@link MediaSession#answered()}, a browser side whose leg never completed
 *                          ICE and DTLS this long is reported as failed (DIALER_MEDIA_CONNECT_TIMEOUT_S)
 */
public record RelaySettings(InetAddress bindAddress, int webRtcPort, String advertisedAddress,
                            int rtpPortMin, int rtpPortMax, Duration rtpTimeout, int webRtcTcpPort,
                            Duration connectTimeout) {
    /** Without ICE-TCP, 10 s to connect. */
    public RelaySettings(InetAddress bindAddress, int webRtcPort, String advertisedAddress, int rtpPortMin,
                         int rtpPortMax, Duration rtpTimeout) {
        this(bindAddress, webRtcPort, advertisedAddress, rtpPortMin, rtpPortMax, rtpTimeout, 0, Duration.ofSeconds(10));
    }

    public RelaySettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        if (webRtcTcpPort < -1 || webRtcTcpPort > 65535) {
            throw new IllegalArgumentException("webRtcTcpPort out of range: " + webRtcTcpPort);
        }
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(rtpTimeout, "rtpTimeout");
        if (webRtcPort < 0 || webRtcPort > 65535) {
            throw new IllegalArgumentException("webRtcPort out of range: " + webRtcPort);
        }
        if (rtpPortMin < 1 || rtpPortMax > 65535 || rtpPortMin > rtpPortMax) {
            throw new IllegalArgumentException("bad RTP port range " + rtpPortMin + "-" + rtpPortMax);
        }
        int firstEven = rtpPortMin + (rtpPortMin & 1);
        if (firstEven + 1 > rtpPortMax) {
            throw new IllegalArgumentException("RTP port range " + rtpPortMin + "-" + rtpPortMax
                    + " holds no even/odd pair for RTP and RTCP");
        }
        if (rtpTimeout.isNegative() || rtpTimeout.isZero()) {
            throw new IllegalArgumentException("rtpTimeout must be positive");
        }
        if (advertisedAddress == null || advertisedAddress.isBlank()) {
            if (bindAddress.isAnyLocalAddress()) {
                throw new IllegalArgumentException("advertisedAddress is required when binding the wildcard address");
            }
            advertisedAddress = bindAddress.getHostAddress();
        }
    }
}
