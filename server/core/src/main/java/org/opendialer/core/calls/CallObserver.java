package org.opendialer.core.calls;

/**
 * Told of every state of every call: {@link #callSaved} once it is saved to the call log, before the
 * dialers are told (what must be as durable as the call log when a dialer sees the change: the webhook
 * outbox row), and {@link #callChanged} once it is handed to the dialers (metrics). Runs on the engine
 * thread, so a call's states arrive in order; an observer must be quick and never wait on the network
 * (write a row or count, then return).
 */
public interface CallObserver {
    CallObserver NONE = (userId, view, sinceSipAnswerNanos) -> {};

    /**
     * @param sinceSipAnswerNanos for the answered state of a call the SIP side answered, the time from
     *                            the 2xx's arrival to now (the event handed to the dialers); else -1
     */
    void callChanged(long userId, CallView view, long sinceSipAnswerNanos);

    /** The state is in the call log and no dialer has been told yet. */
    default void callSaved(long userId, CallView view) {}

    /** Tells {@code first}, then {@code second}; a failure of the first does not keep it from the second. */
    static CallObserver both(CallObserver first, CallObserver second) {
        return new CallObserver() {
            @Override
            public void callSaved(long userId, CallView view) {
                try {
                    first.callSaved(userId, view);
                } finally {
                    second.callSaved(userId, view);
                }
            }

            @Override
            public void callChanged(long userId, CallView view, long nanos) {
                try {
                    first.callChanged(userId, view, nanos);
                } finally {
                    second.callChanged(userId, view, nanos);
                }
            }
        };
    }
}
