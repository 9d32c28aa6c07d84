-- Users whose trunk calls withhold their caller ID (admin API withhold_caller_id; docs/admin-api.md):
-- a row = withheld (anonymous From, Privacy: id, no P-Asserted-Identity). No row = presented.
-- Portable subset of SQL: runs unchanged on H2 2.x and PostgreSQL 15.

CREATE TABLE caller_id_withheld (
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE
);
