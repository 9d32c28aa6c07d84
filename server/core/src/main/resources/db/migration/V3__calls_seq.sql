-- The seq of a call's last event (protocol.md part 3), so that a dialer that reconnects after a
-- gateway restart can be sent the call's final state with a seq newer than the last one it saw.
ALTER TABLE calls ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
