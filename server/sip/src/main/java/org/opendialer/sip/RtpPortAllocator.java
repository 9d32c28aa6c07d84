package org.opendialer.sip;

import java.io.IOException;
import java.nio.channels.DatagramChannel;

/** Gives each SIP leg a bound RTP socket; the port goes into the leg's SDP. The caller closes the channel. */
@FunctionalInterface
public interface RtpPortAllocator {
    DatagramChannel allocate() throws IOException;
}
