package org.opendialer.core.calls;

/**
 * The state of a {@link Call} as the SDK shows it.
 *
 * <pre>
 *   connecting ──▶ answered ──▶ disconnected
 *        └──────────────────────────▲
 * </pre>
 *
 * Provisional responses (180/183) keep a call {@code connecting}; nothing leaves {@code disconnected}.
 */
public enum CallState {
    CONNECTING("connecting"),
    ANSWERED("answered"),
    DISCONNECTED("disconnected");

    private final String wire;

    CallState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isFinal() {
        return this == DISCONNECTED;
    }

    /** Whether {@code next} is a legal move from this state; staying in place is not a move. */
    public boolean canMoveTo(CallState next) {
        return switch (this) {
            case CONNECTING -> next == ANSWERED || next == DISCONNECTED;
            case ANSWERED -> next == DISCONNECTED;
            case DISCONNECTED -> false;
        };
    }

    public static CallState fromWire(String wire) {
        for (CallState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown call state " + wire);
    }
}
