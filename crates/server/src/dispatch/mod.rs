//! Dispatch: workers that claim due deliveries from the queue in batches, make one attempt
//! each, and record the attempts in batches together with each delivery's next state.
//!
//! Architecture invariant: an attempt is written to the store in the same transaction that
//! moves its delivery on (`record_attempts`); nothing is acted on from memory alone. A
//! delivery claimed by a process that dies is claimed again when its lease runs out.
//!
//! Pacing: a channel whose service has a known rate limit ([`Provider::pace`]) gets its
//! deliveries no faster than that. A claimed delivery over its channel's pace goes back to
//! the queue, due when the pace allows, with no attempt recorded: it waits, it does not
//! fail. The pace is kept in this process's memory, so each node paces on its own.
//!
//! Fairness: a channel has at most `delivery.channel_concurrency` deliveries in flight in
//! this process. Claims pass over the deliveries of a channel at its bound (they keep their
//! place in the queue), and what a claim brings beyond a channel's bound goes straight
//! back, so a receiver that hangs or answers slowly holds a few workers, never all of them.
//!
//! [`Provider::pace`]: tocsin_providers::Provider::pace

pub mod attempt;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rand::Rng;
use tocsin_core::channel::Channel;
use tocsin_core::delivery::{Attempt, Delivery, after_attempt};
use tocsin_core::digest::LISTED;
use tocsin_core::event::Event;
use tocsin_core::outbound::Outcome;
use tocsin_core::time::Millis;
use tocsin_providers::{Kind, Message};
use tocsin_store::{AttemptRecord, Claimed};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;
use ulid::Ulid;

use crate::limits::{Denied, KeyedLimiter, Rate};
use crate::metrics as m;
use crate::service::{ServiceError, profiles};
use crate::state::AppState;

const REAP_EVERY: Duration = Duration::from_secs(5);
const RECORD_BATCH: usize = 256;
const RECORD_TRIES: u32 = 30;

/// Runs the dispatcher until `shutdown` turns true, then stops claiming, lets deliveries
/// in flight finish within the grace period, and gives the rest back to the queue.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let (record_tx, record_rx) = mpsc::channel::<AttemptRecord>(RECORD_BATCH * 4);
    let recorder = tokio::spawn(record_loop(state.clone(), record_rx));
    let permits = Arc::new(Semaphore::new(state.config.delivery.concurrency));
    let in_flight: Arc<Mutex<HashSet<Ulid>>> = Arc::default();
    let pacer: KeyedLimiter<Ulid> = KeyedLimiter::default();
    let busy = Busy::default();
    let per_channel = state.config.delivery.channel_concurrency;
    let mut tasks = JoinSet::new();
    let mut last_reap = tokio::time::Instant::now() - REAP_EVERY;
    let mut last_prune = tokio::time::Instant::now();

    while !*shutdown.borrow() {
        while tasks.try_join_next().is_some() {}
        if last_reap.elapsed() >= REAP_EVERY {
            last_reap = tokio::time::Instant::now();
            match state.store.reap_expired_leases(state.now()).await {
                Ok(0) => {}
                Ok(n) => {
                    metrics::counter!(m::LEASES_REAPED).increment(n);
                    tracing::warn!(deliveries = n, "took back deliveries whose worker stopped");
                }
                Err(e) => tracing::error!(error = %e, "could not reap expired leases"),
            }
        }
        if last_prune.elapsed()
            >= Duration::from_secs(state.config.delivery.log_prune_interval_secs)
        {
            last_prune = tokio::time::Instant::now();
            let keep = state.config.delivery.log_keep_per_channel;
            if let Err(e) = state.store.prune_deliveries(keep).await {
                tracing::error!(error = %e, "could not prune the delivery log");
            }
        }

        let free = permits.available_permits();
        // Claim in batches: while most workers are busy, wait for more of them to finish
        // rather than claim a delivery or two at a time (each claim is a write and two
        // reads). An idle dispatcher has every permit free and claims at once.
        let concurrency = state.config.delivery.concurrency;
        if free == 0 || (free < concurrency.div_ceil(4) && !tasks.is_empty()) {
            tokio::select! {
                _ = tasks.join_next() => {}
                _ = shutdown.changed() => {}
            }
            continue;
        }
        let limit = free.min(state.config.delivery.claim_batch as usize) as u32;
        let now = state.now();
        let lease_until = now + state.config.delivery.lease().as_millis() as i64;
        let full = busy.full(per_channel);
        // The claim reads the deliveries' events and channels too; should those reads fail,
        // it has given the deliveries back already.
        let claimed = match state
            .store
            .claim_due_loaded(now, lease_until, limit, &full)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "could not claim deliveries");
                idle(&state, &mut shutdown, Duration::from_secs(1)).await;
                continue;
            }
        };
        if claimed.deliveries.is_empty() {
            let poll = Duration::from_millis(state.config.delivery.poll_interval_ms);
            let wait = match state.store.next_due_at().await {
                // Due now yet not claimed: it belongs to a channel at its bound; a finished
                // delivery of that channel wakes the dispatcher.
                Ok(Some(due)) if due <= state.now() && !full.is_empty() => poll,
                Ok(Some(due)) => Duration::from_millis((due - state.now()).max(0) as u64).min(poll),
                _ => poll,
            };
            idle(&state, &mut shutdown, wait).await;
            continue;
        }
        let work = pair(claimed);
        let work = pace(&state, &pacer, work).await;
        let work = bound(&state, &busy, per_channel, work).await;
        for ((delivery, event, channel), slot) in work {
            // Cannot fail: the semaphore is never closed, and `free` permits were available.
            let Ok(permit) = permits.clone().acquire_owned().await else {
                break;
            };
            in_flight.lock().map(|mut s| s.insert(delivery.id)).ok();
            let state = state.clone();
            let record_tx = record_tx.clone();
            let in_flight = in_flight.clone();
            tasks.spawn(async move {
                // Boxed: the delivery's future is large, and a task copies its future into place
                // when spawned and rewrites that space when it finishes (callgrind: about a sixth
                // of a drain's instructions were those copies); boxed, the task holds a pointer.
                let record = Box::pin(deliver(
                    &state,
                    &delivery,
                    event.as_deref(),
                    channel.as_deref(),
                ))
                .await;
                // Recorded: from here the delivery is the recorder's to write, not ours to release.
                in_flight.lock().map(|mut s| s.remove(&delivery.id)).ok();
                let _ = record_tx.send(record).await;
                drop(slot);
                drop(permit);
            });
        }
    }

    // Shutdown: no more claims. Give deliveries in flight their grace period.
    let grace = Duration::from_secs(state.config.delivery.shutdown_grace_secs);
    let drained =
        tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    drop(record_tx);
    let _ = recorder.await;
    let unfinished: Vec<Ulid> = in_flight
        .lock()
        .map(|s| s.iter().copied().collect())
        .unwrap_or_default();
    if !unfinished.is_empty() {
        tracing::warn!(
            deliveries = unfinished.len(),
            "giving unfinished deliveries back to the queue"
        );
        if let Err(e) = state.store.release(&unfinished, state.now()).await {
            tracing::error!(error = %e, "could not release deliveries; their leases will expire");
        }
    }
}

/// Deliveries in flight per channel, in this process.
#[derive(Clone, Default)]
struct Busy(Arc<Mutex<HashMap<Ulid, usize>>>);

impl Busy {
    /// The channels with `bound` deliveries in flight.
    fn full(&self, bound: usize) -> Vec<Ulid> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        map.iter()
            .filter(|(_, n)| **n >= bound)
            .map(|(c, _)| *c)
            .collect()
    }
}

/// One delivery in flight on its channel; given back when dropped (the attempt finished,
/// or its task was aborted). Wakes the dispatcher when the channel was at its bound, so
/// that the channel's waiting deliveries are claimed at once.
struct Slot {
    busy: Busy,
    channel: Ulid,
    bound: usize,
    wake: AppState,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.busy.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.channel) {
            let was_full = *n >= self.bound;
            *n -= 1;
            if *n == 0 {
                map.remove(&self.channel);
            }
            if was_full {
                self.wake.wake.notify_one();
            }
        }
    }
}

/// Takes a slot on its channel for each delivery while the channel is under `bound`; the
/// rest go back to the queue at once, with no attempt (the next claims pass over their
/// channel while it is full).
async fn bound(state: &AppState, busy: &Busy, bound: usize, work: Vec<Work>) -> Vec<(Work, Slot)> {
    let mut send = Vec::with_capacity(work.len());
    let mut back = Vec::new();
    {
        let mut map = busy.0.lock().unwrap_or_else(PoisonError::into_inner);
        for item in work {
            let channel = item.0.channel_id;
            let n = map.entry(channel).or_default();
            if *n < bound {
                *n += 1;
                let slot = Slot {
                    busy: busy.clone(),
                    channel,
                    bound,
                    wake: state.clone(),
                };
                send.push((item, slot));
            } else {
                back.push(item.0.id);
            }
        }
    }
    if !back.is_empty() {
        metrics::counter!(m::DELIVERIES_HELD).increment(back.len() as u64);
        tracing::debug!(
            deliveries = back.len(),
            "held back: their channel has as many deliveries in flight as it may"
        );
        if let Err(e) = state.store.release(&back, state.now()).await {
            tracing::error!(error = %e, "could not put held deliveries back; their leases will expire");
        }
    }
    send
}

async fn idle(state: &AppState, shutdown: &mut watch::Receiver<bool>, wait: Duration) {
    tokio::select! {
        _ = state.wake.notified() => {}
        _ = tokio::time::sleep(wait) => {}
        _ = shutdown.changed() => {}
    }
}

type Work = (Delivery, Option<Arc<Event>>, Option<Arc<Channel>>);

/// Each claimed delivery with its event and channel (none when that no longer exists).
fn pair(claimed: Claimed) -> Vec<Work> {
    let events: HashMap<Ulid, Arc<Event>> = claimed
        .events
        .into_iter()
        .map(|e| (e.id, Arc::new(e)))
        .collect();
    let channels: HashMap<Ulid, Arc<Channel>> = claimed
        .channels
        .into_iter()
        .map(|c| (c.id, Arc::new(c)))
        .collect();
    claimed
        .deliveries
        .into_iter()
        .map(|d| {
            let event = events.get(&d.event_id).cloned();
            let channel = channels.get(&d.channel_id).cloned();
            (d, event, channel)
        })
        .collect()
}

/// Holds back the deliveries whose channel is over its service's pace: they go back to the
/// queue without an attempt, each due when the pace will allow it (a channel's later
/// deliveries one interval after another, in order). Returns the deliveries to send now.
async fn pace(state: &AppState, pacer: &KeyedLimiter<Ulid>, work: Vec<Work>) -> Vec<Work> {
    let now = state.now();
    let mut send = Vec::with_capacity(work.len());
    // Per channel: how many of its deliveries in this batch wait.
    let mut held: HashMap<Ulid, u32> = HashMap::new();
    let mut later: BTreeMap<Millis, Vec<Ulid>> = BTreeMap::new();
    for item in work {
        let Some((channel, rate)) = pace_of(&item) else {
            send.push(item);
            continue;
        };
        let waiting = held.entry(channel).or_default();
        // Once one delivery of a channel waits, the ones after it wait too: order is kept.
        if *waiting == 0 {
            match pacer.check(&channel, rate, now) {
                // A table full of busy channels: sending unpaced beats holding mail back.
                Ok(()) | Err(Denied::Full { .. }) => {
                    send.push(item);
                    continue;
                }
                Err(Denied::Over { .. }) => {}
            }
        }
        *waiting += 1;
        let due = pacer.next_free(&channel, rate, *waiting, now);
        later.entry(due).or_default().push(item.0.id);
    }
    for (due, ids) in later {
        metrics::counter!(m::DELIVERIES_PACED).increment(ids.len() as u64);
        tracing::debug!(
            deliveries = ids.len(),
            due,
            "held back for their channel's pace"
        );
        if let Err(e) = state.store.release(&ids, due).await {
            tracing::error!(error = %e, "could not put paced deliveries back; their leases will expire");
        }
    }
    send
}

/// The channel and its pace, for a delivery that will be sent (not failed at once).
fn pace_of((_, event, channel): &Work) -> Option<(Ulid, Rate)> {
    let channel = channel.as_ref().filter(|c| c.enabled && event.is_some())?;
    let pace = Kind::parse(&channel.kind)?
        .provider()
        .pace(&channel.config)?;
    Some((channel.id, Rate::new(pace.per, pace.burst)?))
}

/// Makes one attempt and decides the delivery's next state.
async fn deliver(
    state: &AppState,
    delivery: &Delivery,
    event: Option<&Event>,
    channel: Option<&Channel>,
) -> AttemptRecord {
    let started_at = state.now();
    let kind = channel.and_then(|c| Kind::parse(&c.kind));
    // A digest renders the events it holds as one message, read when it falls due.
    let (digest, digest_error) = match delivery.digest_until {
        None => (None, None),
        Some(_) => match state.store.digest_batch(delivery.id, LISTED as u32).await {
            Ok(batch) => (batch.message(), None),
            Err(e) => (
                None,
                Some(format!("could not read the digest's events: {e}")),
            ),
        },
    };
    let event = digest.as_ref().or(event);
    let (result, kind_name) = match (event, channel, kind) {
        _ if digest_error.is_some() => (
            retry_later(digest_error.as_deref().unwrap_or_default()),
            kind.map_or("none", |k| k.name()),
        ),
        (None, _, _) => (failure("the event no longer exists"), "none"),
        (_, None, _) => (failure("the channel no longer exists"), "none"),
        (_, Some(channel), None) => (
            failure(&format!(
                "this server does not know the channel kind `{}`",
                channel.kind
            )),
            "none",
        ),
        (_, Some(channel), Some(kind)) if !channel.enabled => {
            (failure("the channel is disabled"), kind.name())
        }
        (Some(event), Some(channel), Some(kind)) => {
            let delivery_id = delivery.id.to_string();
            let message = Message {
                event,
                delivery_id: &delivery_id,
                now: started_at,
                identity: &state.identity,
                attachments: &[],
            };
            let result = match profiles::complete(state, kind, &channel.config).await {
                Ok(mut config) => {
                    if let Some(recipients) = &delivery.recipients {
                        config
                            .settings
                            .insert("to".into(), recipients.clone().into());
                    }
                    // Only the webhook kind has a template setting; a rule's template is
                    // for it alone.
                    if let Some(template) = &delivery.template
                        && kind == Kind::Webhook
                    {
                        config
                            .settings
                            .insert("template".into(), template.clone().into());
                    }
                    attempt::run(
                        state.transports(),
                        &state.secret_refs,
                        kind,
                        &config,
                        &message,
                    )
                    .await
                }
                // A profile that went missing or a store that does not answer: the reason
                // is logged with the attempt; the store case retries.
                Err(ServiceError::Store(e)) => {
                    retry_later(&format!("could not read the sender profile: {e}"))
                }
                Err(e) => failure(&format!("cannot use the sender profile: {e}")),
            };
            (result, kind.name())
        }
    };
    let schedule = channel
        .and_then(|c| c.retry_schedule.as_ref())
        .unwrap_or(&state.retry_schedule);
    let finished = started_at + result.duration.as_millis() as i64;
    let jitter: f64 = rand::rng().random();
    let transition = after_attempt(schedule, delivery.step, &result.outcome, finished, jitter);
    let label = transition.status.as_str();
    metrics::counter!(m::ATTEMPTS, "kind" => kind_name, "outcome" => label).increment(1);
    metrics::histogram!(m::ATTEMPT_DURATION, "kind" => kind_name)
        .record(result.duration.as_secs_f64());
    if matches!(result.outcome, Outcome::Retry { .. }) {
        metrics::counter!(m::RETRIES, "kind" => kind_name).increment(1);
    }
    tracing::debug!(
        delivery_id = %delivery.id,
        channel_id = %delivery.channel_id,
        kind = kind_name,
        status = label,
        "attempt finished"
    );
    AttemptRecord {
        attempt: Attempt {
            delivery_id: delivery.id,
            number: delivery.attempts + 1,
            started_at,
            duration_ms: result.duration.as_millis().min(u32::MAX as u128) as u32,
            status_code: result.status_code,
            outcome: transition.status,
            error: result.outcome.reason().map(String::from),
            response_excerpt: result.response_excerpt,
        },
        transition,
    }
}

fn retry_later(reason: &str) -> attempt::AttemptResult {
    attempt::AttemptResult {
        outcome: Outcome::retry(reason),
        status_code: None,
        duration: Duration::ZERO,
        response_excerpt: None,
    }
}

fn failure(reason: &str) -> attempt::AttemptResult {
    attempt::AttemptResult {
        outcome: Outcome::failed(reason),
        status_code: None,
        duration: Duration::ZERO,
        response_excerpt: None,
    }
}

/// Writes attempt records in batches: one transaction for everything that finished while
/// the previous batch was being written.
async fn record_loop(state: AppState, mut rx: mpsc::Receiver<AttemptRecord>) {
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    while rx.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        for tries in 1.. {
            match state.store.record_attempts(&batch).await {
                Ok(()) => break,
                // Keep the records a while: the store may come back. Past that, their
                // deliveries' leases run out and they are sent again (at least once).
                Err(e) if tries < RECORD_TRIES => {
                    tracing::error!(error = %e, records = batch.len(), "could not record attempts; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, records = batch.len(), "gave up recording attempts; the deliveries will be sent again");
                    break;
                }
            }
        }
        batch.clear();
    }
}
