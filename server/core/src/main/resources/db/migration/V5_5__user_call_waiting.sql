-- Per-user call waiting (docs/admin-api.md, call_waiting): a row overrides DIALER_CALL_WAITING for its
-- user; no row = the gateway's setting. Portable subset of SQL: runs unchanged on H2 2.x and PostgreSQL 15.

CREATE TABLE user_call_waiting (
    user_id BIGINT  NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL
);
