package org.opendialer.core.calls;

/** The final outcome, set exactly when a call becomes {@link CallState#DISCONNECTED}. */
public enum CallResult {
    ANSWERED("answered"),
    NOT_ANSWERED("not_answered");

    private final String wire;

    CallResult(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
