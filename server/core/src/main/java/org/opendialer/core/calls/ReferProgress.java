package org.opendialer.core.calls;

import org.opendialer.sip.ReferOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blind transfer's REFER (decision 0027): the far end's answer to it and its NOTIFYs (RFC 3515), told to the
 * {@link BlindTransfer} as a target leg's responses would be. A 18x NOTIFY is the ring; a 2xx the answer (we
 * leave the dialog, RFC 5589 6.1); a failure NOTIFY, a refused REFER or no answer is the target's failure (the
 * caller back before the ring, a recall after it: the far end resumes our dialog, RFC 5589 6.3). The SIP agent
 * calls it on its event thread; everything runs on the engine thread.
 */
final class ReferProgress implements ReferOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(ReferProgress.class);

    private final BlindTransfer transfer;
    private final EngineThread thread;
    private final String callId;
    /** The far end took the REFER (202, or a NOTIFY that overtook it): its BYE now means it went on. */
    private boolean accepted;
    /** Whether the user had held the call when it ended: a recall resumes the leg. */
    private boolean userHeld;

    ReferProgress(BlindTransfer transfer, EngineThread thread, String callId) {
        this.transfer = transfer;
        this.thread = thread;
        this.callId = callId;
    }

    boolean isAccepted() {
        return accepted;
    }

    boolean userHeld() {
        return userHeld;
    }

    void userHeld(boolean held) {
        userHeld = held;
    }

    @Override
    public void accepted() {
        thread.execute(() -> accepted = true);
    }

    @Override
    public void progress(int status) {
        thread.execute(() -> {
            accepted = true; // a NOTIFY may overtake the 202 (RFC 3515 2.4.4)
            if (status >= 180) {
                transfer.rang();
            }
        });
    }

    @Override
    public void ended(int status, String phrase, boolean refused) {
        thread.execute(() -> {
            if (status / 100 == 2) {
                transfer.referSucceeded();
                return;
            }
            EndReason reason = status == 0 && !refused ? EndReason.NO_ANSWER : ReferTransfer.reasonFor(status);
            String detail = refused ? ": the REFER was refused, " + status + " " + phrase
                    : status == 0 ? ": " + phrase : ": " + status + " " + phrase;
            LOG.info("transfer of call {} by REFER failed{}", callId, detail);
            transfer.targetFailed(reason, detail);
        });
    }
}
