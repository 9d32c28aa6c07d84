package org.opendialer.core.calls;

/**
 * Told of every state of every call, after it is saved to the call log and handed to the dialers:
 * metrics and webhooks hook in here. Runs on the engine thread, so a call's states arrive in order;
 * an observer must be quick and never wait on the network (write a row or count, then return).
 */
public interface CallObserver {
    CallObserver NONE = (userId, view, sinceSipAnswerNanos) -> {};

    /**
     * @param sinceSipAnswerNanos for the answered state of a call the SIP side answered, the time from
     *                            the 2xx's arrival to now (the event handed to the dialers); else -1
     */
    void callChanged(long userId, CallView view, long sinceSipAnswerNanos);

    /** Tells {@code first}, then {@code second}; a failure of the first does not keep it from the second. */
    static CallObserver both(CallObserver first, CallObserver second) {
        return (userId, view, nanos) -> {
            try {
                first.callChanged(userId, view, nanos);
            } finally {
                second.callChanged(userId, view, nanos);
            }
        };
    }
}
