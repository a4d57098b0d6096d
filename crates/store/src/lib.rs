//! Tocsin's storage: the [`Store`] trait and its SQLite implementation. This is the only
//! crate that knows SQL. The deliveries table is both the outbox (rows are written in the
//! same transaction as their event) and the queue (workers claim due rows under a lease).

use std::collections::BTreeSet;

use async_trait::async_trait;
use tocsin_core::channel::Channel;
use tocsin_core::delivery::{Attempt, Delivery, DeliveryStatus, Transition};
use tocsin_core::event::Event;
use tocsin_core::monitor::StateChange;
use tocsin_core::profile::SenderProfile;
use tocsin_core::rule::Rule;
use tocsin_core::time::Millis;
use ulid::Ulid;

mod codec;
pub mod sqlite;

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
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A delivery to create with its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub id: Ulid,
    pub channel_id: Ulid,
    /// Recipients a rule put in place of the channel's own.
    pub recipients: Option<String>,
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
    /// Only deliveries older than this id (paging).
    pub before: Option<Ulid>,
    pub limit: u32,
}

/// Filters for listing events, newest first.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub event_type: Option<String>,
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

/// What `delete_profile` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileDeletion {
    Deleted,
    NotFound,
    /// Channels name the profile: nothing was deleted. Their ids and names.
    InUse(Vec<(Ulid, String)>),
}

/// An API token as stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub id: Ulid,
    pub name: String,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    pub scopes: Vec<String>,
    pub created_at: Millis,
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
    /// says it notifies.
    async fn insert_event(&self, event: &Event, deliveries: &[NewDelivery]) -> Result<Inserted>;
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

    // The queue.

    /// Claims up to `limit` due deliveries, leasing them until `lease_until`.
    async fn claim_due(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
    ) -> Result<Vec<Delivery>>;
    /// Makes deliveries whose lease ran out (their worker died) due again. Returns how many.
    async fn reap_expired_leases(&self, now: Millis) -> Result<u64>;
    /// Records attempts and moves their deliveries on, in one transaction.
    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<()>;
    /// Gives claimed deliveries back without an attempt (shutdown).
    async fn release(&self, ids: &[Ulid], now: Millis) -> Result<()>;
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

    // API tokens.

    async fn create_token(&self, token: &StoredToken) -> Result<()>;
    async fn find_token(&self, token_hash: &str) -> Result<Option<StoredToken>>;
    async fn count_tokens(&self) -> Result<u64>;
}
