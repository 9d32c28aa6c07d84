package org.opendialer.media.dtls;

import java.io.IOException;

/** Where {@link QueuedDatagramTransport} sends: in production the shared UDP socket, toward one peer. */
@FunctionalInterface
public interface DatagramSink {
    void send(byte[] buf, int off, int len) throws IOException;
}
