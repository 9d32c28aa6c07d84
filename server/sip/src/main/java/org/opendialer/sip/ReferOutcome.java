package org.opendialer.sip;

/**
 * What became of a REFER we sent ({@link SipCall#refer}): the far end's answer to it, then the progress it
 * reports in NOTIFYs with a {@code message/sipfrag} body (RFC 3515 2.4.5). Called on the agent's event
 * thread, in order; must not block. Exactly one {@link #ended} closes every REFER.
 */
public interface ReferOutcome {
    /** The far end accepted the REFER (202) and is calling the target. */
    default void accepted() {
    }

    /** A provisional status of the far end's call to the target (100, 180, 183). */
    default void progress(int status) {
    }

    /**
     * The REFER is over: {@code status} 2xx means the target answered; 300-699 is the final status of the far
     * end's call to the target, or its refusal of the REFER itself ({@code refused} true); 0 means no answer
     * came (the REFER or its final NOTIFY timed out, the subscription ended without a final status).
     */
    void ended(int status, String phrase, boolean refused);
}
