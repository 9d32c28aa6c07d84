package org.opendialer.app.ws;

/** The {@code error.code} values this gateway sends (docs/protocol.md, part 2). */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNKNOWN_METHOD("unknown_method"),
    INTERNAL_ERROR("internal_error"),
    INVALID_PHONE_NUMBER("invalid_phone_number"),
    AUTHENTICATION_REQUIRED("authentication_required"),
    INVALID_CREDENTIALS("invalid_credentials"),
    CALLS_UNAVAILABLE("calls_unavailable"),
    CALL_NOT_FOUND("call_not_found"),
    OUTGOING_CALL_ALREADY_RINGING("outgoing_call_already_ringing"),
    CALL_IN_PROGRESS("call_in_progress"),
    MEDIA_MOVED("media_moved"),
    DESTINATION_NOT_ALLOWED("destination_not_allowed"),
    CALL_RATE_LIMITED("call_rate_limited"),
    RATE_LIMITED("rate_limited"),
    TRANSFER_FAILED("transfer_failed"),
    /** The node drains (SIGTERM) and placed nothing; the dialer retries on the node it reconnects to. */
    NODE_DRAINING("node_draining");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
