package org.opendialer.sip;

import java.time.Duration;

/**
 * What a production trunk asks of the agent beyond plain RFC 3261 (docs/sip-trunks.md). The gateway builds it
 * from DIALER_SIP_SESSION_EXPIRES_S, DIALER_SIP_MIN_SE_S and DIALER_SIP_REGISTER.
 *
 * @param sessionExpires the session interval we ask for in our INVITEs (RFC 4028 Session-Expires); zero turns
 *                       session timers off on our side (we still answer a far end that asks for them)
 * @param minSessionExpires the smallest interval we accept (Min-SE); a request below it gets 422. RFC 4028 4
 *                          says at least 90 s on the wire; tests use less
 * @param registerTrunk  register with the trunk using DIALER_SIP_USERNAME/PASSWORD (trunks that authenticate by
 *                       REGISTER instead of by source address)
 * @param tlsPort        our SIP-over-TLS port (DIALER_SIP_TLS_PORT), opened with a TLS trunk or our own certificate
 * @param tlsCaFile      PEM file of the CA certificates a TLS trunk's certificate must chain to
 *                       (DIALER_SIP_TLS_CA_FILE); null means the JVM's trust store
 * @param srtp           SRTP-SDES toward the trunk (DIALER_SIP_SRTP)
 * @param tlsCertFile    PEM certificate chain of the gateway's own SIP TLS identity (DIALER_SIP_TLS_CERT): with it
 *                       the TLS port takes connections a carrier opens itself; null means none
 * @param tlsKeyFile     its PEM private key (DIALER_SIP_TLS_KEY)
 * @param tlsMaxConnections inbound TLS connections open at once (DIALER_SIP_TLS_MAX_CONNECTIONS); more are closed
 *                       at once
 */
public record TrunkOptions(Duration sessionExpires, Duration minSessionExpires, boolean registerTrunk, int tlsPort,
                           String tlsCaFile, SrtpMode srtp, String tlsCertFile, String tlsKeyFile,
                           int tlsMaxConnections) {
    public static final int DEFAULT_TLS_MAX_CONNECTIONS = 100;
    private static final Duration DEFAULT_SE = Duration.ofSeconds(1800);
    private static final Duration DEFAULT_MIN_SE = Duration.ofSeconds(90);
    public static final int DEFAULT_TLS_PORT = 5061;
    public static final TrunkOptions DEFAULT = new TrunkOptions(DEFAULT_SE, DEFAULT_MIN_SE, false);

    /** Options without TLS or SRTP settings: port 5061, the JVM's trust store, SRTP off. */
    public TrunkOptions(Duration sessionExpires, Duration minSessionExpires, boolean registerTrunk) {
        this(sessionExpires, minSessionExpires, registerTrunk, DEFAULT_TLS_PORT, null, SrtpMode.OFF);
    }

    /** Options without a TLS identity of our own. */
    public TrunkOptions(Duration sessionExpires, Duration minSessionExpires, boolean registerTrunk, int tlsPort,
                        String tlsCaFile, SrtpMode srtp) {
        this(sessionExpires, minSessionExpires, registerTrunk, tlsPort, tlsCaFile, srtp, null, null,
                DEFAULT_TLS_MAX_CONNECTIONS);
    }

    public TrunkOptions {
        srtp = srtp == null ? SrtpMode.OFF : srtp;
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "the SIP TLS certificate and key go together");
        }
        if (tlsMaxConnections < 1) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "at least one inbound SIP TLS connection: " + tlsMaxConnections);
        }
        if (tlsPort < 1 || tlsPort > 65535) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "SIP TLS port out of range: " + tlsPort);
        }
        sessionExpires = sessionExpires == null ? DEFAULT_SE : sessionExpires;
        minSessionExpires = minSessionExpires == null ? DEFAULT_MIN_SE : minSessionExpires;
        if (minSessionExpires.toSeconds() < 1) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "Min-SE must be at least 1 s");
        }
        if (!sessionExpires.isZero() && sessionExpires.compareTo(minSessionExpires) < 0) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "Session-Expires " + sessionExpires.toSeconds() + " s is below Min-SE "
                            + minSessionExpires.toSeconds() + " s");
        }
    }

    public TrunkOptions withSessionTimer(Duration expires, Duration minimum) {
        return new TrunkOptions(expires, minimum, registerTrunk, tlsPort, tlsCaFile, srtp, tlsCertFile, tlsKeyFile,
                tlsMaxConnections);
    }

    public TrunkOptions withRegisterTrunk(boolean register) {
        return new TrunkOptions(sessionExpires, minSessionExpires, register, tlsPort, tlsCaFile, srtp, tlsCertFile, tlsKeyFile,
                tlsMaxConnections);
    }

    /** Our TLS port and the CA file (null: the JVM's trust store) a TLS trunk is verified against. */
    public TrunkOptions withTls(int port, String caFile) {
        return new TrunkOptions(sessionExpires, minSessionExpires, registerTrunk, port, caFile, srtp, tlsCertFile, tlsKeyFile,
                tlsMaxConnections);
    }

    public TrunkOptions withSrtp(SrtpMode mode) {
        return new TrunkOptions(sessionExpires, minSessionExpires, registerTrunk, tlsPort, tlsCaFile, mode, tlsCertFile, tlsKeyFile,
                tlsMaxConnections);
    }

    /**
     * The gateway's own certificate and key (PEM files) for TLS connections a carrier opens to the TLS port, and
     * how many may be open at once.
     */
    public TrunkOptions withServerCertificate(String certFile, String keyFile, int maxConnections) {
        return new TrunkOptions(sessionExpires, minSessionExpires, registerTrunk, tlsPort, tlsCaFile, srtp, certFile,
                keyFile, maxConnections);
    }

    /** Whether the TLS port takes connections a carrier opens (a certificate of our own is configured). */
    public boolean acceptsTls() {
        return tlsCertFile != null;
    }

    int sessionExpiresS() {
        return (int) sessionExpires.toSeconds();
    }

    int minSeS() {
        return (int) minSessionExpires.toSeconds();
    }
}
