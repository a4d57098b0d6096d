-- Tenants, project restrictions, token management and the audit log (as SQLite's 0008).
--
-- A channel or rule with a tenant belongs to that tenant (NULL: global, admin-owned); a
-- tenant's channel receives only events whose source.customer is the tenant. A channel's
-- projects (JSON list, empty: any) restrict it to events of those source.project values.
ALTER TABLE channels ADD COLUMN tenant TEXT;
ALTER TABLE channels ADD COLUMN projects TEXT NOT NULL DEFAULT '[]';
CREATE INDEX channels_tenant ON channels(tenant);
ALTER TABLE rules ADD COLUMN tenant TEXT;

-- A token bound to a tenant acts only on that tenant's objects; last_used_at is updated at
-- most once a minute per token.
ALTER TABLE api_tokens ADD COLUMN tenant TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;

-- One row per change of configuration, written in the same transaction as the
-- audit.<resource>.<action> event that announces it. The summary never holds a secret.
CREATE TABLE audit_log (
    id         TEXT COLLATE "C" PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   TEXT COLLATE "C",
    actor_name TEXT NOT NULL,
    tenant     TEXT,
    action     TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    summary    TEXT NOT NULL,
    event_id   TEXT COLLATE "C"
);
CREATE INDEX audit_log_tenant ON audit_log(tenant, id);
CREATE INDEX audit_log_event ON audit_log(event_id) WHERE event_id IS NOT NULL;
