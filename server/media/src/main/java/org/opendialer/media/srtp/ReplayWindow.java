package org.opendialer.media.srtp;

/** The 64-packet sliding replay list of RFC 3711 §3.3.2, over 48-bit (RTP) or 31-bit (RTCP) indexes. */
final class ReplayWindow {
    static final int SIZE = 64;
    private long highest = -1;
    private long seen; // bit k set: index (highest - k) was accepted

    boolean isFresh(long index) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long behind = highest - index;
        return behind < SIZE && (seen & (1L << behind)) == 0;
    }

    /** Only after the packet authenticated, or a forger could move the window (§3.3.2). */
    void accept(long index) {
        if (highest < 0) {
            highest = index;
            seen = 1;
        } else if (index > highest) {
            long ahead = index - highest;
            seen = ahead >= SIZE ? 1 : (seen << ahead) | 1;
            highest = index;
        } else {
            seen |= 1L << (highest - index);
        }
    }
}
