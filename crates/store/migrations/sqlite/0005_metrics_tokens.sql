-- Metrics tokens: what a server's metrics agent (Dokploy's) sends as `Token` with each
-- threshold report. Only the SHA-256 of a token is kept. Each names its server and tunes
-- the hysteresis of that server's thresholds. The state of each threshold is the monitor
-- state of its key (`threshold/<server>/<cpu|memory>`), not kept here.

CREATE TABLE metrics_tokens (
    id            TEXT PRIMARY KEY NOT NULL,
    server        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    margin        REAL NOT NULL,
    cool_off_secs INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
