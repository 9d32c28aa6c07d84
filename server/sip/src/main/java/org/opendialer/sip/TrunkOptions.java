package org.opendialer.sip;

import java.time.Duration;

/**
 * What a production trunk asks of the agent beyond plain RFC 3261 (docs/sip-trunks.md). The gateway builds it
 * from DIALER_SIP_SESSION_EXPIRES_S, DIALER_SIP_MIN_SE_S and DIALER_SIP_REGISTER.
 *
 * @param sessionExpires the session interval we ask for in our INVITEs (RFC 4028 Session-Expires); zero turns
 *                       session timers off on our side (we still answer a far end that asks for them)
 * @param minSessionExpires the smallest interval we accept (Min-SE); a request below it gets 422. RFC 4028 4
 *                          says at least 90 s on the wire; tests use less
 * @param registerTrunk  register with the trunk using DIALER_SIP_USERNAME/PASSWORD (trunks that authenticate by
 *                       REGISTER instead of by source address)
 */
public record TrunkOptions(Duration sessionExpires, Duration minSessionExpires, boolean registerTrunk) {
    private static final Duration DEFAULT_SE = Duration.ofSeconds(1800);
    private static final Duration DEFAULT_MIN_SE = Duration.ofSeconds(90);
    public static final TrunkOptions DEFAULT = new TrunkOptions(DEFAULT_SE, DEFAULT_MIN_SE, false);

    public TrunkOptions {
        sessionExpires = sessionExpires == null ? DEFAULT_SE : sessionExpires;
        minSessionExpires = minSessionExpires == null ? DEFAULT_MIN_SE : minSessionExpires;
        if (minSessionExpires.toSeconds() < 1) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS, "Min-SE must be at least 1 s");
        }
        if (!sessionExpires.isZero() && sessionExpires.compareTo(minSessionExpires) < 0) {
            throw new SipAgentException(SipAgentException.Reason.INVALID_SETTINGS,
                    "Session-Expires " + sessionExpires.toSeconds() + " s is below Min-SE "
                            + minSessionExpires.toSeconds() + " s");
        }
    }

    public TrunkOptions withSessionTimer(Duration expires, Duration minimum) {
        return new TrunkOptions(expires, minimum, registerTrunk);
    }

    public TrunkOptions withRegisterTrunk(boolean register) {
        return new TrunkOptions(sessionExpires, minSessionExpires, register);
    }

    int sessionExpiresS() {
        return (int) sessionExpires.toSeconds();
    }

    int minSeS() {
        return (int) minSessionExpires.toSeconds();
    }
}
