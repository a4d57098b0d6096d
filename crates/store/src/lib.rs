//! Tocsin's storage: the [`Store`] trait and its SQLite and PostgreSQL implementations. This is the only
//! crate that knows SQL. The deliveries table is both the outbox (rows are written in the
//! same transaction as their event) and the queue (workers claim due rows under a lease).

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use tocsin_core::channel::{Channel, Secrets};
use tocsin_core::delivery::{Attempt, Delivery, DeliveryStatus, Transition};
use tocsin_core::digest::Batch;
use tocsin_core::event::Event;
use tocsin_core::monitor::StateChange;
use tocsin_core::mute::MuteWindow;
use tocsin_core::profile::SenderProfile;
use tocsin_core::routing::{MuteWindows, Restriction, RouteRule};
use tocsin_core::rule::Rule;
use tocsin_core::time::Millis;
use ulid::Ulid;

mod codec;
pub mod postgres;
pub mod sqlite;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error(
        "the database's schema is at version {database}, newer than this binary knows (up to \
         {binary}): run a Tocsin release at least as new as the one that migrated it"
    )]
    SchemaTooNew { database: i64, binary: i64 },
    #[error("unknown database URL scheme: use sqlite://… or postgres://…")]
    UnknownScheme,
}

/// What bringing a schema up to date did: the version before and after, and the newest
/// this binary knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    pub before: i64,
    pub after: i64,
    pub known: i64,
}

/// What another process sharing the database announced ([`Store::signals`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Deliveries were queued: claim now rather than at the next poll.
    Queued,
    /// Channels, rules or mute windows changed: drop cached routing.
    RoutingChanged,
}

fn latest_version(migrator: &sqlx::migrate::Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

fn check_not_newer(database: i64, binary: i64) -> Result<()> {
    if database > binary {
        return Err(StoreError::SchemaTooNew { database, binary });
    }
    Ok(())
}

/// Which backend a database URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnknownScheme)
        }
    }
}

/// Opens the store a URL names, bringing its schema up to date.
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>> {
    Ok(match Backend::of(url)? {
        Backend::Sqlite => std::sync::Arc::new(SqliteStore::open_url(url).await?),
        Backend::Postgres => std::sync::Arc::new(PgStore::open_url(url).await?),
    })
}

/// Brings the schema of the database a URL names up to date, and nothing else.
pub async fn migrate(url: &str) -> Result<Migrated> {
    match Backend::of(url)? {
        Backend::Sqlite => SqliteStore::migrate_url(url).await,
        Backend::Postgres => {
            let store = PgStore::connect(url).await?;
            let migrated = store.migrate().await;
            store.close().await;
            migrated
        }
    }
}

/// The URL with its password (in the user part or as a `password` parameter) replaced by
/// `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_owned(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

impl StoreError {
    /// The task that writes on the store's behalf is gone (it panicked): what it was
    /// writing may or may not be committed.
    pub fn worker_gone() -> Self {
        Self::Database(sqlx::Error::WorkerCrashed)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A delivery to create with its event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewDelivery {
    pub id: Ulid,
    pub channel_id: Ulid,
    /// Recipients a rule put in place of the channel's own.
    pub recipients: Option<String>,
    /// A template a rule put in place of the channel's own.
    pub template: Option<String>,
    /// The rules that route the event to the channel, with their hold and repeat interval.
    /// `insert_event` decides from them (through [`tocsin_core::monitor::due`]) whether
    /// the delivery is written and when it falls due; empty is one rule without options.
    pub rules: Vec<RouteRule>,
}

/// An event and the deliveries routing chose for it, for [`Store::insert_events`].
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event: Event,
    pub deliveries: Vec<NewDelivery>,
}

impl NewEvent {
    /// When each delivery of a plain event falls due: an event with no idempotency key, no
    /// state key, and no delivery that goes into a digest, so that writing it takes no lock
    /// and nothing to read (a backend writes many of them in a few statements). `None` for
    /// any other event.
    pub(crate) fn plain_due(&self) -> Option<Vec<Millis>> {
        let e = &self.event;
        if e.idempotency_key.is_some() || e.state_key.is_some() {
            return None;
        }
        self.deliveries
            .iter()
            .map(|d| {
                let due = tocsin_core::monitor::due(&d.rules, None, |_| None, e.received_at)?;
                due.digest.is_none().then_some(due.at)
            })
            .collect()
    }
}

/// What `insert_event` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// The event and this many deliveries were committed. `state_change` is set for an event
    /// with a `state_key`: when it does not notify, the event was stored without deliveries.
    Created {
        deliveries: u32,
        state_change: Option<StateChange>,
    },
    /// An event with the same idempotency key exists: nothing was written.
    Duplicate { id: Ulid, deliveries: u32 },
}

/// The last state seen for a `state_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorState {
    pub state_key: String,
    pub state: String,
    /// When the key entered this state (the first event with it).
    pub changed_at: Millis,
    /// When an event last reported the key.
    pub seen_at: Millis,
    /// The newest event of the key.
    pub last_event_id: Ulid,
}

/// What routing needs, read in one go.
#[derive(Debug, Clone, Default)]
pub struct RoutingSnapshot {
    pub rules: Vec<Rule>,
    pub enabled_channels: BTreeSet<Ulid>,
    /// The tenant and projects of the enabled channels that have either.
    pub restrictions: BTreeMap<Ulid, Restriction>,
    pub mute_windows: MuteWindows,
}

impl RoutingSnapshot {
    /// The channels routing may deliver to, with their restrictions.
    pub fn gates(&self) -> tocsin_core::routing::Gates<'_> {
        tocsin_core::routing::Gates {
            enabled: &self.enabled_channels,
            restrictions: &self.restrictions,
        }
    }
}

/// Deliveries a claim leased, with the events and channels they need (those still stored;
/// either may hold more than the claimed deliveries name).
#[derive(Debug, Clone, Default)]
pub struct Claimed {
    pub deliveries: Vec<Delivery>,
    pub events: Vec<Event>,
    pub channels: Vec<Channel>,
}

/// The result of one attempt, to be recorded with the delivery's next state.
#[derive(Debug, Clone)]
pub struct AttemptRecord {
    pub attempt: Attempt,
    pub transition: Transition,
}

/// Filters for listing deliveries, newest first.
#[derive(Debug, Clone, Default)]
pub struct DeliveryQuery {
    pub status: Option<DeliveryStatus>,
    pub channel_id: Option<Ulid>,
    pub event_type: Option<String>,
    /// Only deliveries to channels of this tenant.
    pub tenant: Option<String>,
    /// Only deliveries older than this id (paging).
    pub before: Option<Ulid>,
    pub limit: u32,
}

/// Filters for listing events, newest first.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub event_type: Option<String>,
    /// Only events whose `source.customer` is this.
    pub customer: Option<String>,
    /// Include the `audit.*` events that announce entries of the audit log (left out by
    /// default: the event feed shows what sources posted).
    pub audit: bool,
    pub before: Option<Ulid>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryResult {
    Scheduled,
    NotFound,
    /// Only failed deliveries can be retried by hand.
    NotFailed(DeliveryStatus),
}

/// How many deliveries wait, by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDepth {
    pub pending: u64,
    pub retrying: u64,
    pub sending: u64,
}

/// What deleting something others may name did (`delete_profile`, `delete_mute_window`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    NotFound,
    /// Others name it (channels a profile, rules a mute window): nothing was deleted.
    /// Their ids and names.
    InUse(Vec<(Ulid, String)>),
}

pub type ProfileDeletion = Deletion;
pub type MuteWindowDeletion = Deletion;

/// An API token as stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub id: Ulid,
    pub name: String,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    pub scopes: Vec<String>,
    /// The tenant the token is bound to; `None` for a global token.
    pub tenant: Option<String>,
    pub created_at: Millis,
    /// When the token was last used (kept to the minute).
    pub last_used_at: Option<Millis>,
}

/// One change of configuration, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Ulid,
    pub at: Millis,
    /// The token that made the change; `None` for the `TOCSIN_ADMIN_TOKEN`.
    pub actor_id: Option<Ulid>,
    pub actor_name: String,
    /// The tenant of the changed object (its entries are that tenant's to read).
    pub tenant: Option<String>,
    /// `channel.created`, `rule.deleted`, `token.revoked`, …
    pub action: String,
    pub target_id: String,
    /// What changed, in words; never a secret.
    pub summary: String,
    /// The `audit.*` event that announced it.
    pub event_id: Option<Ulid>,
}

/// A change of configuration that [`Store::record_audit`] makes together with its entry.
#[derive(Debug, Clone, Copy)]
pub enum Mutation<'a> {
    /// `declared`: the channel is made already marked as declared by the configuration
    /// file, in the same transaction (a crash cannot leave an unmarked copy).
    CreateChannel {
        channel: &'a Channel,
        own_rule: Option<&'a Rule>,
        declared: Option<Declared<'a>>,
    },
    UpdateChannel {
        channel: &'a Channel,
        own_rule: Option<&'a Rule>,
    },
    DeleteChannel(Ulid),
    /// `declared` as for [`Mutation::CreateChannel`].
    CreateRule {
        rule: &'a Rule,
        declared: Option<Declared<'a>>,
    },
    UpdateRule(&'a Rule),
    /// Standalone rules only, as `delete_rule`.
    DeleteRule(Ulid),
    CreateToken(&'a StoredToken),
    DeleteToken(Ulid),
}

/// The name a configuration-file object is declared under and the hash of its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared<'a> {
    pub name: &'a str,
    pub hash: &'a str,
}

/// An audit entry with the event that announces it and the event's deliveries.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    pub entry: &'a AuditEntry,
    pub event: &'a Event,
    pub deliveries: &'a [NewDelivery],
}

/// Filters for the audit log, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only entries of this tenant.
    pub tenant: Option<String>,
    pub before: Option<Ulid>,
    pub limit: u32,
}

/// A metrics token as stored: only its hash, the server it names, and that server's
/// threshold settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsToken {
    pub id: Ulid,
    /// The `server` label of the events its reports make.
    pub server: String,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// Hysteresis margin, in percentage points.
    pub margin: f64,
    /// How long after a recovery a new alert is held back.
    pub cool_off_secs: u32,
    pub created_at: Millis,
}

/// The row a secret map belongs to. Its [`label`](SecretOwner::label) is what sealed
/// values are bound to, so a value cannot be moved to another row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretOwner {
    Channel(Ulid),
    Profile(Ulid),
}

impl SecretOwner {
    /// `channel/<id>` or `profile/<id>`.
    pub fn label(&self) -> String {
        match self {
            Self::Channel(id) => format!("channel/{id}"),
            Self::Profile(id) => format!("profile/{id}"),
        }
    }
}

/// New secrets for one row, to be written only if the row still holds `previous`.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretsChange {
    pub owner: SecretOwner,
    pub previous: Secrets,
    pub secrets: Secrets,
}

/// The objects the configuration file may declare (configuration as code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Managed {
    Channel,
    Rule,
}

/// A channel or rule the configuration file declared: its id, the name it is declared
/// under (the reconcile key) and a hash of its declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredRow {
    pub id: Ulid,
    pub name: String,
    pub hash: String,
}

/// Everything Tocsin keeps. One implementation per database; both pass the same contract
/// tests.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks the database answers.
    async fn ping(&self) -> Result<()>;

    // Events and the outbox.

    /// Writes the event and its deliveries in one transaction, unless an event with the
    /// same idempotency key exists (checked first: a duplicate changes no state either).
    /// An event with a `state_key` also records its state in that transaction, and its
    /// deliveries are written only when [`StateChange::between`] the last state and its own
    /// says it notifies, or for the rules whose `repeat_interval` has passed since they last
    /// notified for the key ([`tocsin_core::monitor::due`] decides per delivery; the store
    /// records when each notifying rule notified, in that transaction). A delivery falls due
    /// at once, or when the mute window of the rules that hold it ends. A delivery whose
    /// rules all ask for a digest joins the channel's open digest (a pending digest delivery
    /// whose window has not ended), or opens one that falls due when its window ends; an
    /// event that joins counts among the deliveries made.
    async fn insert_event(&self, event: &Event, deliveries: &[NewDelivery]) -> Result<Inserted>;
    /// Inserts each event as [`Store::insert_event`] does, one result per event in order,
    /// committing the batch at once where the backend can (group commit: one sync to disk
    /// for all of them). One event's failure leaves the others' results alone; the outer
    /// error means nothing of the batch was committed. By default one transaction each.
    async fn insert_events(&self, batch: &[NewEvent]) -> Result<Vec<Result<Inserted>>> {
        let mut results = Vec::with_capacity(batch.len());
        for item in batch {
            results.push(self.insert_event(&item.event, &item.deliveries).await);
        }
        Ok(results)
    }
    async fn get_event(&self, id: Ulid) -> Result<Option<Event>>;
    async fn get_events(&self, ids: &[Ulid]) -> Result<Vec<Event>>;
    async fn list_events(&self, query: &EventQuery) -> Result<Vec<Event>>;
    /// The last state of every `state_key`, by key.
    async fn list_states(&self) -> Result<Vec<MonitorState>>;

    // Channels and rules.

    /// Creates the channel, and its own rule when given, in one transaction.
    async fn create_channel(&self, channel: &Channel, own_rule: Option<&Rule>) -> Result<()>;
    /// Replaces the channel; `own_rule` replaces (Some) or removes (None) its own rule.
    async fn update_channel(&self, channel: &Channel, own_rule: Option<&Rule>) -> Result<()>;
    /// Deletes the channel with its own rule and its deliveries. False when there was none.
    async fn delete_channel(&self, id: Ulid) -> Result<bool>;
    async fn get_channel(&self, id: Ulid) -> Result<Option<Channel>>;
    async fn get_channels(&self, ids: &[Ulid]) -> Result<Vec<Channel>>;
    async fn list_channels(&self) -> Result<Vec<Channel>>;
    /// The rule a channel's `events`/`match` fields made.
    async fn own_rule(&self, channel_id: Ulid) -> Result<Option<Rule>>;

    /// Fails with `NotFound("channel")` when a listed channel does not exist.
    async fn create_rule(&self, rule: &Rule) -> Result<()>;
    async fn update_rule(&self, rule: &Rule) -> Result<()>;
    async fn delete_rule(&self, id: Ulid) -> Result<bool>;
    async fn get_rule(&self, id: Ulid) -> Result<Option<Rule>>;
    /// Standalone rules (not a channel's own).
    async fn list_rules(&self) -> Result<Vec<Rule>>;
    async fn routing_snapshot(&self) -> Result<RoutingSnapshot>;

    // Mute windows.

    async fn create_mute_window(&self, window: &MuteWindow) -> Result<()>;
    async fn update_mute_window(&self, window: &MuteWindow) -> Result<()>;
    /// Deletes the window unless a rule names it.
    async fn delete_mute_window(&self, id: Ulid) -> Result<MuteWindowDeletion>;
    async fn get_mute_window(&self, id: Ulid) -> Result<Option<MuteWindow>>;
    async fn list_mute_windows(&self) -> Result<Vec<MuteWindow>>;

    // Digests.

    /// The events a digest delivery holds: the first `listed` (oldest first), how many in
    /// all, and how many of each type. An empty batch for a delivery that is no digest.
    async fn digest_batch(&self, delivery_id: Ulid, listed: u32) -> Result<Batch>;

    // The queue.

    /// Claims up to `limit` due deliveries, leasing them until `lease_until`.
    async fn claim_due(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        self.claim_due_except(now, lease_until, limit, &[]).await
    }
    /// As `claim_due`, passing over the deliveries of the channels in `skip` (channels
    /// that already have as many deliveries in flight as they may): they keep their place
    /// in the queue.
    async fn claim_due_except(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Vec<Delivery>>;
    /// As `claim_due_except`, and reads the claimed deliveries' events and channels too: the
    /// dispatcher's claim. Should the reads fail, the deliveries are given back (due at
    /// `now`) before the error is returned; if that fails as well, their leases run out.
    async fn claim_due_loaded(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Claimed> {
        let deliveries = self.claim_due_except(now, lease_until, limit, skip).await?;
        if deliveries.is_empty() {
            return Ok(Claimed::default());
        }
        let ids = |of: fn(&Delivery) -> Ulid| {
            let mut ids: Vec<Ulid> = deliveries.iter().map(of).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let read = async {
            let events = self.get_events(&ids(|d| d.event_id)).await?;
            let channels = self.get_channels(&ids(|d| d.channel_id)).await?;
            Ok::<_, StoreError>((events, channels))
        };
        match read.await {
            Ok((events, channels)) => Ok(Claimed {
                deliveries,
                events,
                channels,
            }),
            Err(e) => {
                let claimed: Vec<Ulid> = deliveries.iter().map(|d| d.id).collect();
                let _ = self.release(&claimed, now).await;
                Err(e)
            }
        }
    }
    /// Makes deliveries whose lease ran out (their worker died) due again. Returns how many.
    async fn reap_expired_leases(&self, now: Millis) -> Result<u64>;
    /// Records attempts and moves their deliveries on, in one transaction.
    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<()>;
    /// Gives claimed deliveries back without an attempt, due again at `due_at`: now at
    /// shutdown, later for a delivery that waits for its channel's pace. Attempt counts and
    /// the retry step are unchanged; ids that are not `sending` are left alone.
    async fn release(&self, ids: &[Ulid], due_at: Millis) -> Result<()>;
    /// When the next delivery falls due, if any is waiting.
    async fn next_due_at(&self) -> Result<Option<Millis>>;
    async fn queue_depth(&self) -> Result<QueueDepth>;

    // The delivery log.

    async fn get_delivery(&self, id: Ulid) -> Result<Option<(Delivery, Vec<Attempt>)>>;
    async fn deliveries_of_event(&self, event_id: Ulid) -> Result<Vec<(Delivery, Vec<Attempt>)>>;
    async fn list_deliveries(&self, query: &DeliveryQuery) -> Result<Vec<Delivery>>;
    /// Schedules a failed delivery again, from the start of its retry schedule.
    async fn retry_delivery(&self, id: Ulid, now: Millis) -> Result<RetryResult>;
    /// Keeps the newest `keep` finished deliveries per channel; returns how many were removed.
    async fn prune_deliveries(&self, keep: u32) -> Result<u64>;

    // Sender profiles.

    /// Creates the profile; when it is the default, the kind's previous default stops being
    /// one, in the same transaction.
    async fn create_profile(&self, profile: &SenderProfile) -> Result<()>;
    /// Replaces the profile (and moves the default as `create_profile` does).
    async fn update_profile(&self, profile: &SenderProfile) -> Result<()>;
    /// Deletes the profile unless a channel names it in its `profile` setting.
    async fn delete_profile(&self, id: Ulid) -> Result<ProfileDeletion>;
    async fn get_profile(&self, id: Ulid) -> Result<Option<SenderProfile>>;
    async fn list_profiles(&self) -> Result<Vec<SenderProfile>>;
    /// The kind's default profile, if one is marked.
    async fn default_profile(&self, kind: &str) -> Result<Option<SenderProfile>>;

    // Secrets at rest.

    /// Replaces the secrets of channels and sender profiles in one transaction, each only
    /// where the row still holds its `previous` secrets (a compare-and-set: sealing on
    /// start and key rotation must not overwrite a change made meanwhile). True when every
    /// row was replaced; false when a row is gone or changed, and then nothing is written.
    /// Channels and profiles are otherwise left as they are (no `updated_at` change).
    async fn replace_secrets(&self, changes: &[SecretsChange]) -> Result<bool>;

    // API tokens.

    async fn create_token(&self, token: &StoredToken) -> Result<()>;
    async fn find_token(&self, token_hash: &str) -> Result<Option<StoredToken>>;
    async fn count_tokens(&self) -> Result<u64>;
    /// Every token, oldest first.
    async fn list_tokens(&self) -> Result<Vec<StoredToken>>;
    async fn get_token(&self, id: Ulid) -> Result<Option<StoredToken>>;
    /// False when there was none. A deleted token stops authenticating at once, on every
    /// node: `find_token` reads the database.
    async fn delete_token(&self, id: Ulid) -> Result<bool>;
    /// Records that the token was used at `at`.
    async fn touch_token(&self, id: Ulid, at: Millis) -> Result<()>;

    // The audit log.

    /// Makes the change (as the method of the same name would) and writes its audit entry,
    /// the `audit.*` event that announces it and that event's deliveries (as
    /// [`Store::insert_event`] writes them), all in one transaction, so that no change goes
    /// unrecorded. `None`: a change already written elsewhere, recorded on its own. False
    /// when a delete found nothing: then nothing is written.
    async fn record_audit(&self, mutation: Option<Mutation<'_>>, audit: &Audit<'_>)
    -> Result<bool>;
    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;

    // Metrics tokens and the states they read.

    /// Fails when a token with the same hash exists.
    async fn create_metrics_token(&self, token: &MetricsToken) -> Result<()>;
    async fn find_metrics_token(&self, token_hash: &str) -> Result<Option<MetricsToken>>;
    /// Every metrics token, oldest first.
    async fn list_metrics_tokens(&self) -> Result<Vec<MetricsToken>>;
    /// False when there was none.
    async fn delete_metrics_token(&self, id: Ulid) -> Result<bool>;
    /// The last state of one `state_key`.
    async fn get_state(&self, state_key: &str) -> Result<Option<MonitorState>>;

    // Configuration as code.

    /// The channels or rules the configuration file declared, by name.
    async fn list_declared(&self, object: Managed) -> Result<Vec<DeclaredRow>>;
    /// Marks an object as declared by the configuration file under a name with the hash of
    /// its declaration (`Some((name, hash))`), or as made through the API (`None`).
    /// `NotFound` when there is no such object.
    async fn set_declared(
        &self,
        object: Managed,
        id: Ulid,
        declared: Option<(&str, &str)>,
    ) -> Result<()>;

    // Several nodes.

    /// What other processes sharing this database announce, while the receiver is kept:
    /// `None` for a database one process owns (SQLite), where there is nothing to hear.
    async fn signals(&self) -> Option<tokio::sync::mpsc::Receiver<Signal>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_passwords_and_keeps_the_rest() {
        assert_eq!(
            redact_url("postgres://tocsin:s3cret@db.example:5432/tocsin?sslmode=require"),
            "postgres://tocsin:***@db.example:5432/tocsin?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://db/tocsin?user=t&password=s3cret"),
            "postgres://db/tocsin?user=t&password=***"
        );
        assert_eq!(
            redact_url("sqlite://data/tocsin.db"),
            "sqlite://data/tocsin.db"
        );
        assert_eq!(
            redact_url("postgres://tocsin@db/x"),
            "postgres://tocsin@db/x"
        );
    }

    #[test]
    fn a_newer_schema_is_refused() {
        assert!(check_not_newer(6, 6).is_ok());
        assert!(matches!(
            check_not_newer(7, 6),
            Err(StoreError::SchemaTooNew {
                database: 7,
                binary: 6
            })
        ));
    }
}
