-- Tocsin's first schema, for PostgreSQL: the same tables and columns as the SQLite schema
-- of the same version. Instants are Unix milliseconds (BIGINT); ids are ULID text in the "C"
-- collation, so byte order is creation order, as in SQLite; JSON columns hold the text the
-- store wrote, read back by the codec SQLite's uses (the two lookups into them cast to jsonb
-- where they run); integers are BIGINT, read as i64 on both backends.

CREATE TABLE channels (
    id             TEXT COLLATE "C" PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    settings       TEXT NOT NULL,
    secrets        TEXT NOT NULL,
    enabled        BOOLEAN NOT NULL,
    tags           TEXT NOT NULL,
    retry_schedule TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE rules (
    id            TEXT COLLATE "C" PRIMARY KEY,
    name          TEXT NOT NULL,
    events        TEXT NOT NULL,
    matchers      TEXT NOT NULL,
    min_severity  TEXT,
    enabled       BOOLEAN NOT NULL,
    owner_channel TEXT COLLATE "C" UNIQUE REFERENCES channels(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE rule_channels (
    rule_id    TEXT COLLATE "C" NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    channel_id TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    PRIMARY KEY (rule_id, channel_id)
);
CREATE INDEX rule_channels_channel ON rule_channels(channel_id);

CREATE TABLE events (
    id              TEXT COLLATE "C" PRIMARY KEY,
    type            TEXT NOT NULL,
    title           TEXT NOT NULL,
    message         TEXT NOT NULL,
    severity        TEXT NOT NULL,
    source          TEXT NOT NULL,
    data            TEXT NOT NULL,
    idempotency_key TEXT COLLATE "C" UNIQUE,
    state_key       TEXT COLLATE "C",
    state           TEXT,
    occurred_at     BIGINT NOT NULL,
    received_at     BIGINT NOT NULL
);
CREATE INDEX events_type ON events(type, id);

-- The outbox and the queue in one: a row per event and channel. Workers of every node claim
-- from it with FOR UPDATE SKIP LOCKED: the partial index on the due time holds only the rows
-- that wait, so a claim reads the head of the queue and never the delivery log.
CREATE TABLE deliveries (
    id              TEXT COLLATE "C" PRIMARY KEY,
    event_id        TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    channel_id      TEXT COLLATE "C" NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    step            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_leased ON deliveries(lease_until) WHERE status = 'sending';
CREATE INDEX deliveries_channel ON deliveries(channel_id, id);
CREATE INDEX deliveries_event ON deliveries(event_id);
CREATE INDEX deliveries_status ON deliveries(status, id);

CREATE TABLE attempts (
    delivery_id      TEXT COLLATE "C" NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    number           BIGINT NOT NULL,
    started_at       BIGINT NOT NULL,
    duration_ms      BIGINT NOT NULL,
    status_code      BIGINT,
    outcome          TEXT NOT NULL,
    error            TEXT,
    response_excerpt TEXT,
    PRIMARY KEY (delivery_id, number)
);

CREATE TABLE api_tokens (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
