package org.opendialer.core.logging;

import org.slf4j.MDC;

/**
 * The call a piece of work belongs to, in the log context (SLF4J MDC key {@value #CALL_ID}) while it
 * runs, so its lines carry the call id in text and JSON logs alike (docs/operations.md, logs). Work
 * for the call engine arrives from the SIP stack, the media relay and timers, none of which know it.
 */
public final class CallLogContext {
    public static final String CALL_ID = "call_id";

    private CallLogContext() {}

    /** Runs {@code work} with {@code callId} in the log context (unchanged when null), then restores it. */
    public static void run(String callId, Runnable work) {
        if (callId == null) {
            work.run();
            return;
        }
        String previous = MDC.get(CALL_ID);
        MDC.put(CALL_ID, callId);
        try {
            work.run();
        } finally {
            if (previous == null) {
                MDC.remove(CALL_ID);
            } else {
                MDC.put(CALL_ID, previous);
            }
        }
    }
}
