package org.opendialer.media.webrtc;

import java.net.InetSocketAddress;

/** Where a leg's packets go: a UDP address on the shared port, or one ICE-TCP connection. */
interface PacketPath {
    /** Sends one packet (STUN, DTLS or SRTP); a packet that cannot leave now is dropped. */
    void send(byte[] buf, int off, int len);

    /** The browser's address on this path. */
    InetSocketAddress address();
}
