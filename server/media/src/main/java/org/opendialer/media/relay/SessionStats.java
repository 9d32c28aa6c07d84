package org.opendialer.media.relay;

import java.time.Instant;

/**
 * One session's media, per direction.
 *
 * @param aToB what side A sent toward side B
 * @param bToA what side B sent toward side A
 */
public record SessionStats(Direction aToB, Direction bToA) {
    /**
     * @param packetsForwarded RTP packets relayed
     * @param bytesForwarded   RTP payload bytes relayed (headers excluded)
     * @param packetsDropped   RTP packets from the sender that were not relayed (see {@link RelayStats})
     * @param lastPacket       when the sender's last RTP packet arrived, or null if none yet
     */
    public record Direction(long packetsForwarded, long bytesForwarded, long packetsDropped, Instant lastPacket) {
    }
}
