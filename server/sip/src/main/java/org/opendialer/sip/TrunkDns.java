package org.opendialer.sip;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How the trunk's host name is located (RFC 3263, {@link TrunkLocator}) and when a server that does not answer is
 * given up for the next one. The gateway builds it from DIALER_SIP_DNS_SERVER and DIALER_SIP_FAILOVER_MS.
 *
 * @param server          the DNS server to ask, or null for the system's resolver (/etc/resolv.conf, /etc/hosts)
 * @param lookupTimeout   the bound on one whole location (NAPTR, SRV and address queries together)
 * @param failoverTimeout how long an INVITE may go without any response from one server before it is sent to
 *                        the next (RFC 3263 4.3); a 503 or a transport error moves on at once
 */
public record TrunkDns(InetSocketAddress server, Duration lookupTimeout, Duration failoverTimeout) {
    public static final TrunkDns SYSTEM = new TrunkDns(null, null, null);

    public TrunkDns {
        lookupTimeout = lookupTimeout == null ? Duration.ofSeconds(5) : lookupTimeout;
        failoverTimeout = failoverTimeout == null ? Duration.ofSeconds(3) : failoverTimeout;
        if (lookupTimeout.toMillis() < 3 || failoverTimeout.isNegative() || failoverTimeout.isZero()) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "DNS timeouts must be positive");
        }
    }
}
