package org.opendialer.sip;

/**
 * Where a {@link Registration} stands.
 *
 * <pre>
 * REGISTERING ──2xx──▶ REGISTERED ──refresh fails──▶ FAILED ──backoff──▶ REGISTERING
 *      │
 *      └──failure──▶ FAILED          stop(): ──▶ UNREGISTERING ──2xx/timeout──▶ STOPPED
 * </pre>
 */
public enum RegistrationState {
    /** A REGISTER is on its way (first one, or a retry after a failure). */
    REGISTERING,
    /** The registrar accepted our binding; a refresh is scheduled before it expires. */
    REGISTERED,
    /** The last REGISTER failed (see {@link Registration#failure()}); a retry is scheduled. */
    FAILED,
    /** stop() sent Expires: 0 and waits for the answer. */
    UNREGISTERING,
    /** Stopped: nothing more will be sent. */
    STOPPED
}
