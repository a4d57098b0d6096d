-- The last state seen per state_key, so that an event with a state notifies only on a
-- transition. Written in the same transaction as the event. last_event_id is the newest
-- event of the key; it is not a foreign key so that events may be pruned independently.

CREATE TABLE monitor_states (
    state_key     TEXT PRIMARY KEY NOT NULL,
    state         TEXT NOT NULL,
    changed_at    INTEGER NOT NULL,
    seen_at       INTEGER NOT NULL,
    last_event_id TEXT NOT NULL
);
