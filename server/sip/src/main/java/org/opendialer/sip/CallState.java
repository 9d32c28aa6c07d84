package org.opendialer.sip;

/**
 * The state of one SIP call leg, named after the dialog states of RFC 3261 section 12.
 *
 * <pre>
 *   INITIAL ──provisional──▶ EARLY ──2xx──▶ CONFIRMED ──BYE──▶ TERMINATED
 *      │                       │
 *      └──────hang up──────────┴──▶ CANCELING ──487 / 2xx (then ACK+BYE) / timeout──▶ TERMINATED
 *   any state ──failure, timeout, stop──▶ TERMINATED
 * </pre>
 */
public enum CallState {
    /** INVITE sent or received, no provisional response yet. */
    INITIAL,
    /** A provisional response (180/183) was sent or received. */
    EARLY,
    /** We sent CANCEL (outbound) and wait for the INVITE's final response. */
    CANCELING,
    /** Answered: 2xx sent or received. */
    CONFIRMED,
    /** Over; no further events. */
    TERMINATED;

    public boolean isFinal() {
        return this == TERMINATED;
    }

    public boolean canMoveTo(CallState next) {
        return switch (this) {
            case INITIAL -> next != INITIAL;
            case EARLY -> next == CANCELING || next == CONFIRMED || next == TERMINATED;
            case CANCELING, CONFIRMED -> next == TERMINATED;
            case TERMINATED -> false;
        };
    }
}
