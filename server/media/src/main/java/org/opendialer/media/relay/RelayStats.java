package org.opendialer.media.relay;

/**
 * Totals since the relay opened, for metrics and the benchmark.
 *
 * @param activeSessions  sessions not yet closed
 * @param packetsRelayed  RTP packets forwarded from one leg to the other
 * @param packetsDropped  RTP packets not forwarded (codec the receiver did not negotiate, no
 *                        receiver yet, send failure) plus datagrams refused on arrival (unknown
 *                        address or ICE username, malformed, oversized, failed SRTP authentication)
 */
public record RelayStats(int activeSessions, long packetsRelayed, long packetsDropped) {
}
