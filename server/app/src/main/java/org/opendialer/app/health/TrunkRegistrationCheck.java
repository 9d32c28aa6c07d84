package org.opendialer.app.health;

import java.util.Locale;
import java.util.function.Supplier;
import org.opendialer.sip.Registration;
import org.opendialer.sip.RegistrationState;

/**
 * The SIP edge, when the node registers with it (DIALER_SIP_REGISTER on: a carrier that routes by
 * registration, or a cluster's Kamailio): a node that is not registered there cannot be reached by its
 * inbound calls, so it is not healthy until the registrar has accepted it, and stops being healthy while
 * its registration fails (the agent logs each failure at WARN). Without a trunk registration there is
 * nothing to check.
 */
public final class TrunkRegistrationCheck implements NodeHealth.Check {
    private final Supplier<Registration> registration;
    private final String what;

    public TrunkRegistrationCheck(Supplier<Registration> registration) {
        this(registration, "the SIP trunk");
    }

    /** @param what the registrar as the reason names it ("the SIP edge (Kamailio)" for a cluster node's binding) */
    public TrunkRegistrationCheck(Supplier<Registration> registration, String what) {
        this.registration = registration;
        this.what = what;
    }

    @Override
    public String problem() {
        Registration r = registration.get();
        if (r == null) {
            return null;
        }
        RegistrationState state = r.state();
        if (state == RegistrationState.REGISTERED) {
            return null;
        }
        String at = r.account().registrar().host() + ":" + r.account().registrar().port();
        String why = r.failure();
        return "not registered with " + what + " at " + at + " (" + state.name().toLowerCase(Locale.ROOT)
                + (why == null ? "" : ": " + why) + ")";
    }

}
