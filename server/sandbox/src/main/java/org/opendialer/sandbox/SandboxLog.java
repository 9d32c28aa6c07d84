package org.opendialer.sandbox;

/**
 * The sandbox's log: every line starts with "SANDBOX" so nobody takes it for a real carrier's traffic.
 * System.Logger like the sip and media modules: the gateway routes it to its own logging.
 */
final class SandboxLog {
    private static final System.Logger LOG = System.getLogger("org.opendialer.sandbox");
    static final String PREFIX = "SANDBOX: ";

    private SandboxLog() {
    }

    static void info(String message) {
        LOG.log(System.Logger.Level.INFO, PREFIX + message);
    }

    static void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, PREFIX + message);
    }

    static void debug(String message) {
        LOG.log(System.Logger.Level.DEBUG, PREFIX + message);
    }
}
