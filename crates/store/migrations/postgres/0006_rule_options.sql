-- Mute windows (quiet hours), and what a rule does beyond choosing channels: the windows it
-- is muted by, what it does with events while muted, whether critical ones break through,
-- how often it repeats a bad state, and the template it puts on webhook channels.

CREATE TABLE mute_windows (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    time_zone  TEXT NOT NULL,
    intervals  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- mute: JSON list of mute window ids; a window named by a rule cannot be deleted.
ALTER TABLE rules ADD COLUMN mute TEXT NOT NULL DEFAULT '[]';
ALTER TABLE rules ADD COLUMN while_muted TEXT NOT NULL DEFAULT 'drop';
ALTER TABLE rules ADD COLUMN critical_breaks_through BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE rules ADD COLUMN repeat_interval_ms BIGINT;
ALTER TABLE rules ADD COLUMN template TEXT;
ALTER TABLE deliveries ADD COLUMN template TEXT;

-- When a rule last notified for a state_key, written in the event's transaction, so that
-- its repeat_interval counts from there.
CREATE TABLE rule_notifications (
    rule_id     TEXT COLLATE "C" NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    state_key   TEXT COLLATE "C" NOT NULL,
    notified_at BIGINT NOT NULL,
    PRIMARY KEY (rule_id, state_key)
);

-- Digests: a rule's digest_ms batches the events it takes per channel. The batch is one
-- delivery (digest_until: the end of its window; it takes new events while it is pending
-- and its window is open) and the events it holds (digest_events). Opening or joining a
-- channel's digest happens under a transaction-scoped advisory lock on the channel, so two
-- nodes cannot open two windows for one channel.
ALTER TABLE rules ADD COLUMN digest_ms BIGINT;
ALTER TABLE deliveries ADD COLUMN digest_until BIGINT;
CREATE INDEX deliveries_open_digest ON deliveries(channel_id, digest_until)
    WHERE digest_until IS NOT NULL AND status = 'pending';
CREATE TABLE digest_events (
    delivery_id TEXT COLLATE "C" NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (delivery_id, event_id)
);
CREATE INDEX digest_events_event ON digest_events(event_id);
