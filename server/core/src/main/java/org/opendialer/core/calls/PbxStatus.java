package org.opendialer.core.calls;

import java.util.Optional;
import org.opendialer.sip.RegistrationState;

/** What the admin API needs from PBX mode: a user's registration state, and word of a changed account. */
public interface PbxStatus {
    /** The state of the user's live registration; empty when none runs (no account, or no dialer connected). */
    Optional<RegistrationState> state(long userId);

    /** The user's PBX account was set, changed or removed. */
    void accountChanged(long userId);

    /** For a gateway without a call engine. */
    PbxStatus NONE = new PbxStatus() {
        @Override
        public Optional<RegistrationState> state(long userId) {
            return Optional.empty();
        }

        @Override
        public void accountChanged(long userId) {
        }
    };
}
