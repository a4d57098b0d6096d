-- Metrics tokens: what a server's metrics agent sends as `Token` with each threshold report.
-- Only the SHA-256 of a token is kept. The state of each threshold is the monitor state of
-- its key (`threshold/<server>/<cpu|memory>`), not kept here.

CREATE TABLE metrics_tokens (
    id            TEXT COLLATE "C" PRIMARY KEY,
    server        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    margin        DOUBLE PRECISION NOT NULL,
    cool_off_secs BIGINT NOT NULL,
    created_at    BIGINT NOT NULL
);
