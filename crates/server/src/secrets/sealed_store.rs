//! [`SealedStore`]: any [`Store`] with the secrets of channels and sender profiles sealed
//! on the way in and opened on the way out. Backends store and return sealed text; they
//! know nothing of keys.

use std::sync::Arc;

use async_trait::async_trait;
use tocsin_core::channel::{Channel, Secrets};
use tocsin_core::crypto::{self, MasterKey};
use tocsin_core::delivery::{Attempt, Delivery};
use tocsin_core::digest::Batch;
use tocsin_core::event::Event;
use tocsin_core::mute::MuteWindow;
use tocsin_core::profile::SenderProfile;
use tocsin_core::rule::Rule;
use tocsin_core::time::Millis;
use tocsin_store::{
    AttemptRecord, Audit, AuditEntry, AuditQuery, Claimed, DeclaredRow, DeliveryQuery, EventQuery,
    Inserted, Managed, MetricsToken, MonitorState, Mutation, MuteWindowDeletion, NewDelivery,
    NewEvent, ProfileDeletion, QueueDepth, Result, RetryResult, RoutingSnapshot, SecretOwner,
    SecretsChange, Store, StoreError, StoredToken,
};
use ulid::Ulid;

/// Seals every secret under `key` before `inner` stores it, and opens it when read.
pub struct SealedStore {
    inner: Arc<dyn Store>,
    key: MasterKey,
}

impl SealedStore {
    pub fn new(inner: Arc<dyn Store>, key: MasterKey) -> Self {
        Self { inner, key }
    }

    /// The id of the key in use.
    pub fn key_id(&self) -> &str {
        self.key.id()
    }
}

/// Every value of `secrets` sealed under `key` for `owner`.
pub fn seal(key: &MasterKey, owner: SecretOwner, secrets: &Secrets) -> Secrets {
    let label = owner.label();
    let mut sealed = Secrets::new();
    for (name, value) in secrets.iter_exposed() {
        sealed.insert(name, key.seal(&label, name, value));
    }
    sealed
}

/// Every value of `secrets` opened with `key`. A value an older Tocsin stored in plain text
/// is returned as it is (sealing it is the start's business).
pub fn open(
    key: &MasterKey,
    owner: SecretOwner,
    secrets: &Secrets,
) -> std::result::Result<Secrets, crypto::CryptoError> {
    let label = owner.label();
    let mut opened = Secrets::new();
    for (name, value) in secrets.iter_exposed() {
        if crypto::is_sealed(value) {
            opened.insert(name, key.open(&label, name, value)?);
        } else {
            opened.insert(name, value);
        }
    }
    Ok(opened)
}

impl SealedStore {
    fn sealed_channel(&self, c: &Channel) -> Channel {
        let mut c = c.clone();
        c.config.secrets = seal(&self.key, SecretOwner::Channel(c.id), &c.config.secrets);
        c
    }

    fn opened_channel(&self, mut c: Channel) -> Result<Channel> {
        c.config.secrets = open(&self.key, SecretOwner::Channel(c.id), &c.config.secrets)
            .map_err(|e| unreadable("channel", c.id, e))?;
        Ok(c)
    }

    fn sealed_profile(&self, p: &SenderProfile) -> SenderProfile {
        let mut p = p.clone();
        p.config.secrets = seal(&self.key, SecretOwner::Profile(p.id), &p.config.secrets);
        p
    }

    fn opened_profile(&self, mut p: SenderProfile) -> Result<SenderProfile> {
        p.config.secrets = open(&self.key, SecretOwner::Profile(p.id), &p.config.secrets)
            .map_err(|e| unreadable("sender profile", p.id, e))?;
        Ok(p)
    }
}

fn unreadable(what: &str, id: Ulid, e: crypto::CryptoError) -> StoreError {
    StoreError::Corrupt(format!("the secrets of {what} {id} cannot be opened: {e}"))
}

#[async_trait]
impl Store for SealedStore {
    async fn ping(&self) -> Result<()> {
        self.inner.ping().await
    }

    async fn signals(&self) -> Option<tokio::sync::mpsc::Receiver<tocsin_store::Signal>> {
        self.inner.signals().await
    }

    async fn insert_event(&self, event: &Event, deliveries: &[NewDelivery]) -> Result<Inserted> {
        self.inner.insert_event(event, deliveries).await
    }

    async fn insert_events(&self, batch: &[NewEvent]) -> Result<Vec<Result<Inserted>>> {
        self.inner.insert_events(batch).await
    }

    async fn get_event(&self, id: Ulid) -> Result<Option<Event>> {
        self.inner.get_event(id).await
    }

    async fn get_events(&self, ids: &[Ulid]) -> Result<Vec<Event>> {
        self.inner.get_events(ids).await
    }

    async fn list_events(&self, query: &EventQuery) -> Result<Vec<Event>> {
        self.inner.list_events(query).await
    }

    async fn list_states(&self) -> Result<Vec<MonitorState>> {
        self.inner.list_states().await
    }

    async fn create_channel(&self, channel: &Channel, own_rule: Option<&Rule>) -> Result<()> {
        let sealed = self.sealed_channel(channel);
        self.inner.create_channel(&sealed, own_rule).await
    }

    async fn update_channel(&self, channel: &Channel, own_rule: Option<&Rule>) -> Result<()> {
        let sealed = self.sealed_channel(channel);
        self.inner.update_channel(&sealed, own_rule).await
    }

    async fn delete_channel(&self, id: Ulid) -> Result<bool> {
        self.inner.delete_channel(id).await
    }

    async fn get_channel(&self, id: Ulid) -> Result<Option<Channel>> {
        self.inner
            .get_channel(id)
            .await?
            .map(|c| self.opened_channel(c))
            .transpose()
    }

    async fn get_channels(&self, ids: &[Ulid]) -> Result<Vec<Channel>> {
        let channels = self.inner.get_channels(ids).await?;
        channels
            .into_iter()
            .map(|c| self.opened_channel(c))
            .collect()
    }

    async fn list_channels(&self) -> Result<Vec<Channel>> {
        let channels = self.inner.list_channels().await?;
        channels
            .into_iter()
            .map(|c| self.opened_channel(c))
            .collect()
    }

    async fn own_rule(&self, channel_id: Ulid) -> Result<Option<Rule>> {
        self.inner.own_rule(channel_id).await
    }

    async fn create_rule(&self, rule: &Rule) -> Result<()> {
        self.inner.create_rule(rule).await
    }

    async fn update_rule(&self, rule: &Rule) -> Result<()> {
        self.inner.update_rule(rule).await
    }

    async fn delete_rule(&self, id: Ulid) -> Result<bool> {
        self.inner.delete_rule(id).await
    }

    async fn get_rule(&self, id: Ulid) -> Result<Option<Rule>> {
        self.inner.get_rule(id).await
    }

    async fn list_rules(&self) -> Result<Vec<Rule>> {
        self.inner.list_rules().await
    }

    async fn routing_snapshot(&self) -> Result<RoutingSnapshot> {
        self.inner.routing_snapshot().await
    }

    async fn create_mute_window(&self, window: &MuteWindow) -> Result<()> {
        self.inner.create_mute_window(window).await
    }

    async fn update_mute_window(&self, window: &MuteWindow) -> Result<()> {
        self.inner.update_mute_window(window).await
    }

    async fn delete_mute_window(&self, id: Ulid) -> Result<MuteWindowDeletion> {
        self.inner.delete_mute_window(id).await
    }

    async fn get_mute_window(&self, id: Ulid) -> Result<Option<MuteWindow>> {
        self.inner.get_mute_window(id).await
    }

    async fn list_mute_windows(&self) -> Result<Vec<MuteWindow>> {
        self.inner.list_mute_windows().await
    }

    async fn digest_batch(&self, delivery_id: Ulid, listed: u32) -> Result<Batch> {
        self.inner.digest_batch(delivery_id, listed).await
    }

    async fn claim_due_except(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Vec<Delivery>> {
        self.inner
            .claim_due_except(now, lease_until, limit, skip)
            .await
    }

    async fn claim_due_loaded(
        &self,
        now: Millis,
        lease_until: Millis,
        limit: u32,
        skip: &[Ulid],
    ) -> Result<Claimed> {
        let claimed = self
            .inner
            .claim_due_loaded(now, lease_until, limit, skip)
            .await?;
        let channels: Result<Vec<Channel>> = claimed
            .channels
            .into_iter()
            .map(|c| self.opened_channel(c))
            .collect();
        match channels {
            Ok(channels) => Ok(Claimed {
                channels,
                ..claimed
            }),
            // As the store does when its reads fail: the deliveries go back first.
            Err(e) => {
                let ids: Vec<Ulid> = claimed.deliveries.iter().map(|d| d.id).collect();
                let _ = self.inner.release(&ids, now).await;
                Err(e)
            }
        }
    }

    async fn reap_expired_leases(&self, now: Millis) -> Result<u64> {
        self.inner.reap_expired_leases(now).await
    }

    async fn record_attempts(&self, records: &[AttemptRecord]) -> Result<()> {
        self.inner.record_attempts(records).await
    }

    async fn release(&self, ids: &[Ulid], due_at: Millis) -> Result<()> {
        self.inner.release(ids, due_at).await
    }

    async fn next_due_at(&self) -> Result<Option<Millis>> {
        self.inner.next_due_at().await
    }

    async fn queue_depth(&self) -> Result<QueueDepth> {
        self.inner.queue_depth().await
    }

    async fn get_delivery(&self, id: Ulid) -> Result<Option<(Delivery, Vec<Attempt>)>> {
        self.inner.get_delivery(id).await
    }

    async fn deliveries_of_event(&self, event_id: Ulid) -> Result<Vec<(Delivery, Vec<Attempt>)>> {
        self.inner.deliveries_of_event(event_id).await
    }

    async fn list_deliveries(&self, query: &DeliveryQuery) -> Result<Vec<Delivery>> {
        self.inner.list_deliveries(query).await
    }

    async fn retry_delivery(&self, id: Ulid, now: Millis) -> Result<RetryResult> {
        self.inner.retry_delivery(id, now).await
    }

    async fn prune_deliveries(&self, keep: u32) -> Result<u64> {
        self.inner.prune_deliveries(keep).await
    }

    async fn create_profile(&self, profile: &SenderProfile) -> Result<()> {
        let sealed = self.sealed_profile(profile);
        self.inner.create_profile(&sealed).await
    }

    async fn update_profile(&self, profile: &SenderProfile) -> Result<()> {
        let sealed = self.sealed_profile(profile);
        self.inner.update_profile(&sealed).await
    }

    async fn delete_profile(&self, id: Ulid) -> Result<ProfileDeletion> {
        self.inner.delete_profile(id).await
    }

    async fn get_profile(&self, id: Ulid) -> Result<Option<SenderProfile>> {
        self.inner
            .get_profile(id)
            .await?
            .map(|p| self.opened_profile(p))
            .transpose()
    }

    async fn list_profiles(&self) -> Result<Vec<SenderProfile>> {
        let profiles = self.inner.list_profiles().await?;
        profiles
            .into_iter()
            .map(|p| self.opened_profile(p))
            .collect()
    }

    async fn default_profile(&self, kind: &str) -> Result<Option<SenderProfile>> {
        self.inner
            .default_profile(kind)
            .await?
            .map(|p| self.opened_profile(p))
            .transpose()
    }

    /// Takes and writes plain secrets, like every other method of this store.
    async fn replace_secrets(&self, changes: &[SecretsChange]) -> Result<bool> {
        let mut sealed = Vec::with_capacity(changes.len());
        for c in changes {
            // The stored `previous` is sealed with a nonce of its own: compare against what
            // is stored now, after checking it opens to the plain `previous`.
            let stored = match c.owner {
                SecretOwner::Channel(id) => self.inner.get_channel(id).await?.map(|c| c.config),
                SecretOwner::Profile(id) => self.inner.get_profile(id).await?.map(|p| p.config),
            };
            let Some(stored) = stored else {
                return Ok(false);
            };
            let opened = open(&self.key, c.owner, &stored.secrets)
                .map_err(|e| StoreError::Corrupt(format!("a stored secret: {e}")))?;
            if opened != c.previous {
                return Ok(false);
            }
            sealed.push(SecretsChange {
                owner: c.owner,
                previous: stored.secrets,
                secrets: seal(&self.key, c.owner, &c.secrets),
            });
        }
        self.inner.replace_secrets(&sealed).await
    }

    async fn create_token(&self, token: &StoredToken) -> Result<()> {
        self.inner.create_token(token).await
    }

    async fn find_token(&self, token_hash: &str) -> Result<Option<StoredToken>> {
        self.inner.find_token(token_hash).await
    }

    async fn count_tokens(&self) -> Result<u64> {
        self.inner.count_tokens().await
    }

    async fn list_tokens(&self) -> Result<Vec<StoredToken>> {
        self.inner.list_tokens().await
    }

    async fn get_token(&self, id: Ulid) -> Result<Option<StoredToken>> {
        self.inner.get_token(id).await
    }

    async fn delete_token(&self, id: Ulid) -> Result<bool> {
        self.inner.delete_token(id).await
    }

    async fn touch_token(&self, id: Ulid, at: Millis) -> Result<()> {
        self.inner.touch_token(id, at).await
    }

    async fn record_audit(
        &self,
        mutation: Option<Mutation<'_>>,
        audit: &Audit<'_>,
    ) -> Result<bool> {
        // A channel in the change is sealed like one written by `create_channel`.
        match mutation {
            Some(Mutation::CreateChannel {
                channel,
                own_rule,
                declared,
            }) => {
                let sealed = self.sealed_channel(channel);
                let change = Mutation::CreateChannel {
                    channel: &sealed,
                    own_rule,
                    declared,
                };
                self.inner.record_audit(Some(change), audit).await
            }
            Some(Mutation::UpdateChannel { channel, own_rule }) => {
                let sealed = self.sealed_channel(channel);
                let change = Mutation::UpdateChannel {
                    channel: &sealed,
                    own_rule,
                };
                self.inner.record_audit(Some(change), audit).await
            }
            other => self.inner.record_audit(other, audit).await,
        }
    }

    async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        self.inner.list_audit(query).await
    }

    async fn create_metrics_token(&self, token: &MetricsToken) -> Result<()> {
        self.inner.create_metrics_token(token).await
    }

    async fn find_metrics_token(&self, token_hash: &str) -> Result<Option<MetricsToken>> {
        self.inner.find_metrics_token(token_hash).await
    }

    async fn list_metrics_tokens(&self) -> Result<Vec<MetricsToken>> {
        self.inner.list_metrics_tokens().await
    }

    async fn delete_metrics_token(&self, id: Ulid) -> Result<bool> {
        self.inner.delete_metrics_token(id).await
    }

    async fn get_state(&self, state_key: &str) -> Result<Option<MonitorState>> {
        self.inner.get_state(state_key).await
    }

    // Configuration as code: markers only, nothing sealed.

    async fn list_declared(&self, object: Managed) -> Result<Vec<DeclaredRow>> {
        self.inner.list_declared(object).await
    }

    async fn set_declared(
        &self,
        object: Managed,
        id: Ulid,
        declared: Option<(&str, &str)>,
    ) -> Result<()> {
        self.inner.set_declared(object, id, declared).await
    }
}
