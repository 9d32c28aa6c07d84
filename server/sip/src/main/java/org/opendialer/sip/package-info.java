/**
 * The gateway's SIP user agent toward one trunk, with no HTTP and no dependency on the rest of the gateway.
 *
 * <p>Entry point: {@link org.opendialer.sip.SipUserAgent} built from {@link org.opendialer.sip.SipSettings}
 * (the gateway fills it from its configuration keys). Outbound calls are
 * {@link org.opendialer.sip.OutboundCall}s; INVITEs from the trunk reach an
 * {@link org.opendialer.sip.InboundCallHandler} as {@link org.opendialer.sip.InboundCall}s. Both report to a
 * {@link org.opendialer.sip.CallListener}, on one event thread per agent, in order; a listener must not block.
 * Media descriptions are {@link org.opendialer.sip.AudioSdp} (G.711 and RFC 4733 events); RTP ports come
 * from an {@link org.opendialer.sip.RtpPortAllocator}. Every failure crossing the module boundary is a
 * {@link org.opendialer.sip.SipAgentException} with a reason.
 *
 * <p>Built on NIST JAIN-SIP (Jitsi's open-source-only build); see docs/decisions/0002-sip-stack.md.
 */
package org.opendialer.sip;
