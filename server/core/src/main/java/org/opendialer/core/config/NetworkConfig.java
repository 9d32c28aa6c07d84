package org.opendialer.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How browsers' audio reaches the gateway when UDP does not: the passive ICE-TCP port and TURN servers
 * whose short-lived credentials the gateway mints (docs/configuration.md, decisions/0010).
 *
 * @param webRtcTcpPort       DIALER_WEBRTC_TCP_PORT: 0 = no ICE-TCP candidate
 * @param turnUrls            DIALER_TURN_URLS: turn:/turns: URLs handed to dialers as one ICE server; empty = none
 * @param turnSecret          DIALER_TURN_SECRET: the TURN server's static-auth-secret; present iff turnUrls is not empty
 * @param turnTtl             DIALER_TURN_TTL_S: how long minted TURN credentials stay valid
 * @param mediaConnectTimeout DIALER_MEDIA_CONNECT_TIMEOUT_S: an answered call whose browser leg never completed
 *                            ICE and DTLS in this time ends with media_failed
 */
public record NetworkConfig(int webRtcTcpPort, List<String> turnUrls, Optional<String> turnSecret, Duration turnTtl,
                            Duration mediaConnectTimeout) {
    public NetworkConfig {
        turnUrls = List.copyOf(turnUrls);
    }

    /** Whether dialers get TURN servers. */
    public boolean turnEnabled() {
        return !turnUrls.isEmpty();
    }

    @Override
    public String toString() { // never the secret
        return "NetworkConfig[webRtcTcpPort=" + webRtcTcpPort + ", turnUrls=" + turnUrls + ", turnTtl=" + turnTtl
                + ", mediaConnectTimeout=" + mediaConnectTimeout + "]";
    }
}
