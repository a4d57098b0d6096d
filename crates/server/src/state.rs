//! What every request handler and worker shares.

use std::ops::Deref;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tocsin_core::delivery::RetrySchedule;
use tocsin_core::routing::RuleIndex;
use tocsin_store::{RoutingSnapshot, Store, StoreError};
use tokio::sync::{Notify, RwLock};

use crate::clock::Clock;
use crate::config::Config;
use crate::transport::{HttpTransport, SmtpTransport, Transports};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    pub transport: HttpTransport,
    /// The SMTP client, under the same address policy and timeout as `transport`.
    pub smtp: SmtpTransport,
    pub retry_schedule: RetrySchedule,
    /// How Tocsin presents itself in messages.
    pub identity: tocsin_providers::Identity,
    pub routing: RoutingCache,
    /// Writes accepted events in groups, one transaction per group.
    pub commits: crate::service::commit::GroupCommit,
    /// Wakes the dispatcher when new deliveries are queued.
    pub wake: Notify,
    /// SHA-256 of `TOCSIN_ADMIN_TOKEN`, when set.
    pub admin_token_hash: Option<[u8; 32]>,
    /// Ingest and request budgets, in this process's memory.
    pub api_limits: crate::limits::ApiLimits,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// What secret references of channels may read (`secret_dirs`).
    pub secret_refs: crate::secrets::RefPolicy,
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }

    pub fn now(&self) -> tocsin_core::time::Millis {
        self.clock.now()
    }

    /// The outbound transports, for one attempt.
    pub fn transports(&self) -> Transports<'_> {
        Transports {
            http: &self.transport,
            smtp: &self.smtp,
        }
    }
}

/// The rules and enabled channels routing reads for every event, kept in memory with their
/// index and dropped whenever a channel or rule changes through this process, or another
/// node announces a change. A snapshot older than `ROUTING_MAX_AGE` is read again: the
/// fallback should an announcement be lost.
#[derive(Default)]
pub struct RoutingCache(RwLock<Option<Cached>>);

struct Cached {
    routing: Arc<Routing>,
    loaded: std::time::Instant,
}

/// How long a routing snapshot is trusted without an announcement.
pub const ROUTING_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(5);

/// A routing snapshot and the index of its rules (`route_indexed`).
pub struct Routing {
    pub snapshot: RoutingSnapshot,
    pub index: RuleIndex,
}

impl Deref for Routing {
    type Target = RoutingSnapshot;

    fn deref(&self) -> &RoutingSnapshot {
        &self.snapshot
    }
}

impl RoutingCache {
    pub async fn get(&self, store: &dyn Store) -> Result<Arc<Routing>, StoreError> {
        let fresh = |c: &Cached| c.loaded.elapsed() < ROUTING_MAX_AGE;
        if let Some(cached) = self.0.read().await.as_ref().filter(|c| fresh(c)) {
            return Ok(cached.routing.clone());
        }
        let mut slot = self.0.write().await;
        if let Some(cached) = slot.as_ref().filter(|c| fresh(c)) {
            return Ok(cached.routing.clone());
        }
        let loaded = std::time::Instant::now();
        let snapshot = store.routing_snapshot().await?;
        let index = RuleIndex::new(&snapshot.rules);
        let routing = Arc::new(Routing { snapshot, index });
        *slot = Some(Cached {
            routing: routing.clone(),
            loaded,
        });
        Ok(routing)
    }

    pub async fn invalidate(&self) {
        *self.0.write().await = None;
    }
}

/// SHA-256 of a token: what is stored and compared, never the token itself.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
