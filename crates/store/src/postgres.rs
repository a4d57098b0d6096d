//! The PostgreSQL store: one database shared by any number of Tocsin nodes. Everything that
//! must hold across nodes holds through the database:
//!
//! - the queue is claimed with `FOR UPDATE SKIP LOCKED`, so nodes never share a delivery
//!   and never wait on each other's claims; a node that dies leaves leases that run out;
//! - an idempotency key is a unique index, taken with `ON CONFLICT DO NOTHING`, so the
//!   second of two racing posts waits for the first and answers with its event;
//! - a `state_key`'s transition check and a channel's open digest are read and written
//!   under transaction-scoped advisory locks (on the key, on the channel), so two nodes
//!   cannot both notify a key's first bad state or open two digest windows for one channel;
//! - nodes hear of new deliveries and of routing changes through `LISTEN/NOTIFY`
//!   ([`Store::signals`]); the dispatcher's polling stays as the fallback.
//!
//! No statement updates a shared counter row: ids are ULIDs made by each node.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use tocsin_core::channel::{Channel, ChannelConfig};
use tocsin_core::delivery::{Attempt, Delivery, DeliveryStatus};
use tocsin_core::digest::Batch;
use tocsin_core::event::Event;
use tocsin_core::monitor::{self, StateChange};
use tocsin_core::mute::MuteWindow;
use tocsin_core::profile::SenderProfile;
use tocsin_core::routing::Restriction;
use tocsin_core::rule::Rule;
use tocsin_core::time::Millis;
use tokio::sync::mpsc;
use ulid::Ulid;

use crate::codec;
use crate::{
    AttemptRecord, Audit, AuditEntry, AuditQuery, DeclaredRow, Deletion, DeliveryQuery, EventQuery,
    Inserted, Managed, MetricsToken, Migrated, MonitorState, Mutation, MuteWindowDeletion,
    NewDelivery, NewEvent, ProfileDeletion, QueueDepth, Result, RetryResult, RoutingSnapshot,
    SecretOwner, SecretsChange, Signal, Store, StoreError, StoredToken,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The channel nodes announce newly queued deliveries on. Channels are per database, not per
/// schema: the payload names the schema, and listeners ignore other schemas' announcements.
const QUEUE_CHANNEL: &str = "tocsin_queue";
/// The channel nodes announce channel, rule and mute window changes on.
const ROUTING_CHANNEL: &str = "tocsin_routing";
/// At most one queue announcement per process in this interval: under load every node is
/// busy anyway, and each `NOTIFY` takes PostgreSQL's notification queue lock at commit.
const QUEUE_NOTIFY_EVERY: Duration = Duration::from_millis(50);

/// First keys of the advisory locks this store takes (the second is a hash of the name).
const LOCK_STATE_KEY: i32 = 0x7463_0001;
const LOCK_DIGEST_CHANNEL: i32 = 0x7463_0002;
/// Housekeeping one node at a time does (the others skip it rather than queue behind it, or
/// deadlock with it deleting the same rows in another order).
const LOCK_HOUSEKEEPING: i32 = 0x7463_0003;

#[derive(Debug)]
pub struct PgStore {
    pool: PgPool,
    options: PgConnectOptions,
    last_queue_notify: Mutex<Option<Instant>>,
}

impl PgStore {
    /// Connects to a `postgres://…` URL and brings the schema up to date.
    pub async fn open_url(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without touching the schema.
    pub async fn connect(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?.application_name("tocsin");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await?;
        Ok(Self {
            pool,
            options,
            last_queue_notify: Mutex::new(None),
        })
    }

    /// Applies the migrations this binary knows that the database lacks. Refuses a database
    /// whose schema is newer than this binary. Several nodes may start at once: the
    /// migrator holds an advisory lock while it works.
    pub async fn migrate(&self) -> Result<Migrated> {
        let before = self.schema_version().await?;
        let known = crate::latest_version(&MIGRATOR);
        crate::check_not_newer(before, known)?;
        MIGRATOR.run(&self.pool).await?;
        Ok(Migrated {
            before,
            after: self.schema_version().await?,
            known,
        })
    }

    /// The newest migration applied to the database (0 for an empty one).
    pub async fn schema_version(&self) -> Result<i64> {
        let table: Option<String> =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
                .fetch_one(&self.pool)
                .await?;
        if table.is_none() {
            return Ok(0);
        }
        Ok(sqlx::query_scalar(
            "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Tells other nodes new deliveries wait, at most once per [`QUEUE_NOTIFY_EVERY`].
    async fn announce_queued(&self) {
        let due = {
            let Ok(mut last) = self.last_queue_notify.lock() else {
                return;
            };
            let now = Instant::now();
            if last.is_some_and(|at| now.duration_since(at) < QUEUE_NOTIFY_EVERY) {
                false
            } else {
                *last = Some(now);
                true
            }
        };
        if due
            && let Err(e) = sqlx::query("SELECT pg_notify($1, current_schema())")
                .bind(QUEUE_CHANNEL)
                .execute(&self.pool)
                .await
        {
            // Other nodes still poll: a lost announcement only delays them.
            tracing::debug!(error = %e, "could not announce queued deliveries");
        }
    }
}

/// Tells every node (on commit) that routing changed.
async fn announce_routing(tx: &mut Transaction<'_, Postgres>) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, current_schema())")
        .bind(ROUTING_CHANNEL)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn id_texts(ids: &[Ulid]) -> Vec<String> {
    ids.iter().map(Ulid::to_string).collect()
}

fn ids_json(ids: &[Ulid]) -> String {
    codec::json_text(&id_texts(ids))
}

fn millis(d: Option<Duration>) -> Option<i64> {
    d.map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn event_from_row(row: &PgRow) -> Result<Event> {
    Ok(Event {
        id: codec::ulid(row.try_get("id")?)?,
        event_type: row.try_get("type")?,
        title: row.try_get("title")?,
        message: row.try_get("message")?,
        severity: codec::severity(row.try_get("severity")?)?,
        source: codec::labels(row.try_get("source")?)?,
        data: codec::json_value(row.try_get("data")?)?,
        idempotency_key: row.try_get("idempotency_key")?,
        state_key: row.try_get("state_key")?,
        state: row.try_get("state")?,
        occurred_at: row.try_get("occurred_at")?,
        received_at: row.try_get("received_at")?,
    })
}

fn channel_from_row(row: &PgRow) -> Result<Channel> {
    let schedule: Option<String> = row.try_get("retry_schedule")?;
    Ok(Channel {
        id: codec::ulid(row.try_get("id")?)?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        config: ChannelConfig {
            settings: codec::json_map(row.try_get("settings")?)?,
            secrets: codec::secrets(row.try_get("secrets")?)?,
        },
        enabled: row.try_get("enabled")?,
        tags: codec::strings(row.try_get("tags")?)?,
        retry_schedule: schedule.as_deref().map(codec::schedule).transpose()?,
        tenant: row.try_get("tenant")?,
        projects: codec::strings(row.try_get("projects")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn rule_from_row(row: &PgRow) -> Result<Rule> {
    let min: Option<String> = row.try_get("min_severity")?;
    let owner: Option<String> = row.try_get("owner_channel")?;
    let channels: Option<String> = row.try_get("channel_ids")?;
    let channels = match channels {
        Some(list) if !list.is_empty() => list
            .split(',')
            .map(codec::ulid)
            .collect::<Result<Vec<_>>>()?,
        _ => Vec::new(),
    };
    Ok(Rule {
        id: codec::ulid(row.try_get("id")?)?,
        name: row.try_get("name")?,
        events: codec::patterns(row.try_get("events")?)?,
        matchers: codec::matchers(row.try_get("matchers")?)?,
        min_severity: min.as_deref().map(codec::severity).transpose()?,
        channels,
        enabled: row.try_get("enabled")?,
        owner_channel: owner.as_deref().map(codec::ulid).transpose()?,
        recipients: row.try_get("recipients")?,
        mute: codec::ids(row.try_get("mute")?)?,
        while_muted: codec::while_muted(row.try_get("while_muted")?)?,
        critical_breaks_through: row.try_get("critical_breaks_through")?,
        repeat_interval: row
            .try_get::<Option<i64>, _>("repeat_interval_ms")?
            .map(|ms| Duration::from_millis(ms.max(0) as u64)),
        template: row.try_get("template")?,
        digest: row
            .try_get::<Option<i64>, _>("digest_ms")?
            .map(|ms| Duration::from_millis(ms.max(0) as u64)),
        tenant: row.try_get("tenant")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn mute_window_from_row(row: &PgRow) -> Result<MuteWindow> {
    Ok(MuteWindow {
        id: codec::ulid(row.try_get("id")?)?,
        name: row.try_get("name")?,
        time_zone: codec::time_zone(row.try_get("time_zone")?)?,
        intervals: codec::intervals(row.try_get("intervals")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn delivery_from_row(row: &PgRow) -> Result<Delivery> {
    Ok(Delivery {
        id: codec::ulid(row.try_get("id")?)?,
        event_id: codec::ulid(row.try_get("event_id")?)?,
        channel_id: codec::ulid(row.try_get("channel_id")?)?,
        status: codec::status(row.try_get("status")?)?,
        attempts: row.try_get::<i64, _>("attempts")? as u32,
        step: row.try_get::<i64, _>("step")? as u32,
        next_attempt_at: row.try_get("next_attempt_at")?,
        last_error: row.try_get("last_error")?,
        recipients: row.try_get("recipients")?,
        template: row.try_get("template")?,
        digest_until: row.try_get("digest_until")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn attempt_from_row(row: &PgRow) -> Result<Attempt> {
    Ok(Attempt {
        delivery_id: codec::ulid(row.try_get("delivery_id")?)?,
        number: row.try_get::<i64, _>("number")? as u32,
        started_at: row.try_get("started_at")?,
        duration_ms: row.try_get::<i64, _>("duration_ms")? as u32,
        status_code: row
            .try_get::<Option<i64>, _>("status_code")?
            .map(|c| c as u16),
        outcome: codec::status(row.try_get("outcome")?)?,
        error: row.try_get("error")?,
        response_excerpt: row.try_get("response_excerpt")?,
    })
}

fn profile_from_row(row: &PgRow) -> Result<SenderProfile> {
    Ok(SenderProfile {
        id: codec::ulid(row.try_get("id")?)?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        config: ChannelConfig {
            settings: codec::json_map(row.try_get("settings")?)?,
            secrets: codec::secrets(row.try_get("secrets")?)?,
        },
        is_default: row.try_get("is_default")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn token_from_row(row: &PgRow) -> Result<StoredToken> {
    Ok(StoredToken {
        id: codec::ulid(row.try_get("id")?)?,
        name: row.try_get("name")?,
        token_hash: row.try_get("token_hash")?,
        scopes: codec::strings(row.try_get("scopes")?)?,
        tenant: row.try_get("tenant")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

fn audit_from_row(row: &PgRow) -> Result<AuditEntry> {
    let actor: Option<String> = row.try_get("actor_id")?;
    let event: Option<String> = row.try_get("event_id")?;
    Ok(AuditEntry {
        id: codec::ulid(row.try_get("id")?)?,
        at: row.try_get("at")?,
        actor_id: actor.as_deref().map(codec::ulid).transpose()?,
        actor_name: row.try_get("actor_name")?,
        tenant: row.try_get("tenant")?,
        action: row.try_get("action")?,
        target_id: row.try_get("target_id")?,
        summary: row.try_get("summary")?,
        event_id: event.as_deref().map(codec::ulid).transpose()?,
    })
}

fn state_from_row(row: &PgRow) -> Result<MonitorState> {
    Ok(MonitorState {
        state_key: row.try_get("state_key")?,
        state: row.try_get("state")?,
        changed_at: row.try_get("changed_at")?,
        seen_at: row.try_get("seen_at")?,
        last_event_id: codec::ulid(row.try_get("last_event_id")?)?,
    })
}

fn metrics_token_from_row(row: &PgRow) -> Result<MetricsToken> {
    Ok(MetricsToken {
        id: codec::ulid(row.try_get("id")?)?,
        server: row.try_get("server")?,
        token_hash: row.try_get("token_hash")?,
        margin: row.try_get("margin")?,
        cool_off_secs: row.try_get::<i64, _>("cool_off_secs")? as u32,
        created_at: row.try_get("created_at")?,
    })
}

/// The row `sql` finds for `id`, read with `map`.
async fn one<T>(
    pool: &PgPool,
    sql: &'static str,
    id: Ulid,
    map: fn(&PgRow) -> Result<T>,
) -> Result<Option<T>> {
    sqlx::query(sql)
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(map)
        .transpose()
}

/// Every row `sql` finds, read with `map`.
async fn all<T>(pool: &PgPool, sql: &'static str, map: fn(&PgRow) -> Result<T>) -> Result<Vec<T>> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await?
        .iter()
        .map(map)
        .collect()
}

/// Deletes row `id` with `delete` unless `users` (both taking the id) finds rows that name
/// it. The named row is locked first, so a writer that starts naming it waits.
async fn delete_unless_named(
    pool: &PgPool,
    id: Ulid,
    lock: &'static str,
    users: &'static str,
    delete: &'static str,
) -> Result<Deletion> {
    let mut tx = pool.begin().await?;
    sqlx::query(lock)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    let users = sqlx::query(users)
        .bind(id.to_string())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| Ok((codec::ulid(row.try_get("id")?)?, row.try_get("name")?)))
        .collect::<Result<Vec<(Ulid, String)>>>()?;
    if !users.is_empty() {
        tx.rollback().await?;
        return Ok(Deletion::InUse(users));
    }
    let deleted = sqlx::query(delete)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(if deleted.rows_affected() > 0 {
        Deletion::Deleted
    } else {
        Deletion::NotFound
    })
}

/// Makes `p` the only default of its kind, when it is one.
async fn move_default(tx: &mut Transaction<'_, Postgres>, p: &SenderProfile) -> Result<()> {
    if p.is_default {
        sqlx::query(
            "UPDATE sender_profiles SET is_default = FALSE WHERE kind = $1 AND id <> $2 AND is_default",
        )
        .bind(&p.kind)
        .bind(p.id.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

const RULE_COLUMNS: &str = "SELECT r.id, r.name, r.events, r.matchers, r.min_severity, r.enabled, \
     r.owner_channel, r.recipients, r.mute, r.while_muted, r.critical_breaks_through, \
     r.repeat_interval_ms, r.template, r.digest_ms, r.tenant, r.created_at, r.updated_at, \
     (SELECT string_agg(channel_id, ',' ORDER BY position) FROM rule_channels rc WHERE rc.rule_id = r.id) AS channel_ids \
     FROM rules r";

/// The rule queries differ only in their tail, always a literal of this file.
fn rule_query(tail: &'static str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!("{RULE_COLUMNS} {tail}"))
}

async fn insert_channel_row(tx: &mut Transaction<'_, Postgres>, c: &Channel) -> Result<()> {
    sqlx::query(
        "INSERT INTO channels (id, name, kind, settings, secrets, enabled, tags, retry_schedule, tenant, projects, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c.id.to_string())
    .bind(&c.name)
    .bind(&c.kind)
    .bind(codec::json_text(&c.config.settings))
    .bind(codec::secrets_text(&c.config.secrets))
    .bind(c.enabled)
    .bind(codec::json_text(&c.tags))
    .bind(c.retry_schedule.as_ref().map(codec::schedule_text))
    .bind(&c.tenant)
    .bind(codec::json_text(&c.projects))
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_rule_rows(tx: &mut Transaction<'_, Postgres>, r: &Rule) -> Result<()> {
    sqlx::query(
        "INSERT INTO rules (id, name, events, matchers, min_severity, enabled, owner_channel, recipients, \
         mute, while_muted, critical_breaks_through, repeat_interval_ms, template, digest_ms, tenant, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(r.id.to_string())
    .bind(&r.name)
    .bind(codec::patterns_text(&r.events))
    .bind(codec::matchers_text(&r.matchers))
    .bind(r.min_severity.map(|s| s.as_str()))
    .bind(r.enabled)
    .bind(r.owner_channel.map(|c| c.to_string()))
    .bind(&r.recipients)
    .bind(ids_json(&r.mute))
    .bind(r.while_muted.as_str())
    .bind(r.critical_breaks_through)
    .bind(millis(r.repeat_interval))
    .bind(&r.template)
    .bind(millis(r.digest))
    .bind(&r.tenant)
    .bind(r.created_at)
    .bind(r.updated_at)
    .execute(&mut **tx)
    .await?;
    insert_rule_channels(tx, r).await
}

async fn insert_rule_channels(tx: &mut Transaction<'_, Postgres>, r: &Rule) -> Result<()> {
    for (position, channel) in r.channels.iter().enumerate() {
        let inserted = sqlx::query(
            "INSERT INTO rule_channels (rule_id, channel_id, position) \
             SELECT $1, id, $2 FROM channels WHERE id = $3 ON CONFLICT DO NOTHING",
        )
        .bind(r.id.to_string())
        .bind(position as i64)
        .bind(channel.to_string())
        .execute(&mut **tx)
        .await?;
        if inserted.rows_affected() == 0 {
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM channels WHERE id = $1")
                .bind(channel.to_string())
                .fetch_optional(&mut **tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound("channel"));
            }
        }
    }
    Ok(())
}

async fn update_channel_rows(
    tx: &mut Transaction<'_, Postgres>,
    c: &Channel,
    own_rule: Option<&Rule>,
) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE channels SET name = $1, settings = $2, secrets = $3, enabled = $4, tags = $5, \
         retry_schedule = $6, tenant = $7, projects = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&c.name)
    .bind(codec::json_text(&c.config.settings))
    .bind(codec::secrets_text(&c.config.secrets))
    .bind(c.enabled)
    .bind(codec::json_text(&c.tags))
    .bind(c.retry_schedule.as_ref().map(codec::schedule_text))
    .bind(&c.tenant)
    .bind(codec::json_text(&c.projects))
    .bind(c.updated_at)
    .bind(c.id.to_string())
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound("channel"));
    }
    sqlx::query("DELETE FROM rules WHERE owner_channel = $1")
        .bind(c.id.to_string())
        .execute(&mut **tx)
        .await?;
    if let Some(rule) = own_rule {
        insert_rule_rows(tx, rule).await?;
    }
    Ok(())
}

async fn update_rule_rows(tx: &mut Transaction<'_, Postgres>, r: &Rule) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE rules SET name = $1, events = $2, matchers = $3, min_severity = $4, enabled = $5, \
         recipients = $6, mute = $7, while_muted = $8, critical_breaks_through = $9, \
         repeat_interval_ms = $10, template = $11, digest_ms = $12, tenant = $13, updated_at = $14 \
         WHERE id = $15",
    )
    .bind(&r.name)
    .bind(codec::patterns_text(&r.events))
    .bind(codec::matchers_text(&r.matchers))
    .bind(r.min_severity.map(|s| s.as_str()))
    .bind(r.enabled)
    .bind(&r.recipients)
    .bind(ids_json(&r.mute))
    .bind(r.while_muted.as_str())
    .bind(r.critical_breaks_through)
    .bind(millis(r.repeat_interval))
    .bind(&r.template)
    .bind(millis(r.digest))
    .bind(&r.tenant)
    .bind(r.updated_at)
    .bind(r.id.to_string())
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound("rule"));
    }
    sqlx::query("DELETE FROM rule_channels WHERE rule_id = $1")
        .bind(r.id.to_string())
        .execute(&mut **tx)
        .await?;
    insert_rule_channels(tx, r).await
}

async fn delete_row(
    tx: &mut Transaction<'_, Postgres>,
    sql: &'static str,
    id: Ulid,
) -> Result<bool> {
    let r = sqlx::query(sql)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() > 0)
}

const DELETE_CHANNEL: &str = "DELETE FROM channels WHERE id = $1";
const DELETE_RULE: &str = "DELETE FROM rules WHERE id = $1 AND owner_channel IS NULL";
const DELETE_TOKEN: &str = "DELETE FROM api_tokens WHERE id = $1";

async fn insert_token_row(tx: &mut Transaction<'_, Postgres>, t: &StoredToken) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, name, token_hash, scopes, tenant, created_at, last_used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(t.id.to_string())
    .bind(&t.name)
    .bind(&t.token_hash)
    .bind(codec::json_text(&t.scopes))
    .bind(&t.tenant)
    .bind(t.created_at)
    .bind(t.last_used_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_audit_row(tx: &mut Transaction<'_, Postgres>, a: &AuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, actor_name, tenant, action, target_id, summary, event_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(a.id.to_string())
    .bind(a.at)
    .bind(a.actor_id.map(|id| id.to_string()))
    .bind(&a.actor_name)
    .bind(&a.tenant)
    .bind(&a.action)
    .bind(&a.target_id)
    .bind(&a.summary)
    .bind(a.event_id.map(|id| id.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const INSERT_EVENT: &str = "INSERT INTO events (id, type, title, message, severity, source, data, \
     idempotency_key, state_key, state, occurred_at, received_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// As [`INSERT_EVENT`], but a taken idempotency key writes nothing.
const INSERT_EVENT_ONCE: &str = "INSERT INTO events (id, type, title, message, severity, source, \
     data, idempotency_key, state_key, state, occurred_at, received_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     ON CONFLICT (idempotency_key) DO NOTHING";

/// Inserts the event row with `sql` (one of the two above); false when nothing was written.
async fn insert_event_row(
    tx: &mut Transaction<'_, Postgres>,
    sql: &'static str,
    e: &Event,
) -> Result<bool> {
    let inserted = sqlx::query(sql)
        .bind(e.id.to_string())
        .bind(&e.event_type)
        .bind(&e.title)
        .bind(&e.message)
        .bind(e.severity.as_str())
        .bind(codec::json_text(&e.source))
        .bind(codec::json_text(&e.data))
        .bind(&e.idempotency_key)
        .bind(&e.state_key)
        .bind(&e.state)
        .bind(e.occurred_at)
        .bind(e.received_at)
        .execute(&mut **tx)
        .await?;
    Ok(inserted.rows_affected() > 0)
}

/// Writes the plain events `plain` names (by position in `batch`, with their deliveries'
/// due times) in one transaction of two statements, the rows passed as arrays. Returns how
/// many deliveries each got (a channel deleted since routing gets none, as in
/// `insert_event`) and whether one of them is due now.
async fn insert_plain(
    pool: &PgPool,
    batch: &[NewEvent],
    plain: &[(usize, Vec<Millis>)],
) -> Result<(Vec<u32>, bool)> {
    let n = plain.len();
    let (mut ids, mut types, mut titles, mut messages) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut severities, mut sources, mut data) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut occurred, mut received) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut d_ids = Vec::new();
    let mut d_events = Vec::new();
    let mut d_channels = Vec::new();
    let mut d_due = Vec::new();
    let mut d_recipients: Vec<Option<&str>> = Vec::new();
    let mut d_templates: Vec<Option<&str>> = Vec::new();
    let mut d_created = Vec::new();
    for (i, due) in plain {
        let e = &batch[*i].event;
        let id = e.id.to_string();
        for (d, at) in batch[*i].deliveries.iter().zip(due) {
            d_ids.push(d.id.to_string());
            d_events.push(id.clone());
            d_channels.push(d.channel_id.to_string());
            d_due.push(*at);
            d_recipients.push(d.recipients.as_deref());
            d_templates.push(d.template.as_deref());
            d_created.push(e.received_at);
        }
        ids.push(id);
        types.push(e.event_type.as_str());
        titles.push(e.title.as_str());
        messages.push(e.message.as_str());
        severities.push(e.severity.as_str());
        sources.push(codec::json_text(&e.source));
        data.push(codec::json_text(&e.data));
        occurred.push(e.occurred_at);
        received.push(e.received_at);
    }
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO events (id, type, title, message, severity, source, data, occurred_at, received_at) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
                              $6::text[], $7::text[], $8::bigint[], $9::bigint[])",
    )
    .bind(&ids)
    .bind(&types)
    .bind(&titles)
    .bind(&messages)
    .bind(&severities)
    .bind(&sources)
    .bind(&data)
    .bind(&occurred)
    .bind(&received)
    .execute(&mut *tx)
    .await?;
    let mut created: HashMap<String, u32> = HashMap::new();
    let mut queued = false;
    if !d_ids.is_empty() {
        // A channel deleted since routing simply gets no delivery.
        let rows = sqlx::query(
            "INSERT INTO deliveries (id, event_id, channel_id, status, next_attempt_at, recipients, \
             template, created_at, updated_at) \
             SELECT d.id, d.event_id, d.channel_id, 'pending', d.due, d.recipients, d.template, \
                    d.created_at, d.created_at \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], \
                         $7::bigint[]) AS d(id, event_id, channel_id, due, recipients, template, created_at) \
             WHERE EXISTS (SELECT 1 FROM channels c WHERE c.id = d.channel_id) \
             RETURNING event_id, next_attempt_at <= created_at AS due_now",
        )
        .bind(&d_ids)
        .bind(&d_events)
        .bind(&d_channels)
        .bind(&d_due)
        .bind(&d_recipients)
        .bind(&d_templates)
        .bind(&d_created)
        .fetch_all(&mut *tx)
        .await?;
        for row in rows {
            *created.entry(row.try_get("event_id")?).or_default() += 1;
            queued |= row.try_get::<bool, _>("due_now")?;
        }
    }
    tx.commit().await?;
    Ok((
        ids.iter()
            .map(|id| created.get(id).copied().unwrap_or(0))
            .collect(),
        queued,
    ))
}

/// What [`write_deliveries`] wrote.
struct Written {
    created: u32,
    state_change: Option<StateChange>,
    /// Whether a delivery is due now (other nodes are told after the commit).
    queued: bool,
}

/// Writes an inserted event's state and its deliveries in `tx` (see [`Store::insert_event`]).
async fn write_deliveries(
    tx: &mut Transaction<'_, Postgres>,
    e: &Event,
    deliveries: &[NewDelivery],
) -> Result<Written> {
    let state_change = match (&e.state_key, &e.state) {
        (Some(key), Some(state)) => Some(record_state(tx, e, key, state).await?),
        _ => None,
    };
    let last_notified = match (&e.state_key, &state_change) {
        (Some(key), Some(change)) if !change.notify => last_notified(tx, key, deliveries).await?,
        _ => HashMap::new(),
    };
    let decided: Vec<(&NewDelivery, monitor::Due)> = deliveries
        .iter()
        .filter_map(|d| {
            monitor::due(
                &d.rules,
                state_change.as_ref(),
                |rule| last_notified.get(&rule).copied(),
                e.received_at,
            )
            .map(|due| (d, due))
        })
        .collect();
    // Digest channels are locked in one order, so two events never wait on each other.
    let mut digest_channels: Vec<Ulid> = decided
        .iter()
        .filter(|(_, due)| due.digest.is_some())
        .map(|(d, _)| d.channel_id)
        .collect();
    digest_channels.sort_unstable();
    digest_channels.dedup();
    for channel in &digest_channels {
        lock(tx, LOCK_DIGEST_CHANNEL, &channel.to_string()).await?;
    }
    let mut created = 0u32;
    let mut queued = false;
    let mut notified: Vec<Ulid> = Vec::new();
    for (d, due) in decided {
        if due.digest.is_some() && join_digest(tx, e, d.channel_id).await? {
            created += 1;
            notified.extend(due.notifying);
            continue;
        }
        // A digest opens with this event, and falls due when its window ends.
        let digest_until = due
            .digest
            .map(|window| due.at.max(e.received_at.saturating_add(window)));
        let next_attempt_at = digest_until.unwrap_or(due.at);
        // A channel deleted since routing simply gets no delivery.
        let r = sqlx::query(
            "INSERT INTO deliveries (id, event_id, channel_id, status, next_attempt_at, recipients, template, \
             digest_until, created_at, updated_at) \
             SELECT $1, $2, id, 'pending', $3, $4, $5, $6, $7, $7 FROM channels WHERE id = $8",
        )
        .bind(d.id.to_string())
        .bind(e.id.to_string())
        .bind(next_attempt_at)
        .bind(&d.recipients)
        .bind(&d.template)
        .bind(digest_until)
        .bind(e.received_at)
        .bind(d.channel_id.to_string())
        .execute(&mut **tx)
        .await?;
        if r.rows_affected() > 0 {
            created += 1;
            queued |= next_attempt_at <= e.received_at;
            notified.extend(due.notifying);
            if digest_until.is_some() {
                add_to_digest(tx, d.id, e.id).await?;
            }
        }
    }
    if let Some(key) = &e.state_key {
        record_notified(tx, key, &notified, e.received_at).await?;
    }
    Ok(Written {
        created,
        state_change,
        queued,
    })
}

/// Takes a transaction-scoped advisory lock on `name` within `class`.
async fn lock(tx: &mut Transaction<'_, Postgres>, class: i32, name: &str) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
        .bind(class)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether this transaction may do the housekeeping `task`: false while another node does it.
async fn housekeeping_turn(tx: &mut Transaction<'_, Postgres>, task: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1, hashtext($2))")
            .bind(LOCK_HOUSEKEEPING)
            .bind(task)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Compares the event's state with the last one of its key and records it, in the event's
/// transaction. The key's advisory lock makes the read and the write one step across nodes
/// (a row lock cannot guard a key's first sighting, when there is no row yet).
async fn record_state(
    tx: &mut Transaction<'_, Postgres>,
    e: &Event,
    key: &str,
    state: &str,
) -> Result<StateChange> {
    lock(tx, LOCK_STATE_KEY, key).await?;
    let previous: Option<String> =
        sqlx::query_scalar("SELECT state FROM monitor_states WHERE state_key = $1")
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
    let change = StateChange::between(previous.as_deref(), state);
    let changed = previous
        .as_deref()
        .is_none_or(|p| !p.eq_ignore_ascii_case(state));
    sqlx::query(
        "INSERT INTO monitor_states (state_key, state, changed_at, seen_at, last_event_id) \
         VALUES ($1, $2, $3, $3, $4) \
         ON CONFLICT (state_key) DO UPDATE SET state = excluded.state, seen_at = excluded.seen_at, \
         last_event_id = excluded.last_event_id, \
         changed_at = CASE WHEN $5 THEN excluded.changed_at ELSE monitor_states.changed_at END",
    )
    .bind(key)
    .bind(state)
    .bind(e.received_at)
    .bind(e.id.to_string())
    .bind(changed)
    .execute(&mut **tx)
    .await?;
    Ok(change)
}

/// Adds the event to the channel's open digest, if it has one: a pending digest delivery
/// whose window has not ended when the event arrives. The caller holds the channel's lock.
async fn join_digest(tx: &mut Transaction<'_, Postgres>, e: &Event, channel: Ulid) -> Result<bool> {
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM deliveries WHERE channel_id = $1 AND status = 'pending' \
         AND digest_until IS NOT NULL AND digest_until > $2 ORDER BY id LIMIT 1",
    )
    .bind(channel.to_string())
    .bind(e.received_at)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(open) = open else {
        return Ok(false);
    };
    add_to_digest(tx, codec::ulid(&open)?, e.id).await?;
    Ok(true)
}

async fn add_to_digest(
    tx: &mut Transaction<'_, Postgres>,
    delivery: Ulid,
    event: Ulid,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO digest_events (delivery_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(delivery.to_string())
    .bind(event.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// When each rule with a repeat interval among `deliveries` last notified for `key`.
async fn last_notified(
    tx: &mut Transaction<'_, Postgres>,
    key: &str,
    deliveries: &[NewDelivery],
) -> Result<HashMap<Ulid, Millis>> {
    let mut rules: Vec<Ulid> = deliveries
        .iter()
        .flat_map(|d| &d.rules)
        .filter(|r| r.repeat_interval.is_some())
        .map(|r| r.rule)
        .collect();
    if rules.is_empty() {
        return Ok(HashMap::new());
    }
    rules.sort_unstable();
    rules.dedup();
    sqlx::query(
        "SELECT rule_id, notified_at FROM rule_notifications \
         WHERE state_key = $1 AND rule_id = ANY($2)",
    )
    .bind(key)
    .bind(id_texts(&rules))
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|row| {
        Ok((
            codec::ulid(row.try_get("rule_id")?)?,
            row.try_get("notified_at")?,
        ))
    })
    .collect()
}

/// Records that `rules` notified for `key` at `at` (rules deleted since routing are left out).
async fn record_notified(
    tx: &mut Transaction<'_, Postgres>,
    key: &str,
    rules: &[Ulid],
    at: Millis,
) -> Result<()> {
    if rules.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO rule_notifications (rule_id, state_key, notified_at) \
         SELECT DISTINCT r.id, $1, $2::bigint FROM rules r WHERE r.id = ANY($3) \
         ON CONFLICT (rule_id, state_key) DO UPDATE SET notified_at = excluded.notified_at",
    )
    .bind(key)
    .bind(at)
    .bind(id_texts(rules))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn attempts_of(pool: &PgPool, delivery_ids: &[Ulid]) -> Result<Vec<Attempt>> {
    sqlx::query("SELECT * FROM attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, number")
        .bind(id_texts(delivery_ids))
        .fetch_all(pool)
        .await?
        .iter()
        .map(attempt_from_row)
        .collect()
}

fn with_attempts(
    deliveries: Vec<Delivery>,
    attempts: Vec<Attempt>,
) -> Vec<(Delivery, Vec<Attempt>)> {
    let mut out: Vec<(Delivery, Vec<Attempt>)> =
        deliveries.into_iter().map(|d| (d, Vec::new())).collect();
    for attempt in attempts {
        if let Some((_, list)) = out.iter_mut().find(|(d, _)| d.id == attempt.delivery_id) {
            list.push(attempt);
        }
    }
    out
}

/// A connection listening on the announcement channels, and the schema whose
/// announcements count (several installations may share one database).
struct Subscription {
    listener: PgListener,
    schema: String,
}

async fn subscribe(options: &PgConnectOptions) -> std::result::Result<Subscription, sqlx::Error> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options.clone());
    let schema: String = sqlx::query_scalar("SELECT current_schema()")
        .fetch_one(&pool)
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.eager_reconnect(false);
    listener
        .listen_all([QUEUE_CHANNEL, ROUTING_CHANNEL])
        .await?;
    Ok(Subscription { listener, schema })
}

/// Forwards what the subscription hears. When the connection is lost and comes back, it
/// reports both kinds: announcements made meanwhile are lost. Without a subscription (the
/// first one failed) it keeps trying, and reports both kinds once it has one.
async fn listen(options: PgConnectOptions, first: Option<Subscription>, tx: mpsc::Sender<Signal>) {
    let mut subscription = first;
    loop {
        let Some(Subscription { listener, schema }) = subscription.as_mut() else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            match subscribe(&options).await {
                Ok(s) => {
                    tracing::info!("listening to the database's announcements again");
                    subscription = Some(s);
                    for signal in [Signal::RoutingChanged, Signal::Queued] {
                        if tx.send(signal).await.is_err() {
                            return;
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen to the database's announcements; retrying");
                }
            }
            continue;
        };
        let heard = match listener.try_recv().await {
            Ok(Some(n)) if n.payload() != schema.as_str() => Vec::new(),
            Ok(Some(n)) if n.channel() == ROUTING_CHANNEL => vec![Signal::RoutingChanged],
            Ok(Some(_)) => vec![Signal::Queued],
            Ok(None) => {
                tracing::warn!("lost the database's announcements; listening again");
                vec![Signal::RoutingChanged, Signal::Queued]
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen to the database's announcements; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                vec![Signal::RoutingChanged, Signal::Queued]
            }
        };
        for signal in heard {
            if tx.send(signal).await.is_err() {
                return;
            }
        }
    }
}

#[async_trait]
impl Store for PgStore {
    async fn list_declared(&self, object: Managed) -> Result<Vec<DeclaredRow>> {
        let query = match object {
            Managed::Channel => {
                "SELECT id, declared_name, declared_hash FROM channels \
                 WHERE managed_by = 'config' ORDER BY declared_name"
            }
            Managed::Rule => {
                "SELECT id, declared_name, declared_hash FROM rules \
                 WHERE managed_by = 'config' ORDER BY declared_name"
            }
        };
        let rows = sqlx::query(query).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(DeclaredRow {
                    id: codec::ulid(row.try_get("id")?)?,
                    name: row
                        .try_get::<Option<String>, _>("declared_name")?
                        .unwrap_or_default(),
                    hash: row
                        .try_get::<Option<String>, _>("declared_hash")?
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    async fn set_declared(
        &self,
        object: Managed,
        id: Ulid,
        declared: Option<(&str, &str)>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        mark_declared(&mut tx, object, id, declared).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn signals(&self) -> Option<mpsc::Receiver<Signal>> {
        // Subscribed before returning: a change another node makes after this call is
        // heard, so a routing cache filled after it cannot stay stale.
        let (tx, rx) = mpsc::channel(64);
        let first = match tokio::time::timeout(Duration::from_secs(10), subscribe(&self.options))
            .await
        {
            Ok(Ok(subscription)) => Some(subscription),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot listen to the database's announcements yet; retrying");
                None
            }
            Err(_) => {
                tracing::warn!("listening to the database's announcements timed out; retrying");
                None
            }
        };
        tokio::spawn(listen(self.options.clone(), first, tx));
        Some(rx)
    }

    async fn insert_event(&self, e: &Event, deliveries: &[NewDelivery]) -> Result<Inserted> {
        let mut tx = self.pool.begin().await?;
        // The idempotency check and the insert in one step: a second post of the same key
        // waits here for the first one's transaction, then finds its event.
        if !insert_event_row(&mut tx, INSERT_EVENT_ONCE, e).await? {
            let row = sqlx::query(
                "SELECT e.id, (SELECT count(*) FROM deliveries d WHERE d.event_id = e.id) AS n \
                 FROM events e WHERE e.idempotency_key = $1",
            )
            .bind(&e.idempotency_key)
            .fetch_one(&mut *tx)
            .await?;
            tx.rollback().await?;
            return Ok(Inserted::Duplicate {
                id: codec::ulid(row.try_get("id")?)?,
                deliveries: row.try_get::<i64, _>("n")? as u32,
            });
        }
        let written = write_deliveries(&mut tx, e, deliveries).await?;
        tx.commit().await?;
        if written.queued {
            self.announce_queued().await;
        }
        Ok(Inserted::Created {
            deliveries: written.created,
            state_change: written.state_change,
        })
    }

    async fn insert_events(&self, batch: &[NewEvent]) -> Result<Vec<Result<Inserted>>> {
        let mut results: Vec<Option<Result<Inserted>>> = batch.iter().map(|_| None).collect();
        // Plain events (most of them) share one transaction, two statements for all: one
        // commit, one flush of the WAL. They take no lock another event could hold, so a
        // batch cannot deadlock with another node's. Should it fail, each is tried again
        // alone below.
        let plain: Vec<(usize, Vec<Millis>)> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, item)| item.plain_due().map(|due| (i, due)))
            .collect();
        if !plain.is_empty() {
            match insert_plain(&self.pool, batch, &plain).await {
                Ok((created, queued)) => {
                    for ((i, _), deliveries) in plain.iter().zip(created) {
                        results[*i] = Some(Ok(Inserted::Created {
                            deliveries,
                            state_change: None,
                        }));
                    }
                    if queued {
                        self.announce_queued().await;
                    }
                }
                Err(e) => {
                    tracing::debug!(error = %e, events = plain.len(), "writing plain events together failed; writing them one by one");
                }
            }
        }
        // Events with an idempotency key, a state key or a digest keep a transaction each:
        // they take locks (the key's unique index, advisory locks) that two nodes' batches
        // could take in opposite orders.
        for (item, result) in batch.iter().zip(results.iter_mut()) {
            if result.is_none() {
                *result = Some(self.insert_event(&item.event, &item.deliveries).await);
            }
        }
        Ok(results.into_iter().flatten().collect())
    }

    async fn get_event(&self, id: Ulid) -> Result<Option<Event>> {
        one(
            &self.pool,
            "SELECT * FROM events WHERE id = $1",
            id,
            event_from_row,
        )
        .await
    }

    async fn get_events(&self, ids: &[Ulid]) -> Result<Vec<Event>> {
        sqlx::query("SELECT * FROM events WHERE id = ANY($1)")
            .bind(id_texts(ids))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(event_from_row)
            .collect()
    }

    async fn list_events(&self, q: &EventQuery) -> Result<Vec<Event>> {
        sqlx::query(
            "SELECT * FROM events WHERE ($1::text IS NULL OR type = $1) \
             AND ($2::text IS NULL OR id < $2) \
             AND ($4::text IS NULL OR source::jsonb ->> 'customer' = $4) \
             AND ($5 OR id NOT IN (SELECT event_id FROM audit_log WHERE event_id IS NOT NULL)) \
             ORDER BY id DESC LIMIT $3",
        )
        .bind(&q.event_type)
        .bind(q.before.map(|b| b.to_string()))
        .bind(i64::from(q.limit))
        .bind(&q.customer)
        .bind(q.audit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(event_from_row)
        .collect()
    }

    async fn list_states(&self) -> Result<Vec<MonitorState>> {
        all(
            &self.pool,
            "SELECT * FROM monitor_states ORDER BY state_key COLLATE \"C\"",
            state_from_row,
        )
        .await
    }

    async fn create_channel(&self, channel: &Channel, own_rule: Option<&Rule>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_channel_row(&mut tx, channel).await?;
        if let Some(rule) = own_rule {
            insert_rule_rows(&mut tx, rule).await?;
        }
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_channel(&self, c: &Channel, own_rule: Option<&Rule>) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        update_channel_rows(&mut tx, c, own_rule).await?;
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_channel(&self, id: Ulid) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let deleted = delete_row(&mut tx, DELETE_CHANNEL, id).await?;
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn get_channel(&self, id: Ulid) -> Result<Option<Channel>> {
        one(
            &self.pool,
            "SELECT * FROM channels WHERE id = $1",
            id,
            channel_from_row,
        )
        .await
    }

    async fn get_channels(&self, ids: &[Ulid]) -> Result<Vec<Channel>> {
        sqlx::query("SELECT * FROM channels WHERE id = ANY($1)")
            .bind(id_texts(ids))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(channel_from_row)
            .collect()
    }

    async fn list_channels(&self) -> Result<Vec<Channel>> {
        all(
            &self.pool,
            "SELECT * FROM channels ORDER BY id",
            channel_from_row,
        )
        .await
    }

    async fn own_rule(&self, channel_id: Ulid) -> Result<Option<Rule>> {
        sqlx::query(rule_query("WHERE r.owner_channel = $1"))
            .bind(channel_id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(rule_from_row)
            .transpose()
    }

    async fn create_rule(&self, rule: &Rule) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_rule_rows(&mut tx, rule).await?;
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_rule(&self, r: &Rule) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        update_rule_rows(&mut tx, r).await?;
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_rule(&self, id: Ulid) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let deleted = delete_row(&mut tx, DELETE_RULE, id).await?;
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn get_rule(&self, id: Ulid) -> Result<Option<Rule>> {
        sqlx::query(rule_query("WHERE r.id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(rule_from_row)
            .transpose()
    }

    async fn list_rules(&self) -> Result<Vec<Rule>> {
        sqlx::query(rule_query("WHERE r.owner_channel IS NULL ORDER BY r.id"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(rule_from_row)
            .collect()
    }

    async fn routing_snapshot(&self) -> Result<RoutingSnapshot> {
        // One snapshot for the three reads, so a change between them cannot tear it.
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await?;
        let rules = sqlx::query(rule_query("WHERE r.enabled ORDER BY r.id"))
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(rule_from_row)
            .collect::<Result<Vec<_>>>()?;
        let mut enabled_channels = BTreeSet::new();
        let mut restrictions = BTreeMap::new();
        for row in sqlx::query("SELECT id, tenant, projects FROM channels WHERE enabled")
            .fetch_all(&mut *tx)
            .await?
        {
            let id = codec::ulid(row.try_get("id")?)?;
            let restriction = Restriction {
                tenant: row.try_get("tenant")?,
                projects: codec::strings(row.try_get("projects")?)?,
            };
            if restriction != Restriction::default() {
                restrictions.insert(id, restriction);
            }
            enabled_channels.insert(id);
        }
        let mute_windows = sqlx::query("SELECT * FROM mute_windows ORDER BY id")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| mute_window_from_row(row).map(|w| (w.id, w)))
            .collect::<Result<_>>()?;
        tx.commit().await?;
        Ok(RoutingSnapshot {
            rules,
            enabled_channels,
            restrictions,
            mute_windows,
        })
    }

    async fn create_mute_window(&self, w: &MuteWindow) -> Result<()> {
        sqlx::query(
            "INSERT INTO mute_windows (id, name, time_zone, intervals, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(w.id.to_string())
        .bind(&w.name)
        .bind(w.zone_name())
        .bind(codec::intervals_text(w))
        .bind(w.created_at)
        .bind(w.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn update_mute_window(&self, w: &MuteWindow) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE mute_windows SET name = $1, time_zone = $2, intervals = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(&w.name)
        .bind(w.zone_name())
        .bind(codec::intervals_text(w))
        .bind(w.updated_at)
        .bind(w.id.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::NotFound("mute window"));
        }
        announce_routing(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_mute_window(&self, id: Ulid) -> Result<MuteWindowDeletion> {
        delete_unless_named(
            &self.pool,
            id,
            "SELECT 1 FROM mute_windows WHERE id = $1 FOR UPDATE",
            "SELECT r.id, r.name FROM rules r WHERE r.mute::jsonb ? $1 ORDER BY r.id",
            "DELETE FROM mute_windows WHERE id = $1",
        )
        .await
    }

    async fn get_mute_window(&self, id: Ulid) -> Result<Option<MuteWindow>> {
        one(
            &self.pool,
            "SELECT * FROM mute_windows WHERE id = $1",
            id,
            mute_window_from_row,
        )
        .await
    }

    async fn list_mute_windows(&self) -> Result<Vec<MuteWindow>> {
        all(
            &self.pool,
            "SELECT * FROM mute_windows ORDER BY id",
            mute_window_from_row,
        )
        .await
    }

    async fn digest_batch(&self, delivery_id: Ulid, listed: u32) -> Result<Batch> {
        let id = delivery_id.to_string();
        let first = sqlx::query(
            "SELECT e.* FROM digest_events de JOIN events e ON e.id = de.event_id \
             WHERE de.delivery_id = $1 ORDER BY e.id LIMIT $2",
        )
        .bind(&id)
        .bind(i64::from(listed))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>>>()?;
        let mut by_type = BTreeMap::new();
        let mut total = 0u32;
        let rows = sqlx::query(
            "SELECT e.type AS type, count(*) AS n FROM digest_events de JOIN events e ON e.id = de.event_id \
             WHERE de.delivery_id = $1 GROUP BY e.type",
        )
        .bind(&id)
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let n = row.try_get::<i64, _>("n")? as u32;
            total += n;
            by_type.insert(row.try_get("type")?, n);
        }
        Ok(Batch {
            first,
            total,
            by_type,
        })
    }

    async fn claim_due_except(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Vec<Delivery>> {
        // SKIP LOCKED: rows another node is claiming right now are passed over, not waited
        // for; the partial index `deliveries_due` serves the inner query.
        sqlx::query(
            "UPDATE deliveries d SET status = 'sending', lease_until = $1, updated_at = $2 \
             FROM (SELECT id FROM deliveries WHERE status IN ('pending', 'retrying') \
                   AND next_attempt_at <= $2 AND channel_id <> ALL($4) \
                   ORDER BY next_attempt_at LIMIT $3 \
                   FOR UPDATE SKIP LOCKED) due \
             WHERE d.id = due.id RETURNING d.*",
        )
        .bind(lease_until)
        .bind(now)
        .bind(i64::from(limit))
        .bind(id_texts(skip))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn reap_expired_leases(&self, now: Millis) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        if !housekeeping_turn(&mut tx, "reap").await? {
            tx.rollback().await?;
            return Ok(0);
        }
        let r = sqlx::query(
            "UPDATE deliveries SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END, \
             lease_until = NULL, next_attempt_at = $1, updated_at = $1 \
             WHERE status = 'sending' AND lease_until < $1",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if r.rows_affected() > 0 {
            self.announce_queued().await;
        }
        Ok(r.rows_affected())
    }

    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for rec in records {
            let a = &rec.attempt;
            let t = &rec.transition;
            // One statement per attempt: the delivery moves on and the attempt is numbered
            // from the count the update leaves.
            sqlx::query(
                "WITH moved AS ( \
                   UPDATE deliveries SET status = $1, attempts = attempts + 1, step = $2, \
                   next_attempt_at = $3, lease_until = NULL, last_error = $4, updated_at = $5 \
                   WHERE id = $6 RETURNING id, attempts) \
                 INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, outcome, error, response_excerpt) \
                 SELECT id, attempts, $7, $8, $9, $10, $4, $11 FROM moved",
            )
            .bind(t.status.as_str())
            .bind(i64::from(t.step))
            .bind(t.next_attempt_at)
            .bind(&a.error)
            .bind(a.started_at + i64::from(a.duration_ms))
            .bind(a.delivery_id.to_string())
            .bind(a.started_at)
            .bind(i64::from(a.duration_ms))
            .bind(a.status_code.map(i64::from))
            .bind(a.outcome.as_str())
            .bind(&a.response_excerpt)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn release(&self, ids: &[Ulid], due_at: Millis) -> Result<()> {
        sqlx::query(
            "UPDATE deliveries SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END, \
             lease_until = NULL, next_attempt_at = $1, updated_at = $1 \
             WHERE status = 'sending' AND id = ANY($2)",
        )
        .bind(due_at)
        .bind(id_texts(ids))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn next_due_at(&self) -> Result<Option<Millis>> {
        Ok(sqlx::query_scalar(
            "SELECT min(next_attempt_at) FROM deliveries WHERE status IN ('pending', 'retrying')",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn queue_depth(&self) -> Result<QueueDepth> {
        let rows = sqlx::query(
            "SELECT status, count(*) AS n FROM deliveries \
             WHERE status IN ('pending', 'retrying', 'sending') GROUP BY status",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut depth = QueueDepth::default();
        for row in rows {
            let n = row.try_get::<i64, _>("n")? as u64;
            match codec::status(row.try_get("status")?)? {
                DeliveryStatus::Pending => depth.pending = n,
                DeliveryStatus::Retrying => depth.retrying = n,
                DeliveryStatus::Sending => depth.sending = n,
                DeliveryStatus::Delivered | DeliveryStatus::Failed => {}
            }
        }
        Ok(depth)
    }

    async fn get_delivery(&self, id: Ulid) -> Result<Option<(Delivery, Vec<Attempt>)>> {
        let Some(row) = sqlx::query("SELECT * FROM deliveries WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let delivery = delivery_from_row(&row)?;
        let attempts = attempts_of(&self.pool, &[id]).await?;
        Ok(Some((delivery, attempts)))
    }

    async fn deliveries_of_event(&self, event_id: Ulid) -> Result<Vec<(Delivery, Vec<Attempt>)>> {
        let deliveries = sqlx::query("SELECT * FROM deliveries WHERE event_id = $1 ORDER BY id")
            .bind(event_id.to_string())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(delivery_from_row)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<Ulid> = deliveries.iter().map(|d| d.id).collect();
        let attempts = attempts_of(&self.pool, &ids).await?;
        Ok(with_attempts(deliveries, attempts))
    }

    async fn list_deliveries(&self, q: &DeliveryQuery) -> Result<Vec<Delivery>> {
        sqlx::query(
            "SELECT d.* FROM deliveries d WHERE ($1::text IS NULL OR d.status = $1) \
             AND ($2::text IS NULL OR d.channel_id = $2) AND ($3::text IS NULL OR d.id < $3) \
             AND ($4::text IS NULL OR d.event_id IN (SELECT id FROM events WHERE type = $4)) \
             AND ($6::text IS NULL OR d.channel_id IN (SELECT id FROM channels WHERE tenant = $6)) \
             ORDER BY d.id DESC LIMIT $5",
        )
        .bind(q.status.map(|s| s.as_str()))
        .bind(q.channel_id.map(|c| c.to_string()))
        .bind(q.before.map(|b| b.to_string()))
        .bind(&q.event_type)
        .bind(i64::from(q.limit))
        .bind(&q.tenant)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn retry_delivery(&self, id: Ulid, now: Millis) -> Result<RetryResult> {
        let mut tx = self.pool.begin().await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM deliveries WHERE id = $1 FOR UPDATE")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(status) = status else {
            tx.rollback().await?;
            return Ok(RetryResult::NotFound);
        };
        let status = codec::status(&status)?;
        if status != DeliveryStatus::Failed {
            tx.rollback().await?;
            return Ok(RetryResult::NotFailed(status));
        }
        sqlx::query(
            "UPDATE deliveries SET status = 'retrying', step = 0, next_attempt_at = $1, updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.announce_queued().await;
        Ok(RetryResult::Scheduled)
    }

    async fn prune_deliveries(&self, keep: u32) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        if !housekeeping_turn(&mut tx, "prune").await? {
            tx.rollback().await?;
            return Ok(0);
        }
        let r = sqlx::query(
            "DELETE FROM deliveries WHERE id IN ( \
               SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY channel_id ORDER BY id DESC) AS n \
                               FROM deliveries WHERE status IN ('delivered', 'failed')) finished \
               WHERE n > $1)",
        )
        .bind(i64::from(keep))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(r.rows_affected())
    }

    async fn create_profile(&self, p: &SenderProfile) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        move_default(&mut tx, p).await?;
        sqlx::query(
            "INSERT INTO sender_profiles (id, name, kind, settings, secrets, is_default, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(p.id.to_string())
        .bind(&p.name)
        .bind(&p.kind)
        .bind(codec::json_text(&p.config.settings))
        .bind(codec::secrets_text(&p.config.secrets))
        .bind(p.is_default)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_profile(&self, p: &SenderProfile) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        move_default(&mut tx, p).await?;
        let updated = sqlx::query(
            "UPDATE sender_profiles SET name = $1, settings = $2, secrets = $3, is_default = $4, updated_at = $5 \
             WHERE id = $6",
        )
        .bind(&p.name)
        .bind(codec::json_text(&p.config.settings))
        .bind(codec::secrets_text(&p.config.secrets))
        .bind(p.is_default)
        .bind(p.updated_at)
        .bind(p.id.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(StoreError::NotFound("sender profile"));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_profile(&self, id: Ulid) -> Result<ProfileDeletion> {
        delete_unless_named(
            &self.pool,
            id,
            "SELECT 1 FROM sender_profiles WHERE id = $1 FOR UPDATE",
            "SELECT id, name FROM channels WHERE settings::jsonb ->> 'profile' = $1 ORDER BY id",
            "DELETE FROM sender_profiles WHERE id = $1",
        )
        .await
    }

    async fn get_profile(&self, id: Ulid) -> Result<Option<SenderProfile>> {
        one(
            &self.pool,
            "SELECT * FROM sender_profiles WHERE id = $1",
            id,
            profile_from_row,
        )
        .await
    }

    async fn list_profiles(&self) -> Result<Vec<SenderProfile>> {
        all(
            &self.pool,
            "SELECT * FROM sender_profiles ORDER BY id",
            profile_from_row,
        )
        .await
    }

    async fn default_profile(&self, kind: &str) -> Result<Option<SenderProfile>> {
        sqlx::query("SELECT * FROM sender_profiles WHERE kind = $1 AND is_default")
            .bind(kind)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(profile_from_row)
            .transpose()
    }

    async fn replace_secrets(&self, changes: &[SecretsChange]) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        for c in changes {
            let (sql, id) = match c.owner {
                SecretOwner::Channel(id) => (
                    "UPDATE channels SET secrets = $1 WHERE id = $2 AND secrets = $3",
                    id,
                ),
                SecretOwner::Profile(id) => (
                    "UPDATE sender_profiles SET secrets = $1 WHERE id = $2 AND secrets = $3",
                    id,
                ),
            };
            let updated = sqlx::query(sql)
                .bind(codec::secrets_text(&c.secrets))
                .bind(id.to_string())
                .bind(codec::secrets_text(&c.previous))
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn create_token(&self, t: &StoredToken) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_token_row(&mut tx, t).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn find_token(&self, token_hash: &str) -> Result<Option<StoredToken>> {
        sqlx::query("SELECT * FROM api_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    async fn count_tokens(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }

    async fn list_tokens(&self) -> Result<Vec<StoredToken>> {
        all(
            &self.pool,
            "SELECT * FROM api_tokens ORDER BY id",
            token_from_row,
        )
        .await
    }

    async fn get_token(&self, id: Ulid) -> Result<Option<StoredToken>> {
        one(
            &self.pool,
            "SELECT * FROM api_tokens WHERE id = $1",
            id,
            token_from_row,
        )
        .await
    }

    async fn delete_token(&self, id: Ulid) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let deleted = delete_row(&mut tx, DELETE_TOKEN, id).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn touch_token(&self, id: Ulid, at: Millis) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record_audit(
        &self,
        mutation: Option<Mutation<'_>>,
        audit: &Audit<'_>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        // Whether the change was made, and whether it changes routing (other nodes are told).
        let (done, routing) = match mutation {
            None => (true, false),
            Some(Mutation::CreateChannel {
                channel,
                own_rule,
                declared,
            }) => {
                insert_channel_row(&mut tx, channel).await?;
                if let Some(rule) = own_rule {
                    insert_rule_rows(&mut tx, rule).await?;
                }
                if let Some(d) = declared {
                    mark_declared(
                        &mut tx,
                        Managed::Channel,
                        channel.id,
                        Some((d.name, d.hash)),
                    )
                    .await?;
                }
                (true, true)
            }
            Some(Mutation::UpdateChannel { channel, own_rule }) => {
                update_channel_rows(&mut tx, channel, own_rule).await?;
                (true, true)
            }
            Some(Mutation::DeleteChannel(id)) => {
                (delete_row(&mut tx, DELETE_CHANNEL, id).await?, true)
            }
            Some(Mutation::CreateRule { rule, declared }) => {
                insert_rule_rows(&mut tx, rule).await?;
                if let Some(d) = declared {
                    mark_declared(&mut tx, Managed::Rule, rule.id, Some((d.name, d.hash))).await?;
                }
                (true, true)
            }
            Some(Mutation::UpdateRule(rule)) => {
                update_rule_rows(&mut tx, rule).await?;
                (true, true)
            }
            Some(Mutation::DeleteRule(id)) => (delete_row(&mut tx, DELETE_RULE, id).await?, true),
            Some(Mutation::CreateToken(token)) => {
                insert_token_row(&mut tx, token).await?;
                (true, false)
            }
            Some(Mutation::DeleteToken(id)) => {
                (delete_row(&mut tx, DELETE_TOKEN, id).await?, false)
            }
        };
        if !done {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_audit_row(&mut tx, audit.entry).await?;
        insert_event_row(&mut tx, INSERT_EVENT, audit.event).await?;
        let written = write_deliveries(&mut tx, audit.event, audit.deliveries).await?;
        if routing {
            announce_routing(&mut tx).await?;
        }
        tx.commit().await?;
        if written.queued {
            self.announce_queued().await;
        }
        Ok(true)
    }

    async fn list_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        sqlx::query(
            "SELECT * FROM audit_log WHERE ($1::text IS NULL OR tenant = $1) \
             AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(&q.tenant)
        .bind(q.before.map(|b| b.to_string()))
        .bind(i64::from(q.limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    async fn create_metrics_token(&self, t: &MetricsToken) -> Result<()> {
        sqlx::query(
            "INSERT INTO metrics_tokens (id, server, token_hash, margin, cool_off_secs, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(t.id.to_string())
        .bind(&t.server)
        .bind(&t.token_hash)
        .bind(t.margin)
        .bind(i64::from(t.cool_off_secs))
        .bind(t.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn find_metrics_token(&self, token_hash: &str) -> Result<Option<MetricsToken>> {
        sqlx::query("SELECT * FROM metrics_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(metrics_token_from_row)
            .transpose()
    }

    async fn list_metrics_tokens(&self) -> Result<Vec<MetricsToken>> {
        all(
            &self.pool,
            "SELECT * FROM metrics_tokens ORDER BY id",
            metrics_token_from_row,
        )
        .await
    }

    async fn delete_metrics_token(&self, id: Ulid) -> Result<bool> {
        let r = sqlx::query("DELETE FROM metrics_tokens WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn get_state(&self, state_key: &str) -> Result<Option<MonitorState>> {
        sqlx::query("SELECT * FROM monitor_states WHERE state_key = $1")
            .bind(state_key)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(state_from_row)
            .transpose()
    }
}

/// Marks a channel or rule as declared by the configuration file, or as made through
/// the API (`None`), inside `tx`.
async fn mark_declared(
    tx: &mut Transaction<'_, Postgres>,
    object: Managed,
    id: Ulid,
    declared: Option<(&str, &str)>,
) -> Result<()> {
    let query = match object {
        Managed::Channel => {
            "UPDATE channels SET managed_by = $1, declared_name = $2, declared_hash = $3 \
             WHERE id = $4"
        }
        Managed::Rule => {
            "UPDATE rules SET managed_by = $1, declared_name = $2, declared_hash = $3 \
             WHERE id = $4"
        }
    };
    let (by, name, hash) = match declared {
        Some((name, hash)) => ("config", Some(name), Some(hash)),
        None => ("api", None, None),
    };
    let done = sqlx::query(query)
        .bind(by)
        .bind(name)
        .bind(hash)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(match object {
            Managed::Channel => "channel",
            Managed::Rule => "rule",
        }));
    }
    Ok(())
}
