package org.opendialer.media.webrtc;

/**
 * Which of a leg's validated paths carries its media, as the controlled ICE-lite side (RFC 8445 §8.2):
 * the highest-priority pair the browser nominated. Firefox nominates aggressively (USE-CANDIDATE on every
 * check, RFC 5245 §8.1.1.2), so a TCP check may be nominated after the UDP pair it really uses; following
 * the latest nomination put the gateway's audio on TCP while Firefox sent on UDP. So a nominated path
 * replaces the selected one only when its pair priority is at least as high, or the selected one was
 * never nominated, or the browser stopped checking it ({@link #STALE_NANOS}: longer than the 5 s ±20 %
 * consent interval of RFC 7675, so a path in use is never taken for dead). An ICE restart starts afresh.
 * Guarded by the leg: UDP and TCP receive threads call {@link #offer} under its lock.
 */
final class PathSelection {
    /** Our candidates' priorities in the SDP answer (RFC 8445 §5.1.2.1; TCP: RFC 6544 §4.2), UDP above TCP. */
    static final long UDP_PRIORITY = 2130706431L;
    static final long TCP_PRIORITY = 2124414975L;
    static final long STALE_NANOS = 8_000_000_000L;

    private PacketPath selected;
    private boolean selectedNominated;
    private long selectedPriority;
    private long lastCheckNanos;

    /**
     * A valid check arrived on {@code path}; returns the path media should use now (possibly unchanged).
     *
     * @param checkPriority the check's PRIORITY attribute (the browser's candidate), or -1 when absent
     */
    synchronized PacketPath offer(PacketPath path, boolean tcp, boolean nominated, long checkPriority, long nowNanos) {
        long pair = pairPriority(checkPriority < 0 ? 0 : checkPriority, tcp ? TCP_PRIORITY : UDP_PRIORITY);
        if (selected != null && selected.equals(path)) {
            lastCheckNanos = nowNanos;
            if (nominated && (!selectedNominated || pair > selectedPriority)) {
                selectedNominated = true;
                selectedPriority = pair;
            }
            return selected;
        }
        boolean take = selected == null
                || nowNanos - lastCheckNanos > STALE_NANOS
                || nominated && (!selectedNominated || pair >= selectedPriority);
        if (take) {
            selected = path;
            selectedNominated = nominated;
            selectedPriority = nominated ? pair : -1;
            lastCheckNanos = nowNanos;
        }
        return selected;
    }

    /** ICE restart: the next nominated path is taken whatever its priority (the old paths may be gone). */
    synchronized void restarted() {
        selectedNominated = false;
        selectedPriority = -1;
    }

    /** RFC 8445 §6.1.2.3, G the controlling agent's (the browser's) candidate, D ours. */
    static long pairPriority(long g, long d) {
        return (1L << 32) * Math.min(g, d) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
    }
}
