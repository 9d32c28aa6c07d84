package org.opendialer.sandbox;

import org.opendialer.testkit.PortBlocks;

/**
 * SIPp ports in 30000-32999, free on UDP and TCP together with the next five (SIPp's media ports), in
 * blocks of ten from a per-process offset. The sandbox's own RTP uses 33000-34999.
 */
final class FreePorts {
    static final int RTP_MIN = 33000;
    static final int RTP_MAX = 34999;
    private static final PortBlocks SIPP = new PortBlocks(30000, 32990, 10, 6);

    private FreePorts() {
    }

    static int next() {
        return SIPP.next();
    }
}
