package org.opendialer.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The telephony part of the configuration: the SIP user agent, its RTP ports and the WebRTC port. {@code trunk} is
 * checked to be a SIP URI when read; the transport comes from its {@code ;transport=} parameter.
 * {@code allowedSources} (DIALER_SIP_ALLOWED_SOURCES) are the addresses besides the trunk and the PBX
 * registrars that may send INVITEs.
 */
public record SipConfig(
        Optional<String> trunk,
        String listenAddress,
        int port,
        Optional<String> username,
        Optional<String> password,
        Optional<String> publicAddress,
        Duration ringTimeout,
        int rtpPortMin,
        int rtpPortMax,
        int webRtcPort,
        String webRtcAddress,
        Duration rtpTimeout,
        org.opendialer.sip.SourceAllowList allowedSources,
        org.opendialer.sip.TrunkOptions trunkOptions) {

    public SipConfig {
        trunkOptions = trunkOptions == null ? org.opendialer.sip.TrunkOptions.DEFAULT : trunkOptions;
    }

    /** With the default session timers and no trunk registration. */
    public SipConfig(Optional<String> trunk, String listenAddress, int port, Optional<String> username,
                     Optional<String> password, Optional<String> publicAddress, Duration ringTimeout, int rtpPortMin,
                     int rtpPortMax, int webRtcPort, String webRtcAddress, Duration rtpTimeout,
                     org.opendialer.sip.SourceAllowList allowedSources) {
        this(trunk, listenAddress, port, username, password, publicAddress, ringTimeout, rtpPortMin, rtpPortMax,
                webRtcPort, webRtcAddress, rtpTimeout, allowedSources, null);
    }

    /** Without extra allowed INVITE sources (DIALER_SIP_ALLOWED_SOURCES unset). */
    public SipConfig(Optional<String> trunk, String listenAddress, int port, Optional<String> username,
                     Optional<String> password, Optional<String> publicAddress, Duration ringTimeout, int rtpPortMin,
                     int rtpPortMax, int webRtcPort, String webRtcAddress, Duration rtpTimeout) {
        this(trunk, listenAddress, port, username, password, publicAddress, ringTimeout, rtpPortMin, rtpPortMax,
                webRtcPort, webRtcAddress, rtpTimeout, org.opendialer.sip.SourceAllowList.NONE, null);
    }
}
