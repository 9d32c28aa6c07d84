-- Per-user exceptions to the destination policy against toll fraud (docs/admin-api.md,
-- destination_policy; docs/security.md). No row = the gateway's policy as configured.
-- Portable subset of SQL: runs unchanged on H2 2.x and PostgreSQL 15.
-- Versioned 4.1 so that a V4 added on another branch at the same time sorts before it.

CREATE TABLE destination_policies (
    user_id           BIGINT       NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    allow_premium     BOOLEAN      NOT NULL,
    -- ISO 3166 regions allowed besides DIALER_ALLOWED_COUNTRIES, comma-separated (at most 50).
    allowed_countries VARCHAR(200) NOT NULL
);
