package org.opendialer.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A relay in its own process, driven through its control interface. */
interface SystemUnderTest extends AutoCloseable {
    String name();

    /** The relay process (for /proc/PID/stat and /proc/PID/status). */
    long pid();

    /**
     * Sets up call {@code id}: the browser's offer goes in; out come the SDP answer for the
     * browser and the relay's RTP address on the SIP side. {@code sipSide} is where the relay
     * must send the SIP side's RTP.
     */
    Leg setup(int id, String browserOffer, InetSocketAddress sipSide) throws IOException;

    void teardown(int id) throws IOException;

    /** The relay's own counters, if it has any to tell (logged with the results). */
    default String stats() {
        return "";
    }

    @Override
    void close();

    record Leg(String browserAnswer, InetSocketAddress relayRtp) {
    }
}
