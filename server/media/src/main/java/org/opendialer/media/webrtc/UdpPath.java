package org.opendialer.media.webrtc;

import java.net.InetSocketAddress;

/** A browser address on the shared UDP port. */
record UdpPath(WebRtcEndpoint endpoint, InetSocketAddress address) implements PacketPath {
    @Override
    public void send(byte[] buf, int off, int len) {
        endpoint.send(buf, off, len, address);
    }
}
