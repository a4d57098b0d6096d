-- The last state seen per state_key, so that an event with a state notifies only on a
-- transition. Written in the same transaction as the event, under a transaction-scoped
-- advisory lock on the key, so two nodes cannot both see a key's first bad state.
-- last_event_id is not a foreign key so that events may be pruned independently.

CREATE TABLE monitor_states (
    state_key     TEXT COLLATE "C" PRIMARY KEY,
    state         TEXT NOT NULL,
    changed_at    BIGINT NOT NULL,
    seen_at       BIGINT NOT NULL,
    last_event_id TEXT COLLATE "C" NOT NULL
);
