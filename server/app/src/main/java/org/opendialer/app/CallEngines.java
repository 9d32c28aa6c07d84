package org.opendialer.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.opendialer.core.accounts.AccountService;
import org.opendialer.core.accounts.Database;
import org.opendialer.core.calls.CallEngine;
import org.opendialer.core.calls.CallStore;
import org.opendialer.core.config.NetworkConfig;
import org.opendialer.core.config.SipConfig;
import org.opendialer.media.relay.MediaRelay;
import org.opendialer.media.relay.RelaySettings;
import org.opendialer.sip.SipSettings;

/** Builds the media relay, and the call engine with its SIP user agent, from the configuration (not started). */
public final class CallEngines {
    private CallEngines() {}

    /** Opens the shared WebRTC port and the RTP port range, without ICE-TCP; close it after the engine. */
    public static MediaRelay openRelay(SipConfig sip) throws IOException {
        return openRelay(sip, new NetworkConfig(0, java.util.List.of(), java.util.Optional.empty(),
                java.time.Duration.ofDays(1), java.time.Duration.ofSeconds(10)));
    }

    /** As {@link #openRelay(SipConfig)}, with the ICE-TCP port and the media connect timeout of {@code network}. */
    public static MediaRelay openRelay(SipConfig sip, NetworkConfig network) throws IOException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(sip.listenAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("DIALER_SIP_LISTEN_ADDRESS: unknown host " + sip.listenAddress(), e);
        }
        return MediaRelay.open(new RelaySettings(bind, sip.webRtcPort(), sip.webRtcAddress(), sip.rtpPortMin(),
                sip.rtpPortMax(), sip.rtpTimeout(), network.webRtcTcpPort(), network.mediaConnectTimeout()));
    }

    public static CallEngine create(SipConfig sip, AccountService accounts, Database db, MediaRelay relay,
                                    Clock clock) {
        return create(sip, accounts, db, relay, clock, null);
    }

    /** As above; {@code clusterNode} (or null) is stored with each call this node holds. */
    public static CallEngine create(SipConfig sip, AccountService accounts, Database db, MediaRelay relay,
                                    Clock clock, String clusterNode) {
        // Always settings, trunk or not: PBX-mode users need the agent too. Without a trunk the SIP port opens
        // at the first PBX registration.
        SipSettings settings = new SipSettings(sip.listenAddress(), sip.port(), sip.publicAddress().orElse(null),
                sip.trunk().map(SipSettings.Trunk::parse).orElse(null), sip.username().orElse(null),
                sip.password().orElse(null), sip.ringTimeout(), null, sip.allowedSources(), sip.trunkOptions());
        return new CallEngine(accounts, new CallStore(db, clusterNode), settings, relay, sip.ringTimeout(), clock);
    }
}
