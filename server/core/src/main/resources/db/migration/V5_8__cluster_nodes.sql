-- Cluster mode (DIALER_CLUSTER_SECRET; the node's name is DIALER_NODE_NAME): which node holds each call, and the nodes that are alive.
-- A call whose state is not 'disconnected' is live on its node: together they are the map of live
-- calls to nodes. A single gateway leaves node NULL.
ALTER TABLE calls ADD COLUMN node VARCHAR(64);
CREATE INDEX calls_node_state ON calls (node, state);

-- Each node's heartbeat (every 2 s). A node whose heartbeat is older than the cluster's bound is dead:
-- the survivors end its live calls as gateway_restart and remove its row.
CREATE TABLE cluster_nodes (
    name          VARCHAR(64) PRIMARY KEY,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
