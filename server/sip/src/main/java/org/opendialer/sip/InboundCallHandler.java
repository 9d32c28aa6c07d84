package org.opendialer.sip;

/**
 * Decides what happens to an INVITE from the trunk. Called on the agent's event thread; must not block.
 * Typical: look up {@link InboundCall#to()}; if it is a user, {@code call.ring()} and return a listener,
 * answering later with {@code call.answer(sdp)}; otherwise {@code call.reject(404)}.
 * A call neither answered nor rejected within the ring timeout gets 480.
 */
@FunctionalInterface
public interface InboundCallHandler {
    /** Returns the listener for this call's later events (cancel, remote hang-up, re-INVITE); may be null. */
    CallListener onInvite(InboundCall call);

    /** Rejects every call with 404: for an agent that only places calls. */
    InboundCallHandler REJECT_ALL = call -> {
        call.reject(404);
        return null;
    };
}
