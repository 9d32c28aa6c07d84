package org.opendialer.media.stun;

/**
 * What {@link IceLiteResponder} made of one datagram.
 *
 * @param response    bytes to send back to the sender, or null to stay silent
 * @param valid       the check authenticated: the sender's address may carry media
 * @param nominated   the check carried USE-CANDIDATE (RFC 8445 §7.3.1.5)
 * @param priority    the check's PRIORITY attribute (RFC 8445 §7.1.1), or -1 without one
 */
public record IceCheckResult(byte[] response, boolean valid, boolean nominated, long priority) {
    static final IceCheckResult IGNORED = new IceCheckResult(null, false, false);

    public IceCheckResult(byte[] response, boolean valid, boolean nominated) {
        this(response, valid, nominated, -1);
    }
}
