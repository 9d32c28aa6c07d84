package org.opendialer.testkit;

/**
 * Even ports free for UDP and TCP on 127.0.0.1, with the next one free too (RTP/RTCP pairs), in 25000-29999:
 * the range the PBX-mode tests keep to, clear of the other suites' ports.
 */
public final class LoopbackPorts {
    private static final PortBlocks PAIRS = new PortBlocks(25000, 29990, 2, 2);

    private LoopbackPorts() {
    }

    public static int next() {
        return PAIRS.next();
    }
}
