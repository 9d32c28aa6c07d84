-- PBX mode: a user's own SIP account on an existing PBX (docs/admin-api.md, docs/decisions/0005).
-- Portable subset of SQL: runs unchanged on H2 2.x and PostgreSQL 15.
-- sip_password is stored as given: digest authentication (RFC 2617) needs the password itself (or
-- HA1, which is just as good to an attacker for that realm). It is never returned by the admin API
-- and never logged.

CREATE TABLE sip_accounts (
    user_id       BIGINT       NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    registrar     VARCHAR(255) NOT NULL,
    sip_username  VARCHAR(64)  NOT NULL,
    auth_username VARCHAR(64),
    sip_password  VARCHAR(128) NOT NULL,
    -- The user part of the Contact the gateway registers: random, so that an INVITE from the PBX is
    -- routed to this account whatever its To header says.
    contact_token CHAR(24)     NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sip_accounts_contact_token_key UNIQUE (contact_token)
);
