-- Tocsin's first schema. Instants are Unix milliseconds; ids are ULID text (sortable by
-- creation time); JSON columns hold text.

CREATE TABLE channels (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    settings       TEXT NOT NULL,
    secrets        TEXT NOT NULL,
    enabled        INTEGER NOT NULL,
    tags           TEXT NOT NULL,
    retry_schedule TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE rules (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    events        TEXT NOT NULL,
    matchers      TEXT NOT NULL,
    min_severity  TEXT,
    enabled       INTEGER NOT NULL,
    owner_channel TEXT UNIQUE REFERENCES channels(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE rule_channels (
    rule_id    TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (rule_id, channel_id)
);
CREATE INDEX rule_channels_channel ON rule_channels(channel_id);

CREATE TABLE events (
    id              TEXT PRIMARY KEY NOT NULL,
    type            TEXT NOT NULL,
    title           TEXT NOT NULL,
    message         TEXT NOT NULL,
    severity        TEXT NOT NULL,
    source          TEXT NOT NULL,
    data            TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    state_key       TEXT,
    state           TEXT,
    occurred_at     INTEGER NOT NULL,
    received_at     INTEGER NOT NULL
);

-- The outbox and the queue in one: a row per event and channel.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY NOT NULL,
    event_id        TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    channel_id      TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    step            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_leased ON deliveries(lease_until) WHERE status = 'sending';
CREATE INDEX deliveries_channel ON deliveries(channel_id, id);
CREATE INDEX deliveries_event ON deliveries(event_id);
CREATE INDEX deliveries_status ON deliveries(status, id);

CREATE TABLE attempts (
    delivery_id      TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    duration_ms      INTEGER NOT NULL,
    status_code      INTEGER,
    outcome          TEXT NOT NULL,
    error            TEXT,
    response_excerpt TEXT,
    PRIMARY KEY (delivery_id, number)
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
