package org.opendialer.core.calls;

/** Seen from the user who owns the call. */
public enum CallDirection {
    INBOUND("inbound"),
    OUTBOUND("outbound");

    private final String wire;

    CallDirection(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
