package org.opendialer.sip;

import org.opendialer.testkit.PortBlocks;

/**
 * Ports free for both UDP and TCP on 127.0.0.1, with the next five free as well (SIPp binds port+2 to
 * port+5 for its audio and video RTP/RTCP), in blocks of ten below the ephemeral ports.
 */
final class FreePorts {
    private static final PortBlocks SIPP = new PortBlocks(21000, 60000, 10, 6);

    private FreePorts() {
    }

    static int next() {
        return SIPP.next();
    }
}
