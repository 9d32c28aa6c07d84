package org.opendialer.media.stun;

/**
 * What {@link IceLiteResponder} made of one datagram.
 *
 * @param response    bytes to send back to the sender, or null to stay silent
 * @param valid       the check authenticated: the sender's address may carry media
 * @param nominated   the check carried USE-CANDIDATE (RFC 8445 §7.3.1.5)
 */
public record IceCheckResult(byte[] response, boolean valid, boolean nominated) {
    static final IceCheckResult IGNORED = new IceCheckResult(null, false, false);
}
