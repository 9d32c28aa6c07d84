package org.opendialer.media.relay;

import java.util.concurrent.ThreadLocalRandom;
import org.opendialer.media.rtp.RtpRewriter;

/**
 * One direction of a session (A→B or B→A): the sender's reception statistics, the rewriter
 * that makes one continuous outgoing stream toward the receiver, and the counters. Guarded by
 * its own monitor: only the thread receiving from the sender and, every few seconds, the
 * timer take it, so the lock is per call and in practice uncontended.
 */
final class Direction {
    final RtpRewriter rewriter = new RtpRewriter(ThreadLocalRandom.current().nextInt());
    final ReceptionStats reception = new ReceptionStats();
    long received;
    long packets;
    long bytes;
    long dropped;
    /** Output timestamp and System.nanoTime() of the last packet sent toward the receiver. */
    long lastSentTimestamp;
    long lastSentNanos;
    /** What the sender's RTCP told us, for the LSR/DLSR of our report to it (RFC 3550 §6.4.1). */
    long lastSrMiddle = -1;
    long lastSrNanos;
    volatile long lastPacketNanos;
}
