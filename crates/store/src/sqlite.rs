//! The SQLite store: one file in WAL mode. Writes go through a single connection, so they
//! never wait on each other's locks; reads use a small pool of their own, which WAL lets run
//! beside the writer.
//!
//! Durability: every write commits with `synchronous = FULL` (the WAL is synced before the
//! commit returns), except the dispatcher's bookkeeping — claims, attempt records, releases
//! and lease reaping — which commits at `NORMAL` (written to the WAL, synced by the next
//! FULL commit or checkpoint). Losing such a commit to a power cut only sends a delivery
//! again, which at-least-once delivery allows; an accepted event is never lost, because the
//! sync of its own commit covers everything before it in the WAL.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Acquire, Connection, Row, Sqlite, Transaction};
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
use ulid::Ulid;

use crate::codec;
use crate::{
    AttemptRecord, Audit, AuditEntry, AuditQuery, Claimed, DeclaredRow, Deletion, DeliveryQuery,
    EventQuery, Inserted, Managed, MetricsToken, Migrated, MonitorState, Mutation,
    MuteWindowDeletion, NewDelivery, NewEvent, ProfileDeletion, QueueDepth, Result, RetryResult,
    RoutingSnapshot, SecretOwner, SecretsChange, Store, StoreError, StoredToken,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// True while the writer connection may be at `synchronous = NORMAL`: the dispatcher's
    /// bookkeeping left it there. Any other user of the writer gets it back at FULL first.
    relaxed: Arc<AtomicBool>,
    /// The writer's return to the pool: whether it must be checked for a transaction left
    /// open, and how many times it was (see [`WriterCheck`]).
    check: Arc<WriterCheck>,
}

/// When the writer connection going back to the pool is checked for a transaction left
/// open ([`writer_is_clean`], one round trip to the connection's worker thread and a
/// hand-over of its lock). Only two things can leave one that sqlx does not track: a string
/// of statements with its own `BEGIN` (the dispatcher's attempt batches) that failed or was
/// cut short, and a write that failed on a full disk or an I/O error inside a transaction
/// sqlx tracks. The first is [`WriterCheck::suspect`] from the moment the string is chosen
/// until it is seen to have finished; the second shows in sqlx's own count of transactions,
/// which also counts a rollback still queued. Every other release skips the round trip.
#[derive(Debug, Default)]
struct WriterCheck {
    suspect: AtomicBool,
    /// How many releases were checked in full.
    checked: std::sync::atomic::AtomicU64,
}

impl WriterCheck {
    /// Whether the writer may go back to the pool.
    async fn release(&self, conn: &mut sqlx::SqliteConnection) -> sqlx::Result<bool> {
        if !self.suspect.load(Ordering::Acquire) && !sqlx::Connection::is_in_transaction(conn) {
            return Ok(true);
        }
        self.checked.fetch_add(1, Ordering::Relaxed);
        let clean = writer_is_clean(conn).await?;
        // Clean, or about to be closed: either way the next connection starts clean.
        self.suspect.store(false, Ordering::Release);
        Ok(clean)
    }
}

tokio::task_local! {
    /// Set while [`SqliteStore::relaxed_writer`] acquires the writer, so that the pool's
    /// `before_acquire` hook, which runs inside that acquire, leaves the level at NORMAL.
    static RELAXED_ACQUIRE: ();
}

impl SqliteStore {
    /// Opens (creating when missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::connect(SqliteConnectOptions::new().filename(path)).await
    }

    /// Opens a `sqlite://…` URL.
    pub async fn open_url(url: &str) -> Result<Self> {
        Self::connect(SqliteConnectOptions::from_str(url)?).await
    }

    async fn connect(options: SqliteConnectOptions) -> Result<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before the API answers 202, even across power loss.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let relaxed = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&relaxed);
        let check = Arc::new(WriterCheck::default());
        let on_release = Arc::clone(&check);
        // No ping before each acquire (`test_before_acquire`): a file's connection does not
        // hang up, and each ping was one more round trip to the connection's worker thread.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .after_connect(|conn, _| Box::pin(stable_plans(conn)))
            .after_release(move |conn, _| {
                let check = Arc::clone(&on_release);
                Box::pin(async move { check.release(conn).await })
            })
            .before_acquire(move |conn, _| {
                let flag = Arc::clone(&flag);
                // Durability rests on this: whoever acquires the writer other than through
                // `relaxed_writer` (every event commit) gets it at FULL.
                let relaxed_user = RELAXED_ACQUIRE.try_with(|_| ()).is_ok();
                Box::pin(async move {
                    if !relaxed_user && flag.load(Ordering::Acquire) {
                        sqlx::query("PRAGMA synchronous = FULL")
                            .execute(&mut *conn)
                            .await?;
                        flag.store(false, Ordering::Release);
                    }
                    Ok(true)
                })
            })
            .connect_with(options.clone())
            .await?;
        migrate(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .after_connect(|conn, _| Box::pin(stable_plans(conn)))
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            writer,
            reader,
            relaxed,
            check,
        })
    }

    /// The writer connection for the dispatcher's bookkeeping, which commits at
    /// `synchronous = NORMAL` (see the module's notes on durability). Its statements come
    /// wrapped in [`relaxed!`]: [`Relaxed::sql`] picks the variant that lowers the level
    /// first, in the same hand-off to the connection's worker thread, unless the connection
    /// is already there. The level stays at NORMAL when the connection goes back to the
    /// pool, so a drain does not switch it back and forth (SQLite compiles a pragma anew on
    /// every run); the next acquire by anyone else puts it back to FULL.
    async fn relaxed_writer(&self) -> Result<Relaxed> {
        let conn = RELAXED_ACQUIRE.scope((), self.writer.acquire()).await?;
        // Set before any statement runs: should they fail or be cut short after lowering
        // the level, the next acquire still puts it back. A connection opened afresh (the
        // last was closed) is at FULL though the flag says otherwise; its bookkeeping then
        // commits at FULL until the next event commit resets the flag, slower but safe.
        let lowered = self.relaxed.swap(true, Ordering::AcqRel);
        Ok(Relaxed {
            conn,
            lower: !lowered,
            check: Arc::clone(&self.check),
        })
    }

    /// Brings the schema of a `sqlite://…` database up to date (creating the file when
    /// missing), and nothing else.
    pub async fn migrate_url(url: &str) -> Result<Migrated> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let migrated = migrate(&pool).await;
        pool.close().await;
        migrated
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// `SQLITE_DBCONFIG_ENABLE_QPSG`, the query planner stability guarantee.
const DBCONFIG_ENABLE_QPSG: std::ffi::c_int = 1007;

unsafe extern "C" {
    fn sqlite3_db_config(db: *mut std::ffi::c_void, op: std::ffi::c_int, ...) -> std::ffi::c_int;
}

/// Turns on the query planner stability guarantee for a new connection: plans no longer
/// depend on the values bound to a statement. Without it, a statement whose plan looked at
/// a bound value (the claim's `LIMIT ?3`, with the SQLite build's STAT4) is compiled again
/// whenever that value changes, which was about a twentieth of the server's CPU in a drain.
/// Plans lose nothing here: no query uses `LIKE` or `GLOB`, no `ANALYZE` runs, and the
/// queries whose plan matters name their index (`INDEXED BY`).
async fn stable_plans(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
    set_stable_plans(conn, true).await
}

/// Turns the query planner stability guarantee on or off, and checks that SQLite did.
async fn set_stable_plans(conn: &mut sqlx::SqliteConnection, on: bool) -> sqlx::Result<()> {
    let mut handle = conn.lock_handle().await?;
    let mut now: std::ffi::c_int = -1;
    // SAFETY: the locked handle keeps the worker thread off the connection; the call takes
    // an int and a pointer to an int, as SQLite documents for this option.
    let rc = unsafe {
        sqlite3_db_config(
            handle.as_raw_handle().as_ptr().cast(),
            DBCONFIG_ENABLE_QPSG,
            std::ffi::c_int::from(on),
            &mut now as *mut std::ffi::c_int,
        )
    };
    if rc != 0 || now != std::ffi::c_int::from(on) {
        return Err(sqlx::Error::Protocol(format!(
            "cannot set SQLite's query planner stability guarantee (code {rc})"
        )));
    }
    Ok(())
}

/// Whether the writer connection may go back to the pool. A write that fails half-way on a
/// full disk or an I/O error (`SQLITE_FULL`, `SQLITE_IOERR`) may leave SQLite inside a
/// transaction sqlx no longer tracks, or roll back one sqlx still counts. Every later
/// statement on that connection would then join a transaction that is never committed, or
/// a "commit" would release a savepoint and commit nothing: writes answered as done but
/// lost, and claims the readers never see. Such a connection is closed (closing rolls its
/// transaction back) and the pool opens a fresh one. [`WriterCheck`] says when to look.
async fn writer_is_clean(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<bool> {
    unsafe extern "C" {
        fn sqlite3_get_autocommit(db: *mut std::ffi::c_void) -> std::ffi::c_int;
    }
    // The lock waits behind the commands already sent, a pending rollback among them.
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the locked handle keeps the worker thread off the connection, and
    // sqlite3_get_autocommit only reads its state.
    let autocommit = unsafe { sqlite3_get_autocommit(handle.as_raw_handle().as_ptr().cast()) } != 0;
    drop(handle);
    let tracked = sqlx::Connection::is_in_transaction(conn);
    if autocommit && !tracked {
        return Ok(true);
    }
    tracing::warn!(
        in_transaction = !autocommit,
        tracked,
        "closing the database writer connection left in a failed transaction; a fresh one takes its place"
    );
    Ok(false)
}

/// Statements for [`SqliteStore::relaxed_writer`], in two variants: with the pragma that
/// lowers the level to `synchronous = NORMAL` in front, and without, for a connection
/// already there ([`Relaxed::sql`] picks). The pragma shares the string with the statements,
/// so one round trip to the connection's worker thread instead of two: each hand-off waits
/// for the worker and then for the calling task to be scheduled again. Parameters in the
/// statements must be numbered (`?1`), since they are bound statement by statement. Run
/// them with `execute` or `fetch_all`, which run every statement. Count rows with
/// RETURNING, not `rows_affected`, which adds up the statements' counts.
macro_rules! relaxed {
    ($($sql:literal),+ $(,)?) => {
        [concat!("PRAGMA synchronous = NORMAL; ", $($sql,)+), concat!($($sql,)+)]
    };
}

/// The writer connection while it commits without syncing.
struct Relaxed {
    conn: PoolConnection<Sqlite>,
    /// The connection may be at FULL: the statements must lower the level first.
    lower: bool,
    check: Arc<WriterCheck>,
}

impl Relaxed {
    /// The variant of [`relaxed!`] statements this connection needs. Statements with their
    /// own `BEGIN` make the connection suspect until [`Relaxed::finished`].
    fn sql(&self, [lowering, plain]: [&'static str; 2]) -> &'static str {
        if plain.starts_with("BEGIN") {
            self.check.suspect.store(true, Ordering::Release);
        }
        if self.lower { lowering } else { plain }
    }

    /// The statements ran to the end, their `COMMIT` included: no transaction is left open.
    fn finished(&self) {
        self.check.suspect.store(false, Ordering::Release);
    }
}

/// Applies the migrations the database lacks; refuses one whose schema is newer than this
/// binary.
async fn migrate(pool: &SqlitePool) -> Result<Migrated> {
    let before = schema_version(pool).await?;
    let known = crate::latest_version(&MIGRATOR);
    crate::check_not_newer(before, known)?;
    MIGRATOR.run(pool).await?;
    Ok(Migrated {
        before,
        after: schema_version(pool).await?,
        known,
    })
}

async fn schema_version(pool: &SqlitePool) -> Result<i64> {
    let table: Option<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await?;
    if table.is_none() {
        return Ok(0);
    }
    Ok(
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?,
    )
}

fn ids_json(ids: &[Ulid]) -> String {
    codec::json_text(&ids.iter().map(Ulid::to_string).collect::<Vec<_>>())
}

fn digest_ms(r: &Rule) -> Option<i64> {
    r.digest
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn repeat_ms(r: &Rule) -> Option<i64> {
    r.repeat_interval
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn event_from_row(row: &SqliteRow) -> Result<Event> {
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

fn channel_from_row(row: &SqliteRow) -> Result<Channel> {
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

fn rule_from_row(row: &SqliteRow) -> Result<Rule> {
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

fn mute_window_from_row(row: &SqliteRow) -> Result<MuteWindow> {
    Ok(MuteWindow {
        id: codec::ulid(row.try_get("id")?)?,
        name: row.try_get("name")?,
        time_zone: codec::time_zone(row.try_get("time_zone")?)?,
        intervals: codec::intervals(row.try_get("intervals")?)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn delivery_from_row(row: &SqliteRow) -> Result<Delivery> {
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

fn attempt_from_row(row: &SqliteRow) -> Result<Attempt> {
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

fn profile_from_row(row: &SqliteRow) -> Result<SenderProfile> {
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

/// The row `sql` finds for `id`, read with `map`.
async fn one<T>(
    pool: &SqlitePool,
    sql: &'static str,
    id: Ulid,
    map: fn(&SqliteRow) -> Result<T>,
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
async fn all<T>(
    pool: &SqlitePool,
    sql: &'static str,
    map: fn(&SqliteRow) -> Result<T>,
) -> Result<Vec<T>> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await?
        .iter()
        .map(map)
        .collect()
}

/// Deletes row `id` with `delete` unless `users` (both taking the id) finds rows that name
/// it; one transaction, so nothing can start naming it in between.
async fn delete_unless_named(
    writer: &SqlitePool,
    id: Ulid,
    users: &'static str,
    delete: &'static str,
) -> Result<Deletion> {
    let mut tx = writer.begin().await?;
    let users = sqlx::query(users)
        .bind(id.to_string())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| Ok((codec::ulid(row.try_get("id")?)?, row.try_get("name")?)))
        .collect::<Result<Vec<(Ulid, String)>>>()?;
    if !users.is_empty() {
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
async fn move_default(tx: &mut Transaction<'_, Sqlite>, p: &SenderProfile) -> Result<()> {
    if p.is_default {
        sqlx::query(
            "UPDATE sender_profiles SET is_default = 0 WHERE kind = ? AND id != ? AND is_default",
        )
        .bind(&p.kind)
        .bind(p.id.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn token_from_row(row: &SqliteRow) -> Result<StoredToken> {
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

fn audit_from_row(row: &SqliteRow) -> Result<AuditEntry> {
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

fn state_from_row(row: &SqliteRow) -> Result<MonitorState> {
    Ok(MonitorState {
        state_key: row.try_get("state_key")?,
        state: row.try_get("state")?,
        changed_at: row.try_get("changed_at")?,
        seen_at: row.try_get("seen_at")?,
        last_event_id: codec::ulid(row.try_get("last_event_id")?)?,
    })
}

fn metrics_token_from_row(row: &SqliteRow) -> Result<MetricsToken> {
    Ok(MetricsToken {
        id: codec::ulid(row.try_get("id")?)?,
        server: row.try_get("server")?,
        token_hash: row.try_get("token_hash")?,
        margin: row.try_get("margin")?,
        cool_off_secs: row.try_get::<i64, _>("cool_off_secs")? as u32,
        created_at: row.try_get("created_at")?,
    })
}

const RULE_COLUMNS: &str = "SELECT r.id, r.name, r.events, r.matchers, r.min_severity, r.enabled, \
     r.owner_channel, r.recipients, r.mute, r.while_muted, r.critical_breaks_through, \
     r.repeat_interval_ms, r.template, r.digest_ms, r.tenant, r.created_at, r.updated_at, \
     (SELECT group_concat(channel_id, ',' ORDER BY position) FROM rule_channels rc WHERE rc.rule_id = r.id) AS channel_ids \
     FROM rules r";

async fn insert_channel_row(tx: &mut Transaction<'_, Sqlite>, c: &Channel) -> Result<()> {
    sqlx::query(
        "INSERT INTO channels (id, name, kind, settings, secrets, enabled, tags, retry_schedule, tenant, projects, \
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

async fn insert_rule_rows(tx: &mut Transaction<'_, Sqlite>, r: &Rule) -> Result<()> {
    sqlx::query(
        "INSERT INTO rules (id, name, events, matchers, min_severity, enabled, owner_channel, recipients, \
         mute, while_muted, critical_breaks_through, repeat_interval_ms, template, digest_ms, tenant, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    .bind(repeat_ms(r))
    .bind(&r.template)
    .bind(digest_ms(r))
    .bind(&r.tenant)
    .bind(r.created_at)
    .bind(r.updated_at)
    .execute(&mut **tx)
    .await?;
    insert_rule_channels(tx, r).await
}

async fn insert_rule_channels(tx: &mut Transaction<'_, Sqlite>, r: &Rule) -> Result<()> {
    for (position, channel) in r.channels.iter().enumerate() {
        let inserted = sqlx::query(
            "INSERT OR IGNORE INTO rule_channels (rule_id, channel_id, position) \
             SELECT ?, id, ? FROM channels WHERE id = ?",
        )
        .bind(r.id.to_string())
        .bind(position as i64)
        .bind(channel.to_string())
        .execute(&mut **tx)
        .await?;
        if inserted.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM channels WHERE id = ?")
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
    tx: &mut Transaction<'_, Sqlite>,
    c: &Channel,
    own_rule: Option<&Rule>,
) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE channels SET name = ?, settings = ?, secrets = ?, enabled = ?, tags = ?, \
             retry_schedule = ?, tenant = ?, projects = ?, updated_at = ? WHERE id = ?",
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
    sqlx::query("DELETE FROM rules WHERE owner_channel = ?")
        .bind(c.id.to_string())
        .execute(&mut **tx)
        .await?;
    if let Some(rule) = own_rule {
        insert_rule_rows(tx, rule).await?;
    }
    Ok(())
}

async fn update_rule_rows(tx: &mut Transaction<'_, Sqlite>, r: &Rule) -> Result<()> {
    let updated = sqlx::query(
            "UPDATE rules SET name = ?, events = ?, matchers = ?, min_severity = ?, enabled = ?, \
             recipients = ?, mute = ?, while_muted = ?, critical_breaks_through = ?, \
             repeat_interval_ms = ?, template = ?, digest_ms = ?, tenant = ?, updated_at = ? WHERE id = ?",
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
        .bind(repeat_ms(r))
        .bind(&r.template)
        .bind(digest_ms(r))
        .bind(&r.tenant)
        .bind(r.updated_at)
        .bind(r.id.to_string())
        .execute(&mut **tx)
        .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound("rule"));
    }
    sqlx::query("DELETE FROM rule_channels WHERE rule_id = ?")
        .bind(r.id.to_string())
        .execute(&mut **tx)
        .await?;
    insert_rule_channels(tx, r).await?;
    Ok(())
}

async fn delete_row(tx: &mut Transaction<'_, Sqlite>, sql: &'static str, id: Ulid) -> Result<bool> {
    let r = sqlx::query(sql)
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(r.rows_affected() > 0)
}

const DELETE_CHANNEL: &str = "DELETE FROM channels WHERE id = ?";
const DELETE_RULE: &str = "DELETE FROM rules WHERE id = ? AND owner_channel IS NULL";
const DELETE_TOKEN: &str = "DELETE FROM api_tokens WHERE id = ?";

async fn insert_token_row(tx: &mut Transaction<'_, Sqlite>, t: &StoredToken) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (id, name, token_hash, scopes, tenant, created_at, last_used_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
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

async fn insert_audit_row(tx: &mut Transaction<'_, Sqlite>, a: &AuditEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, actor_name, tenant, action, target_id, summary, event_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

/// Compares the event's state with the last one of its key and records it, in the event's
/// transaction: the single writer connection makes the read and the write one step.
async fn record_state(
    tx: &mut Transaction<'_, Sqlite>,
    e: &Event,
    key: &str,
    state: &str,
) -> Result<StateChange> {
    let previous: Option<String> =
        sqlx::query_scalar("SELECT state FROM monitor_states WHERE state_key = ?")
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
    let change = StateChange::between(previous.as_deref(), state);
    let changed = previous
        .as_deref()
        .is_none_or(|p| !p.eq_ignore_ascii_case(state));
    sqlx::query(
        "INSERT INTO monitor_states (state_key, state, changed_at, seen_at, last_event_id) \
         VALUES (?1, ?2, ?3, ?3, ?4) \
         ON CONFLICT (state_key) DO UPDATE SET state = excluded.state, seen_at = excluded.seen_at, \
         last_event_id = excluded.last_event_id, \
         changed_at = CASE WHEN ?5 THEN excluded.changed_at ELSE monitor_states.changed_at END",
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
/// whose window has not ended when the event arrives.
async fn join_digest(tx: &mut Transaction<'_, Sqlite>, e: &Event, channel: Ulid) -> Result<bool> {
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM deliveries WHERE channel_id = ? AND status = 'pending' \
         AND digest_until IS NOT NULL AND digest_until > ? ORDER BY id LIMIT 1",
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
    tx: &mut Transaction<'_, Sqlite>,
    delivery: Ulid,
    event: Ulid,
) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO digest_events (delivery_id, event_id) VALUES (?, ?)")
        .bind(delivery.to_string())
        .bind(event.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// When each rule with a repeat interval among `deliveries` last notified for `key`.
async fn last_notified(
    tx: &mut Transaction<'_, Sqlite>,
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
         WHERE state_key = ? AND rule_id IN (SELECT value FROM json_each(?))",
    )
    .bind(key)
    .bind(ids_json(&rules))
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
    tx: &mut Transaction<'_, Sqlite>,
    key: &str,
    rules: &[Ulid],
    at: Millis,
) -> Result<()> {
    if rules.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO rule_notifications (rule_id, state_key, notified_at) \
         SELECT DISTINCT r.id, ?1, ?2 FROM rules r WHERE r.id IN (SELECT value FROM json_each(?3)) \
         ON CONFLICT (rule_id, state_key) DO UPDATE SET notified_at = excluded.notified_at",
    )
    .bind(key)
    .bind(at)
    .bind(ids_json(rules))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the plain events `plain` names (by position in `batch`, with their deliveries'
/// due times) in three statements; returns how many deliveries each got (a channel deleted
/// since routing gets none, as in `insert_in`).
async fn insert_plain(
    tx: &mut Transaction<'_, Sqlite>,
    batch: &[NewEvent],
    plain: &[(usize, Vec<Millis>)],
) -> Result<Vec<u32>> {
    let mut channels: Vec<Ulid> = plain
        .iter()
        .flat_map(|(i, _)| batch[*i].deliveries.iter().map(|d| d.channel_id))
        .collect();
    channels.sort_unstable();
    channels.dedup();
    let existing: Vec<String> =
        sqlx::query_scalar("SELECT id FROM channels WHERE id IN (SELECT value FROM json_each(?))")
            .bind(ids_json(&channels))
            .fetch_all(&mut **tx)
            .await?;
    let existing: std::collections::HashSet<String> = existing.into_iter().collect();
    // The rows as JSON arrays, serialized straight from the fields.
    let ids: Vec<String> = plain
        .iter()
        .map(|(i, _)| batch[*i].event.id.to_string())
        .collect();
    let mut events = Vec::with_capacity(plain.len());
    let mut deliveries = Vec::new();
    let mut created = Vec::with_capacity(plain.len());
    for ((i, due), id) in plain.iter().zip(&ids) {
        let e = &batch[*i].event;
        let id = id.as_str();
        let mut n = 0;
        for (d, at) in batch[*i].deliveries.iter().zip(due) {
            let channel = d.channel_id.to_string();
            if !existing.contains(&channel) {
                continue;
            }
            n += 1;
            deliveries.push((
                d.id.to_string(),
                id,
                channel,
                *at,
                d.recipients.as_deref(),
                d.template.as_deref(),
                e.received_at,
            ));
        }
        created.push(n);
        events.push((
            id,
            e.event_type.as_str(),
            e.title.as_str(),
            e.message.as_str(),
            e.severity.as_str(),
            codec::json_text(&e.source),
            codec::json_text(&e.data),
            e.occurred_at,
            e.received_at,
        ));
    }
    // `jsonb_each`, not `json_each`: its `value` of an array row is a JSONB blob, which each
    // `->>` reads in place; `json_each` hands out text, which every `->>` parsed again
    // (nine times a row here: most of the statement's time in a profile).
    sqlx::query(
        "INSERT INTO events (id, type, title, message, severity, source, data, occurred_at, received_at) \
         SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, \
                r.value ->> 5, r.value ->> 6, r.value ->> 7, r.value ->> 8 \
         FROM jsonb_each(?) AS r",
    )
    .bind(codec::json_text(&events))
    .execute(&mut **tx)
    .await?;
    if !deliveries.is_empty() {
        sqlx::query(
            "INSERT INTO deliveries (id, event_id, channel_id, status, next_attempt_at, recipients, \
             template, created_at, updated_at) \
             SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, 'pending', r.value ->> 3, \
                    r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 6 \
             FROM jsonb_each(?) AS r",
        )
        .bind(codec::json_text(&deliveries))
        .execute(&mut **tx)
        .await?;
    }
    Ok(created)
}

/// `insert_event`'s work inside a transaction the caller commits. A duplicate writes nothing.
async fn insert_in(
    tx: &mut Transaction<'_, Sqlite>,
    e: &Event,
    deliveries: &[NewDelivery],
) -> Result<Inserted> {
    if let Some(key) = &e.idempotency_key {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT id FROM events WHERE idempotency_key = ?")
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?;
        if let Some(id) = existing {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries WHERE event_id = ?")
                .bind(&id)
                .fetch_one(&mut **tx)
                .await?;
            return Ok(Inserted::Duplicate {
                id: codec::ulid(&id)?,
                deliveries: n as u32,
            });
        }
    }
    let (created, state_change) = write_event(tx, e, deliveries).await?;
    Ok(Inserted::Created {
        deliveries: created,
        state_change,
    })
}

/// Records one attempt and moves its delivery on.
async fn record_one(tx: &mut Transaction<'_, Sqlite>, rec: &AttemptRecord) -> Result<()> {
    let a = &rec.attempt;
    let t = &rec.transition;
    sqlx::query(
        "INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, outcome, error, response_excerpt) \
         SELECT id, attempts + 1, ?, ?, ?, ?, ?, ? FROM deliveries WHERE id = ?",
    )
    .bind(a.started_at)
    .bind(a.duration_ms as i64)
    .bind(a.status_code.map(i64::from))
    .bind(a.outcome.as_str())
    .bind(&a.error)
    .bind(&a.response_excerpt)
    .bind(a.delivery_id.to_string())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE deliveries SET status = ?, attempts = attempts + 1, step = ?, next_attempt_at = ?, \
         lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ?",
    )
    .bind(t.status.as_str())
    .bind(t.step as i64)
    .bind(t.next_attempt_at)
    .bind(&a.error)
    .bind(a.started_at + a.duration_ms as i64)
    .bind(a.delivery_id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn attempts_of(pool: &SqlitePool, delivery_ids: &[Ulid]) -> Result<Vec<Attempt>> {
    sqlx::query(
        "SELECT * FROM attempts WHERE delivery_id IN (SELECT value FROM json_each(?)) \
         ORDER BY delivery_id, number",
    )
    .bind(ids_json(delivery_ids))
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

/// Writes an event, its state and its deliveries in `tx` (see [`Store::insert_event`]).
/// Returns how many deliveries were made and the state change.
async fn write_event(
    tx: &mut Transaction<'_, Sqlite>,
    e: &Event,
    deliveries: &[NewDelivery],
) -> Result<(u32, Option<StateChange>)> {
    sqlx::query(
            "INSERT INTO events (id, type, title, message, severity, source, data, idempotency_key, \
             state_key, state, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
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
    let state_change = match (&e.state_key, &e.state) {
        (Some(key), Some(state)) => Some(record_state(tx, e, key, state).await?),
        _ => None,
    };
    let last_notified = match (&e.state_key, &state_change) {
        (Some(key), Some(change)) if !change.notify => last_notified(tx, key, deliveries).await?,
        _ => HashMap::new(),
    };
    let mut created = 0u32;
    let mut notified: Vec<Ulid> = Vec::new();
    for d in deliveries {
        let Some(due) = monitor::due(
            &d.rules,
            state_change.as_ref(),
            |rule| last_notified.get(&rule).copied(),
            e.received_at,
        ) else {
            continue;
        };
        if due.digest.is_some() && join_digest(tx, e, d.channel_id).await? {
            created += 1;
            notified.extend(due.notifying);
            continue;
        }
        // A digest opens with this event, and falls due when its window ends.
        let digest_until = due
            .digest
            .map(|window| due.at.max(e.received_at.saturating_add(window)));
        // A channel deleted since routing simply gets no delivery.
        let r = sqlx::query(
                "INSERT INTO deliveries (id, event_id, channel_id, status, next_attempt_at, recipients, template, \
                 digest_until, created_at, updated_at) \
                 SELECT ?, ?, id, 'pending', ?, ?, ?, ?, ?, ? FROM channels WHERE id = ?",
            )
            .bind(d.id.to_string())
            .bind(e.id.to_string())
            .bind(digest_until.unwrap_or(due.at))
            .bind(&d.recipients)
            .bind(&d.template)
            .bind(digest_until)
            .bind(e.received_at)
            .bind(e.received_at)
            .bind(d.channel_id.to_string())
            .execute(&mut **tx)
            .await?;
        if r.rows_affected() > 0 {
            created += 1;
            notified.extend(due.notifying);
            if digest_until.is_some() {
                add_to_digest(tx, d.id, e.id).await?;
            }
        }
    }
    if let Some(key) = &e.state_key {
        record_notified(tx, key, &notified, e.received_at).await?;
    }
    Ok((created, state_change))
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn insert_event(&self, e: &Event, deliveries: &[NewDelivery]) -> Result<Inserted> {
        let mut tx = self.writer.begin().await?;
        let inserted = insert_in(&mut tx, e, deliveries).await?;
        tx.commit().await?;
        Ok(inserted)
    }

    async fn insert_events(&self, batch: &[NewEvent]) -> Result<Vec<Result<Inserted>>> {
        let mut tx = self.writer.begin().await?;
        let mut results: Vec<Option<Result<Inserted>>> = batch.iter().map(|_| None).collect();
        // Plain events (most of them) go in together, a few statements for all; should
        // that fail, each is tried again alone below.
        let plain: Vec<(usize, Vec<Millis>)> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, item)| item.plain_due().map(|due| (i, due)))
            .collect();
        if plain.len() > 1 {
            let mut together = (&mut tx).begin().await?;
            match insert_plain(&mut together, batch, &plain).await {
                Ok(created) => {
                    together.commit().await?;
                    for ((i, _), deliveries) in plain.iter().zip(created) {
                        results[*i] = Some(Ok(Inserted::Created {
                            deliveries,
                            state_change: None,
                        }));
                    }
                }
                Err(_) => together.rollback().await?,
            }
        }
        for (item, result) in batch.iter().zip(results.iter_mut()) {
            if result.is_some() {
                continue;
            }
            // A savepoint per event: one that fails is undone alone, the others commit.
            let mut one = (&mut tx).begin().await?;
            match insert_in(&mut one, &item.event, &item.deliveries).await {
                Ok(inserted) => {
                    one.commit().await?;
                    *result = Some(Ok(inserted));
                }
                Err(e) => {
                    one.rollback().await?;
                    *result = Some(Err(e));
                }
            }
        }
        tx.commit().await?;
        Ok(results.into_iter().flatten().collect())
    }

    async fn get_event(&self, id: Ulid) -> Result<Option<Event>> {
        one(
            &self.reader,
            "SELECT * FROM events WHERE id = ?",
            id,
            event_from_row,
        )
        .await
    }

    async fn get_events(&self, ids: &[Ulid]) -> Result<Vec<Event>> {
        sqlx::query("SELECT * FROM events WHERE id IN (SELECT value FROM json_each(?))")
            .bind(ids_json(ids))
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(event_from_row)
            .collect()
    }

    async fn list_events(&self, q: &EventQuery) -> Result<Vec<Event>> {
        sqlx::query(
            "SELECT * FROM events WHERE (?1 IS NULL OR type = ?1) AND (?2 IS NULL OR id < ?2) \
             AND (?4 IS NULL OR json_extract(source, '$.customer') = ?4) \
             AND (?5 OR id NOT IN (SELECT event_id FROM audit_log WHERE event_id IS NOT NULL)) \
             ORDER BY id DESC LIMIT ?3",
        )
        .bind(&q.event_type)
        .bind(q.before.map(|b| b.to_string()))
        .bind(q.limit as i64)
        .bind(&q.customer)
        .bind(q.audit)
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(event_from_row)
        .collect()
    }

    async fn list_states(&self) -> Result<Vec<MonitorState>> {
        all(
            &self.reader,
            "SELECT * FROM monitor_states ORDER BY state_key",
            state_from_row,
        )
        .await
    }

    async fn create_channel(&self, channel: &Channel, own_rule: Option<&Rule>) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        insert_channel_row(&mut tx, channel).await?;
        if let Some(rule) = own_rule {
            insert_rule_rows(&mut tx, rule).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_channel(&self, c: &Channel, own_rule: Option<&Rule>) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        update_channel_rows(&mut tx, c, own_rule).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_channel(&self, id: Ulid) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let deleted = delete_row(&mut tx, DELETE_CHANNEL, id).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn get_channel(&self, id: Ulid) -> Result<Option<Channel>> {
        one(
            &self.reader,
            "SELECT * FROM channels WHERE id = ?",
            id,
            channel_from_row,
        )
        .await
    }

    async fn get_channels(&self, ids: &[Ulid]) -> Result<Vec<Channel>> {
        sqlx::query("SELECT * FROM channels WHERE id IN (SELECT value FROM json_each(?))")
            .bind(ids_json(ids))
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(channel_from_row)
            .collect()
    }

    async fn list_channels(&self) -> Result<Vec<Channel>> {
        all(
            &self.reader,
            "SELECT * FROM channels ORDER BY id",
            channel_from_row,
        )
        .await
    }

    async fn own_rule(&self, channel_id: Ulid) -> Result<Option<Rule>> {
        sqlx::query(rule_query("WHERE r.owner_channel = ?"))
            .bind(channel_id.to_string())
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(rule_from_row)
            .transpose()
    }

    async fn create_rule(&self, rule: &Rule) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        insert_rule_rows(&mut tx, rule).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_rule(&self, r: &Rule) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        update_rule_rows(&mut tx, r).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_rule(&self, id: Ulid) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let deleted = delete_row(&mut tx, DELETE_RULE, id).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn get_rule(&self, id: Ulid) -> Result<Option<Rule>> {
        sqlx::query(rule_query("WHERE r.id = ?"))
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(rule_from_row)
            .transpose()
    }

    async fn list_rules(&self) -> Result<Vec<Rule>> {
        sqlx::query(rule_query("WHERE r.owner_channel IS NULL ORDER BY r.id"))
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(rule_from_row)
            .collect()
    }

    async fn routing_snapshot(&self) -> Result<RoutingSnapshot> {
        let rules = sqlx::query(rule_query("WHERE r.enabled ORDER BY r.id"))
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(rule_from_row)
            .collect::<Result<Vec<_>>>()?;
        let mut enabled_channels = BTreeSet::new();
        let mut restrictions = BTreeMap::new();
        for row in sqlx::query("SELECT id, tenant, projects FROM channels WHERE enabled")
            .fetch_all(&self.reader)
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
        let mute_windows = self
            .list_mute_windows()
            .await?
            .into_iter()
            .map(|w| (w.id, w))
            .collect();
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
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(w.id.to_string())
        .bind(&w.name)
        .bind(w.zone_name())
        .bind(codec::intervals_text(w))
        .bind(w.created_at)
        .bind(w.updated_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn update_mute_window(&self, w: &MuteWindow) -> Result<()> {
        let updated = sqlx::query(
            "UPDATE mute_windows SET name = ?, time_zone = ?, intervals = ?, updated_at = ? WHERE id = ?",
        )
        .bind(&w.name)
        .bind(w.zone_name())
        .bind(codec::intervals_text(w))
        .bind(w.updated_at)
        .bind(w.id.to_string())
        .execute(&self.writer)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound("mute window"));
        }
        Ok(())
    }

    async fn delete_mute_window(&self, id: Ulid) -> Result<MuteWindowDeletion> {
        delete_unless_named(
            &self.writer,
            id,
            "SELECT r.id, r.name FROM rules r \
             WHERE EXISTS (SELECT 1 FROM json_each(r.mute) m WHERE m.value = ?) ORDER BY r.id",
            "DELETE FROM mute_windows WHERE id = ?",
        )
        .await
    }

    async fn get_mute_window(&self, id: Ulid) -> Result<Option<MuteWindow>> {
        one(
            &self.reader,
            "SELECT * FROM mute_windows WHERE id = ?",
            id,
            mute_window_from_row,
        )
        .await
    }

    async fn list_mute_windows(&self) -> Result<Vec<MuteWindow>> {
        all(
            &self.reader,
            "SELECT * FROM mute_windows ORDER BY id",
            mute_window_from_row,
        )
        .await
    }

    async fn digest_batch(&self, delivery_id: Ulid, listed: u32) -> Result<Batch> {
        let id = delivery_id.to_string();
        let first = sqlx::query(
            "SELECT e.* FROM digest_events de JOIN events e ON e.id = de.event_id \
             WHERE de.delivery_id = ? ORDER BY e.id LIMIT ?",
        )
        .bind(&id)
        .bind(i64::from(listed))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(event_from_row)
        .collect::<Result<Vec<_>>>()?;
        let mut by_type = BTreeMap::new();
        let mut total = 0u32;
        let rows = sqlx::query(
            "SELECT e.type AS type, count(*) AS n FROM digest_events de JOIN events e ON e.id = de.event_id \
             WHERE de.delivery_id = ? GROUP BY e.type",
        )
        .bind(&id)
        .fetch_all(&self.reader)
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

    // One claim statement to keep: this one reads the events and channels too, which only
    // the dispatcher (through `claim_due_loaded`) wants; the rest cost a few rows.
    async fn claim_due_except(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Vec<Delivery>> {
        Ok(self
            .claim_due_loaded(now, lease_until, limit, skip)
            .await?
            .deliveries)
    }

    // One string of statements, one round trip to the writer's worker and one transaction:
    // the claim, then the events and channels of the deliveries leased until `lease_until`.
    // Those are this claim's, and any other claim's with the same deadline, which costs a
    // few rows read and nothing else. Should a statement fail, the connection goes back to
    // the pool with its transaction open and is closed (`WriterCheck`), which rolls the
    // claim back: the deliveries stay due.
    //
    // INDEXED BY: left to itself the planner picks `deliveries_status` and sorts every
    // waiting row for each claim, so draining a queue of n took O(n²); the partial index on
    // the due time reads only the rows it returns.
    async fn claim_due_loaded(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Claimed> {
        let mut w = self.relaxed_writer().await?;
        let rows = sqlx::query(w.sql(relaxed!(
            "BEGIN; ",
            "UPDATE deliveries SET status = 'sending', lease_until = ?1, updated_at = ?2 \
             WHERE id IN (SELECT id FROM deliveries INDEXED BY deliveries_due \
                          WHERE status IN ('pending', 'retrying') \
                          AND next_attempt_at <= ?2 \
                          AND channel_id NOT IN (SELECT value FROM json_each(?4)) \
                          ORDER BY next_attempt_at LIMIT ?3) \
             RETURNING 'd' AS part, *; ",
            "SELECT 'e' AS part, events.* FROM events WHERE id IN \
             (SELECT event_id FROM deliveries INDEXED BY deliveries_leased \
              WHERE status = 'sending' AND lease_until = ?1); ",
            "SELECT 'c' AS part, channels.* FROM channels WHERE id IN \
             (SELECT channel_id FROM deliveries INDEXED BY deliveries_leased \
              WHERE status = 'sending' AND lease_until = ?1); ",
            "COMMIT",
        )))
        .bind(lease_until)
        .bind(now)
        .bind(limit as i64)
        .bind(ids_json(skip))
        .fetch_all(&mut *w.conn)
        .await?;
        w.finished();
        let mut claimed = Claimed::default();
        for row in &rows {
            match row.try_get::<&str, _>("part")? {
                "d" => claimed.deliveries.push(delivery_from_row(row)?),
                "e" => claimed.events.push(event_from_row(row)?),
                _ => claimed.channels.push(channel_from_row(row)?),
            }
        }
        Ok(claimed)
    }

    async fn reap_expired_leases(&self, now: Millis) -> Result<u64> {
        let mut w = self.relaxed_writer().await?;
        // Counted from RETURNING: the rows_affected of several statements is unreliable,
        // since the pragma in front reports the count of the connection's last update.
        let reaped = sqlx::query(w.sql(relaxed!(
            "UPDATE deliveries SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END, \
             lease_until = NULL, next_attempt_at = ?1, updated_at = ?1 \
             WHERE status = 'sending' AND lease_until < ?1 RETURNING id"
        )))
        .bind(now)
        .fetch_all(&mut *w.conn)
        .await?;
        Ok(reaped.len() as u64)
    }

    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        // Two statements for the whole batch, the records passed as one JSON array; a
        // delivery recorded twice in one batch (claimed again after its lease ran out) is
        // numbered in order by the one-by-one path instead.
        let mut ids: Vec<Ulid> = records.iter().map(|r| r.attempt.delivery_id).collect();
        ids.sort_unstable();
        let repeated = ids.windows(2).any(|w| w[0] == w[1]);
        let mut w = self.relaxed_writer().await?;
        if repeated {
            sqlx::query("PRAGMA synchronous = NORMAL")
                .execute(&mut *w.conn)
                .await?;
            let mut tx = Connection::begin(&mut *w.conn).await?;
            for rec in records {
                record_one(&mut tx, rec).await?;
            }
            tx.commit().await?;
            sqlx::query("PRAGMA synchronous = FULL")
                .execute(&mut *w.conn)
                .await?;
        } else {
            let rows: Vec<serde_json::Value> = records
                .iter()
                .map(|rec| {
                    let (a, t) = (&rec.attempt, &rec.transition);
                    serde_json::json!([
                        a.delivery_id.to_string(),
                        a.started_at,
                        a.duration_ms,
                        a.status_code,
                        a.outcome.as_str(),
                        a.error,
                        a.response_excerpt,
                        t.status.as_str(),
                        t.step,
                        t.next_attempt_at,
                        a.started_at + a.duration_ms as i64,
                    ])
                })
                .collect();
            let rows = codec::json_text(&rows);
            // The transaction is part of the one string. Should a statement fail half-way,
            // the connection is left inside it; `writer_is_clean` then closes the connection,
            // which rolls the transaction back.
            sqlx::query(w.sql(relaxed!(
                "BEGIN; ",
                "INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, outcome, error, response_excerpt) \
                 SELECT d.id, d.attempts + 1, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, \
                        r.value ->> 5, r.value ->> 6 \
                 FROM jsonb_each(?1) AS r JOIN deliveries d ON d.id = r.value ->> 0; ",
                "UPDATE deliveries SET status = r.value ->> 7, attempts = attempts + 1, step = r.value ->> 8, \
                 next_attempt_at = r.value ->> 9, lease_until = NULL, last_error = r.value ->> 5, \
                 updated_at = r.value ->> 10 \
                 FROM jsonb_each(?1) AS r WHERE deliveries.id = r.value ->> 0; ",
                "COMMIT",
            )))
            .bind(&rows)
            .execute(&mut *w.conn)
            .await?;
            w.finished();
        }
        Ok(())
    }

    async fn release(&self, ids: &[Ulid], now: Millis) -> Result<()> {
        let mut w = self.relaxed_writer().await?;
        sqlx::query(w.sql(relaxed!(
            "UPDATE deliveries SET status = CASE WHEN attempts = 0 THEN 'pending' ELSE 'retrying' END, \
             lease_until = NULL, next_attempt_at = ?1, updated_at = ?1 \
             WHERE status = 'sending' AND id IN (SELECT value FROM json_each(?2))"
        )))
        .bind(now)
        .bind(ids_json(ids))
        .execute(&mut *w.conn)
        .await?;
        Ok(())
    }

    async fn next_due_at(&self) -> Result<Option<Millis>> {
        Ok(sqlx::query_scalar(
            "SELECT min(next_attempt_at) FROM deliveries INDEXED BY deliveries_due \
             WHERE status IN ('pending', 'retrying')",
        )
        .fetch_one(&self.reader)
        .await?)
    }

    async fn queue_depth(&self) -> Result<QueueDepth> {
        let rows = sqlx::query(
            "SELECT status, count(*) AS n FROM deliveries \
             WHERE status IN ('pending', 'retrying', 'sending') GROUP BY status",
        )
        .fetch_all(&self.reader)
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
        let Some(row) = sqlx::query("SELECT * FROM deliveries WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await?
        else {
            return Ok(None);
        };
        let delivery = delivery_from_row(&row)?;
        let attempts = attempts_of(&self.reader, &[id]).await?;
        Ok(Some((delivery, attempts)))
    }

    async fn deliveries_of_event(&self, event_id: Ulid) -> Result<Vec<(Delivery, Vec<Attempt>)>> {
        let deliveries = sqlx::query("SELECT * FROM deliveries WHERE event_id = ? ORDER BY id")
            .bind(event_id.to_string())
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(delivery_from_row)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<Ulid> = deliveries.iter().map(|d| d.id).collect();
        let attempts = attempts_of(&self.reader, &ids).await?;
        Ok(with_attempts(deliveries, attempts))
    }

    async fn list_deliveries(&self, q: &DeliveryQuery) -> Result<Vec<Delivery>> {
        sqlx::query(
            "SELECT d.* FROM deliveries d WHERE (?1 IS NULL OR d.status = ?1) \
             AND (?2 IS NULL OR d.channel_id = ?2) AND (?3 IS NULL OR d.id < ?3) \
             AND (?4 IS NULL OR d.event_id IN (SELECT id FROM events WHERE type = ?4)) \
             AND (?6 IS NULL OR d.channel_id IN (SELECT id FROM channels WHERE tenant = ?6)) \
             ORDER BY d.id DESC LIMIT ?5",
        )
        .bind(q.status.map(|s| s.as_str()))
        .bind(q.channel_id.map(|c| c.to_string()))
        .bind(q.before.map(|b| b.to_string()))
        .bind(&q.event_type)
        .bind(q.limit as i64)
        .bind(&q.tenant)
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn retry_delivery(&self, id: Ulid, now: Millis) -> Result<RetryResult> {
        let mut tx = self.writer.begin().await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM deliveries WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(status) = status else {
            return Ok(RetryResult::NotFound);
        };
        let status = codec::status(&status)?;
        if status != DeliveryStatus::Failed {
            return Ok(RetryResult::NotFailed(status));
        }
        sqlx::query(
            "UPDATE deliveries SET status = 'retrying', step = 0, next_attempt_at = ?, updated_at = ? WHERE id = ?",
        )
        .bind(now)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(RetryResult::Scheduled)
    }

    async fn prune_deliveries(&self, keep: u32) -> Result<u64> {
        let r = sqlx::query(
            "DELETE FROM deliveries WHERE id IN ( \
               SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY channel_id ORDER BY id DESC) AS n \
                               FROM deliveries WHERE status IN ('delivered', 'failed')) \
               WHERE n > ?)",
        )
        .bind(keep as i64)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected())
    }

    async fn create_profile(&self, p: &SenderProfile) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        move_default(&mut tx, p).await?;
        sqlx::query(
            "INSERT INTO sender_profiles (id, name, kind, settings, secrets, is_default, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
        let mut tx = self.writer.begin().await?;
        move_default(&mut tx, p).await?;
        let updated = sqlx::query(
            "UPDATE sender_profiles SET name = ?, settings = ?, secrets = ?, is_default = ?, updated_at = ? \
             WHERE id = ?",
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
            return Err(StoreError::NotFound("sender profile"));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn delete_profile(&self, id: Ulid) -> Result<ProfileDeletion> {
        delete_unless_named(
            &self.writer,
            id,
            "SELECT id, name FROM channels WHERE json_extract(settings, '$.profile') = ? ORDER BY id",
            "DELETE FROM sender_profiles WHERE id = ?",
        )
        .await
    }

    async fn get_profile(&self, id: Ulid) -> Result<Option<SenderProfile>> {
        one(
            &self.reader,
            "SELECT * FROM sender_profiles WHERE id = ?",
            id,
            profile_from_row,
        )
        .await
    }

    async fn list_profiles(&self) -> Result<Vec<SenderProfile>> {
        all(
            &self.reader,
            "SELECT * FROM sender_profiles ORDER BY id",
            profile_from_row,
        )
        .await
    }

    async fn default_profile(&self, kind: &str) -> Result<Option<SenderProfile>> {
        sqlx::query("SELECT * FROM sender_profiles WHERE kind = ? AND is_default")
            .bind(kind)
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(profile_from_row)
            .transpose()
    }

    async fn replace_secrets(&self, changes: &[SecretsChange]) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        for c in changes {
            let (sql, id) = match c.owner {
                SecretOwner::Channel(id) => (
                    "UPDATE channels SET secrets = ? WHERE id = ? AND secrets = ?",
                    id,
                ),
                SecretOwner::Profile(id) => (
                    "UPDATE sender_profiles SET secrets = ? WHERE id = ? AND secrets = ?",
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
        let mut tx = self.writer.begin().await?;
        insert_token_row(&mut tx, t).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn find_token(&self, token_hash: &str) -> Result<Option<StoredToken>> {
        sqlx::query("SELECT * FROM api_tokens WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(token_from_row)
            .transpose()
    }

    async fn count_tokens(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM api_tokens")
            .fetch_one(&self.reader)
            .await?;
        Ok(n as u64)
    }

    async fn list_tokens(&self) -> Result<Vec<StoredToken>> {
        all(
            &self.reader,
            "SELECT * FROM api_tokens ORDER BY id",
            token_from_row,
        )
        .await
    }

    async fn get_token(&self, id: Ulid) -> Result<Option<StoredToken>> {
        one(
            &self.reader,
            "SELECT * FROM api_tokens WHERE id = ?",
            id,
            token_from_row,
        )
        .await
    }

    async fn delete_token(&self, id: Ulid) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let deleted = delete_row(&mut tx, DELETE_TOKEN, id).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn touch_token(&self, id: Ulid, at: Millis) -> Result<()> {
        sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
            .bind(at)
            .bind(id.to_string())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn record_audit(
        &self,
        mutation: Option<Mutation<'_>>,
        audit: &Audit<'_>,
    ) -> Result<bool> {
        let mut tx = self.writer.begin().await?;
        let done = match mutation {
            None => true,
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
                true
            }
            Some(Mutation::UpdateChannel { channel, own_rule }) => {
                update_channel_rows(&mut tx, channel, own_rule).await?;
                true
            }
            Some(Mutation::DeleteChannel(id)) => delete_row(&mut tx, DELETE_CHANNEL, id).await?,
            Some(Mutation::CreateRule { rule, declared }) => {
                insert_rule_rows(&mut tx, rule).await?;
                if let Some(d) = declared {
                    mark_declared(&mut tx, Managed::Rule, rule.id, Some((d.name, d.hash))).await?;
                }
                true
            }
            Some(Mutation::UpdateRule(rule)) => {
                update_rule_rows(&mut tx, rule).await?;
                true
            }
            Some(Mutation::DeleteRule(id)) => delete_row(&mut tx, DELETE_RULE, id).await?,
            Some(Mutation::CreateToken(token)) => {
                insert_token_row(&mut tx, token).await?;
                true
            }
            Some(Mutation::DeleteToken(id)) => delete_row(&mut tx, DELETE_TOKEN, id).await?,
        };
        if !done {
            return Ok(false);
        }
        insert_audit_row(&mut tx, audit.entry).await?;
        write_event(&mut tx, audit.event, audit.deliveries).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn list_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        sqlx::query(
            "SELECT * FROM audit_log WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR id < ?2) \
             ORDER BY id DESC LIMIT ?3",
        )
        .bind(&q.tenant)
        .bind(q.before.map(|b| b.to_string()))
        .bind(q.limit as i64)
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    async fn create_metrics_token(&self, t: &MetricsToken) -> Result<()> {
        sqlx::query(
            "INSERT INTO metrics_tokens (id, server, token_hash, margin, cool_off_secs, created_at) \
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(t.id.to_string())
        .bind(&t.server)
        .bind(&t.token_hash)
        .bind(t.margin)
        .bind(i64::from(t.cool_off_secs))
        .bind(t.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn find_metrics_token(&self, token_hash: &str) -> Result<Option<MetricsToken>> {
        sqlx::query("SELECT * FROM metrics_tokens WHERE token_hash = ?")
            .bind(token_hash)
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(metrics_token_from_row)
            .transpose()
    }

    async fn list_metrics_tokens(&self) -> Result<Vec<MetricsToken>> {
        all(
            &self.reader,
            "SELECT * FROM metrics_tokens ORDER BY id",
            metrics_token_from_row,
        )
        .await
    }

    async fn delete_metrics_token(&self, id: Ulid) -> Result<bool> {
        let r = sqlx::query("DELETE FROM metrics_tokens WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    async fn get_state(&self, state_key: &str) -> Result<Option<MonitorState>> {
        sqlx::query("SELECT * FROM monitor_states WHERE state_key = ?")
            .bind(state_key)
            .fetch_optional(&self.reader)
            .await?
            .as_ref()
            .map(state_from_row)
            .transpose()
    }

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
        let rows = sqlx::query(query).fetch_all(&self.reader).await?;
        rows.iter()
            .map(|row| {
                Ok(DeclaredRow {
                    id: codec::ulid(&row.try_get::<String, _>("id")?)?,
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
        let mut tx = self.writer.begin().await?;
        mark_declared(&mut tx, object, id, declared).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Marks a channel or rule as declared by the configuration file, or as made through
/// the API (`None`), inside `tx`.
async fn mark_declared(
    tx: &mut Transaction<'_, Sqlite>,
    object: Managed,
    id: Ulid,
    declared: Option<(&str, &str)>,
) -> Result<()> {
    let query = match object {
        Managed::Channel => {
            "UPDATE channels SET managed_by = ?, declared_name = ?, declared_hash = ? \
             WHERE id = ?"
        }
        Managed::Rule => {
            "UPDATE rules SET managed_by = ?, declared_name = ?, declared_hash = ? \
             WHERE id = ?"
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

/// The rule queries differ only in their tail, always a literal of this file.
fn rule_query(tail: &'static str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!("{RULE_COLUMNS} {tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer connection's `PRAGMA synchronous`: 1 is NORMAL, 2 is FULL.
    async fn writer_synchronous(store: &SqliteStore) -> i64 {
        sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&store.writer)
            .await
            .expect("PRAGMA synchronous")
    }

    async fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(&dir.path().join("t.db"))
            .await
            .expect("open");
        (dir, store)
    }

    /// `PRAGMA synchronous` on the writer as [`SqliteStore::relaxed_writer`] hands it out,
    /// and whether it had to lower the level.
    async fn relaxed_synchronous(store: &SqliteStore) -> (i64, bool) {
        let mut w = store.relaxed_writer().await.expect("relaxed writer");
        let level: Vec<i64> = sqlx::query_scalar(w.sql(relaxed!("PRAGMA synchronous")))
            .fetch_all(&mut *w.conn)
            .await
            .expect("PRAGMA synchronous");
        (level[0], w.lower)
    }

    #[tokio::test]
    async fn only_the_dispatch_bookkeeping_commits_at_normal() {
        let (_dir, store) = store().await;
        assert_eq!(writer_synchronous(&store).await, 2);
        assert_eq!(
            relaxed_synchronous(&store).await,
            (1, true),
            "the bookkeeping lowers the level to NORMAL"
        );
        assert_eq!(
            relaxed_synchronous(&store).await,
            (1, false),
            "and the next bookkeeping finds it there"
        );
        // Every other user of the writer gets it at FULL: a plain acquire, a transaction.
        assert_eq!(writer_synchronous(&store).await, 2);
        assert!(!store.relaxed.load(Ordering::Acquire));
        assert_eq!(relaxed_synchronous(&store).await, (1, true));
        let mut tx = store.writer.begin().await.expect("begin");
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *tx)
            .await
            .expect("PRAGMA synchronous");
        assert_eq!(level, 2, "an event commit syncs");
        tx.commit().await.expect("commit");
        // The store's own bookkeeping calls, through the same path.
        assert!(store.claim_due(0, 1, 10).await.expect("claim").is_empty());
        assert_eq!(relaxed_synchronous(&store).await, (1, false));
        store.release(&[Ulid::new()], 0).await.expect("release");
        assert_eq!(store.reap_expired_leases(0).await.expect("reap"), 0);
        assert!(store.relaxed.load(Ordering::Acquire));
        assert_eq!(writer_synchronous(&store).await, 2);
        assert!(!store.relaxed.load(Ordering::Acquire));
    }

    #[tokio::test]
    async fn relaxed_statements_that_fail_half_way_leave_nothing_behind() {
        let (_dir, store) = store().await;
        sqlx::query("CREATE TABLE t (x INTEGER NOT NULL)")
            .execute(&store.writer)
            .await
            .expect("create");
        let mut w = store.relaxed_writer().await.expect("relaxed writer");
        let failed = sqlx::query(w.sql(relaxed!(
            "BEGIN; ",
            "INSERT INTO t (x) VALUES (1); ",
            "INSERT INTO t (x) VALUES (NULL); ",
            "COMMIT"
        )))
        .execute(&mut *w.conn)
        .await;
        assert!(
            failed.is_err(),
            "the NOT NULL constraint fails the second insert"
        );
        drop(w);
        // The writer was left inside the transaction at NORMAL: it is closed (rolling the
        // first insert back), and the next user gets a connection at FULL.
        assert_eq!(writer_synchronous(&store).await, 2);
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&store.writer)
            .await
            .expect("count");
        assert_eq!(
            rows, 0,
            "the first insert is rolled back, never committed later"
        );
        sqlx::query("INSERT INTO t (x) VALUES (2)")
            .execute(&store.writer)
            .await
            .expect("insert");
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&store.reader)
            .await
            .expect("count");
        assert_eq!(rows, 1, "a later write commits on its own");
    }

    mod raw {
        use std::ffi::{c_char, c_int, c_void};
        unsafe extern "C" {
            pub fn sqlite3_prepare_v2(
                db: *mut c_void,
                sql: *const c_char,
                len: c_int,
                stmt: *mut *mut c_void,
                tail: *mut *const c_char,
            ) -> c_int;
            pub fn sqlite3_bind_int64(stmt: *mut c_void, index: c_int, value: i64) -> c_int;
            pub fn sqlite3_step(stmt: *mut c_void) -> c_int;
            pub fn sqlite3_reset(stmt: *mut c_void) -> c_int;
            pub fn sqlite3_stmt_status(stmt: *mut c_void, op: c_int, reset: c_int) -> c_int;
            pub fn sqlite3_finalize(stmt: *mut c_void) -> c_int;
        }
        /// `SQLITE_STMTSTATUS_REPREPARE`.
        pub const REPREPARE: c_int = 5;
    }

    /// How many times SQLite compiled `sql` again while it ran once for each of `values`
    /// (bound to `?1` and `?2`), on the connection behind `conn`.
    async fn recompiles(conn: &mut sqlx::SqliteConnection, sql: &str, values: &[i64]) -> i32 {
        let sql = std::ffi::CString::new(sql).expect("no NUL");
        let mut handle = conn.lock_handle().await.expect("lock");
        let db = handle.as_raw_handle().as_ptr().cast();
        let mut stmt = std::ptr::null_mut();
        // SAFETY: the locked handle keeps the worker thread off the connection; the
        // statement is finalized before the lock is let go.
        unsafe {
            assert_eq!(
                raw::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut()),
                0
            );
            for &v in values {
                raw::sqlite3_bind_int64(stmt, 1, v);
                raw::sqlite3_bind_int64(stmt, 2, v);
                while raw::sqlite3_step(stmt) == 100 {}
                raw::sqlite3_reset(stmt);
            }
            let n = raw::sqlite3_stmt_status(stmt, raw::REPREPARE, 0);
            raw::sqlite3_finalize(stmt);
            n
        }
    }

    #[tokio::test]
    async fn a_claim_is_not_compiled_again_when_its_limit_changes() {
        // The claim's shape: the partial index on due deliveries, a bound time and limit.
        const CLAIM: &str = "SELECT id FROM deliveries INDEXED BY deliveries_due \
             WHERE status IN ('pending', 'retrying') AND next_attempt_at <= ?1 \
             ORDER BY next_attempt_at LIMIT ?2";
        let (_dir, store) = store().await;
        let limits = [8, 9, 16, 8, 32, 12];
        for pool in [&store.writer, &store.reader] {
            let mut conn = pool.acquire().await.expect("acquire");
            assert_eq!(recompiles(&mut conn, CLAIM, &limits).await, 0);
            // Without the guarantee, the same statement is compiled again and again.
            set_stable_plans(&mut conn, false).await.expect("off");
            assert!(recompiles(&mut conn, CLAIM, &limits).await > 0);
            set_stable_plans(&mut conn, true).await.expect("on");
        }
    }

    #[tokio::test]
    async fn the_writer_is_checked_only_when_it_may_be_left_in_a_transaction() {
        let (_dir, store) = store().await;
        // A connection goes back to the pool in a task of its own: the next acquire of the
        // one writer waits for it, check included.
        let checked = async || {
            drop(store.writer.acquire().await.expect("acquire"));
            store.check.checked.load(Ordering::Relaxed)
        };
        sqlx::query("CREATE TABLE t (x INTEGER NOT NULL)")
            .execute(&store.writer)
            .await
            .expect("create");
        // The bookkeeping without a BEGIN of its own, and a transaction sqlx committed.
        assert!(store.claim_due(0, 1, 10).await.expect("claim").is_empty());
        store.release(&[Ulid::new()], 0).await.expect("release");
        let mut tx = store.writer.begin().await.expect("begin");
        sqlx::query("INSERT INTO t (x) VALUES (1)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        // Statements with their own BEGIN, seen to finish.
        let mut w = store.relaxed_writer().await.expect("relaxed writer");
        sqlx::query(w.sql(relaxed!(
            "BEGIN; ",
            "INSERT INTO t (x) VALUES (2); ",
            "COMMIT"
        )))
        .execute(&mut *w.conn)
        .await
        .expect("insert");
        w.finished();
        drop(w);
        assert_eq!(
            checked().await,
            0,
            "nothing could have left a transaction open"
        );

        // A transaction dropped uncommitted: checked when its rollback is still queued at the
        // release, not when the worker already ran it (which of the two comes first is up
        // to the scheduler); either way the insert does not stay (below).
        let mut tx = store.writer.begin().await.expect("begin");
        sqlx::query("INSERT INTO t (x) VALUES (3)")
            .execute(&mut *tx)
            .await
            .expect("insert");
        drop(tx);
        let after_rollback = checked().await;
        assert!(after_rollback <= 1);
        // Statements with their own BEGIN, not seen to finish: sent, then given up.
        let mut w = store.relaxed_writer().await.expect("relaxed writer");
        sqlx::query(w.sql(relaxed!("BEGIN; ", "INSERT INTO t (x) VALUES (4); ")))
            .execute(&mut *w.conn)
            .await
            .expect("insert");
        drop(w);
        assert_eq!(checked().await, after_rollback + 1);
        // That connection was closed with its transaction; the next release is not checked.
        let rows: Vec<i64> = sqlx::query_scalar("SELECT x FROM t ORDER BY x")
            .fetch_all(&store.writer)
            .await
            .expect("rows");
        assert_eq!(
            rows,
            [1, 2],
            "neither the dropped nor the unfinished insert stays"
        );
        assert_eq!(checked().await, after_rollback + 1);
    }

    #[tokio::test]
    async fn a_relaxed_writer_given_up_midway_is_put_back_to_full() {
        let (_dir, store) = store().await;
        // As when the caller's future is dropped before its statements ran.
        let w = store.relaxed_writer().await.expect("relaxed writer");
        drop(w);
        assert_eq!(
            writer_synchronous(&store).await,
            2,
            "the next user of the writer must commit at FULL"
        );
        assert!(!store.relaxed.load(Ordering::Acquire));
    }
}
