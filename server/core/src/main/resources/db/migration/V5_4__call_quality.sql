-- Each answered call's quality summary (docs/call-quality.md, "The call log"), written once at the
-- call's end. NULL where a figure was never known; the sip_* columns are NULL when the call had no
-- SIP leg (an extension call). Deleted with its call.
CREATE TABLE call_quality (
    call_id            VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    samples            INT NOT NULL,
    mos_min            DOUBLE PRECISION,
    mos_avg            DOUBLE PRECISION,
    browser_samples    INT NOT NULL,
    browser_mos_min    DOUBLE PRECISION,
    browser_mos_avg    DOUBLE PRECISION,
    browser_loss_avg   DOUBLE PRECISION,
    browser_loss_max   DOUBLE PRECISION,
    browser_jitter_avg DOUBLE PRECISION,
    browser_jitter_max DOUBLE PRECISION,
    browser_rtt_avg    DOUBLE PRECISION,
    sip_samples        INT,
    sip_mos_min        DOUBLE PRECISION,
    sip_mos_avg        DOUBLE PRECISION,
    sip_loss_avg       DOUBLE PRECISION,
    sip_loss_max       DOUBLE PRECISION,
    sip_jitter_avg     DOUBLE PRECISION,
    sip_jitter_max     DOUBLE PRECISION,
    sip_rtt_avg        DOUBLE PRECISION
);
