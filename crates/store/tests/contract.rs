//! The contract every `Store` keeps. Each check below takes a fresh, empty store and states
//! one behaviour; `contract_tests!` turns the whole list into one test per check for a
//! backend, so SQLite and PostgreSQL are held to exactly the same suite.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tocsin_core::channel::{Channel, ChannelConfig, Secrets};
use tocsin_core::delivery::{Attempt, Delivery, DeliveryStatus, RetrySchedule, Transition};
use tocsin_core::digest::Batch;
use tocsin_core::event::{Event, Severity};
use tocsin_core::monitor::StateChange;
use tocsin_core::mute::{IntervalText, MuteWindow, WhileMuted};
use tocsin_core::profile::SenderProfile;
use tocsin_core::routing::RouteRule;
use tocsin_core::rule::{EventPattern, Matcher, Rule};
use tocsin_core::time::Millis;
use tocsin_store::{
    AttemptRecord, Audit, AuditEntry, AuditQuery, Declared, DeclaredRow, DeliveryQuery, EventQuery,
    Inserted, Managed, MetricsToken, MonitorState, Mutation, MuteWindowDeletion, NewDelivery,
    NewEvent, ProfileDeletion, QueueDepth, RetryResult, SecretOwner, SecretsChange, Store,
    StoreError, StoredToken,
};
use ulid::Ulid;

#[path = "support/pg_schema.rs"]
mod pg_schema;

/// Expands to one `#[tokio::test]` per contract check. `$make` is called with no arguments
/// and returns a future of `Some((store, guard))`: a fresh, empty store, and whatever must
/// outlive it (a temporary directory, a throwaway schema); `None` when the backend is not
/// available on this machine (the check is skipped, and `$make` said so loudly).
macro_rules! contract_tests {
    (@each $make:expr; $($check:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $check() {
                let Some((store, guard)) = ($make)().await else {
                    return;
                };
                crate::$check(&store).await;
                drop(store);
                drop(guard);
            }
        )*
    };
    ($make:expr) => {
        contract_tests!(@each $make;
            ping_answers,
            // Events and the outbox.
            an_inserted_event_round_trips_every_field,
            an_event_of_every_severity_round_trips,
            insert_event_commits_the_event_with_its_deliveries_due_at_once,
            an_event_routed_nowhere_is_still_stored,
            a_delivery_for_a_channel_that_no_longer_exists_is_not_created,
            an_event_whose_deliveries_cannot_be_written_is_not_stored,
            a_repeated_idempotency_key_creates_nothing,
            insert_events_commits_each_event_and_keeps_a_failure_to_itself,
            insert_events_writes_plain_events_exactly_as_insert_event,
            events_without_an_idempotency_key_are_never_duplicates,
            get_events_returns_the_named_events_and_skips_unknown_ids,
            list_events_is_newest_first_and_honours_the_limit,
            list_events_filters_by_type,
            list_events_pages_with_before,
            // Transitions.
            a_first_bad_state_notifies_and_a_repeat_is_stored_without_deliveries,
            a_changed_state_notifies,
            a_return_to_a_good_state_notifies_as_a_recovery,
            a_first_good_state_does_not_notify,
            state_keys_are_independent,
            a_repeated_idempotency_key_changes_no_state,
            concurrent_sightings_of_a_new_bad_state_notify_once,
            list_states_shows_each_key_with_its_state_and_since_when,
            // Channels.
            a_channel_round_trips_with_its_secrets_exactly,
            a_channel_created_with_its_own_rule_keeps_it,
            get_channels_and_list_channels_return_what_exists,
            update_channel_replaces_its_fields_and_its_own_rule,
            update_channel_without_an_own_rule_removes_it,
            updating_or_deleting_a_missing_channel_finds_nothing,
            delete_channel_removes_its_own_rule_and_its_deliveries,
            // Rules.
            a_rule_keeps_its_channels_in_order_and_every_field,
            a_rule_naming_a_missing_channel_is_refused_and_writes_nothing,
            update_rule_replaces_its_fields_and_channels,
            updating_a_rule_to_a_missing_channel_changes_nothing,
            updating_a_missing_rule_is_not_found,
            delete_rule_removes_only_standalone_rules,
            list_rules_leaves_out_channels_own_rules,
            routing_snapshot_holds_enabled_rules_and_enabled_channels_only,
            // Rule options and mute windows.
            a_rule_keeps_its_mute_repeat_and_template_options,
            a_mute_window_round_trips_in_its_time_zone,
            a_mute_window_a_rule_names_cannot_be_deleted,
            routing_snapshot_holds_the_mute_windows,
            a_held_delivery_falls_due_when_its_window_ends,
            a_repeat_interval_renotifies_an_unchanged_bad_state_per_rule,
            a_template_a_rule_sets_travels_with_the_delivery,
            digest_events_join_the_channels_open_digest_until_its_window_ends,
            a_digest_batch_counts_every_event_and_lists_the_first,
            // The queue.
            claim_due_takes_only_due_deliveries_and_marks_them_sending,
            a_claimed_delivery_is_not_claimed_again_while_leased,
            claim_due_respects_the_limit_and_takes_the_longest_waiting_first,
            claim_due_except_passes_over_the_channels_it_is_told_to_skip,
            a_loaded_claim_brings_each_deliverys_event_and_channel,
            concurrent_claims_never_share_a_delivery,
            record_attempts_numbers_attempts_and_moves_the_delivery_on,
            a_retrying_delivery_is_claimable_again_only_once_due,
            a_permanent_failure_ends_the_delivery,
            record_attempts_writes_a_batch_in_one_call,
            two_attempts_of_one_delivery_in_one_batch_are_numbered_in_order,
            recording_an_attempt_for_a_deleted_delivery_is_ignored,
            an_expired_lease_makes_a_delivery_claimable_again,
            release_gives_claimed_deliveries_back_at_once,
            release_to_a_later_time_makes_deliveries_wait_without_an_attempt,
            next_due_at_is_when_the_earliest_waiting_delivery_falls_due,
            queue_depth_counts_waiting_deliveries_by_state,
            // The delivery log.
            get_delivery_returns_its_attempts_in_order,
            deliveries_of_event_lists_each_delivery_with_its_own_attempts,
            list_deliveries_is_newest_first_and_filters_by_status,
            list_deliveries_filters_by_channel_and_event_type,
            list_deliveries_pages_with_before_and_limit,
            retrying_a_missing_delivery_is_not_found,
            retrying_a_delivery_that_has_not_failed_is_refused,
            retrying_a_failed_delivery_starts_its_schedule_again_now,
            prune_keeps_the_newest_finished_deliveries_per_channel,
            prune_never_removes_waiting_or_sending_deliveries,
            prune_counts_only_finished_deliveries_towards_what_it_keeps,
            // API tokens.
            recipients_a_rule_sets_round_trip_with_the_rule_and_the_delivery,
            a_token_is_found_by_its_hash_and_counted,
            a_duplicate_token_hash_is_refused,
            tokens_are_listed_touched_and_deleted,
            // Tenants and the audit log.
            a_channel_and_a_rule_keep_their_tenant_and_projects,
            routing_snapshot_holds_the_restrictions_of_restricted_channels,
            events_and_deliveries_filter_by_customer_and_tenant,
            an_audit_entry_is_written_with_its_event_and_deliveries,
            a_change_and_its_audit_entry_are_written_together_or_not_at_all,
            // Metrics tokens.
            a_metrics_token_round_trips_and_is_found_by_its_hash,
            a_duplicate_metrics_token_hash_is_refused,
            deleting_a_metrics_token_removes_only_it,
            get_state_reads_one_key,
            // Sender profiles.
            a_profile_round_trips_with_its_secrets,
            a_new_default_profile_replaces_the_kinds_old_default,
            update_profile_replaces_its_fields_and_may_move_the_default,
            a_profile_a_channel_names_cannot_be_deleted,
            deleting_an_unused_profile_removes_it,
            // Secrets at rest.
            replace_secrets_swaps_channel_and_profile_secrets_in_one_go,
            replace_secrets_writes_nothing_when_a_row_changed_meanwhile,
            // Configuration as code.
            declared_markers_round_trip_and_api_objects_are_not_listed,
            a_declared_object_is_created_already_marked_with_its_audit_entry,
        );
    };
}

mod sqlite {
    use tocsin_store::SqliteStore;

    /// A new database file in its own temporary directory.
    async fn fresh() -> Option<(SqliteStore, tempfile::TempDir)> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(&dir.path().join("tocsin.db"))
            .await
            .expect("a fresh SQLite store");
        Some((store, dir))
    }

    contract_tests!(fresh);

    /// The claim and its reads are one transaction: when a read fails, nothing is claimed.
    #[tokio::test]
    async fn a_claim_whose_reads_fail_leaves_its_deliveries_due() {
        use sqlx::Connection;
        use tocsin_store::Store;

        let (store, dir) = fresh().await.expect("store");
        let store: &dyn Store = &store;
        let channel = crate::add_channel(store, "a").await;
        let ids = crate::emit(store, "a.b", crate::T0, &[channel.id]).await;
        // The claim's last read now fails: its table is gone.
        let url = format!("sqlite://{}", dir.path().join("tocsin.db").display());
        let mut other = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("connect");
        sqlx::query("ALTER TABLE channels RENAME TO channels_gone")
            .execute(&mut other)
            .await
            .expect("rename");
        other.close().await.expect("close");

        let now = crate::T0 + 10_000;
        let failed = store
            .claim_due_loaded(now, now + crate::LEASE, 10, &[])
            .await;
        assert!(failed.is_err(), "the channels cannot be read");
        assert_eq!(
            crate::status(store, ids[0]).await,
            crate::DeliveryStatus::Pending,
            "the claim was rolled back"
        );
    }
}

mod postgres {
    use tocsin_store::PgStore;

    use crate::pg_schema;

    /// A new, empty schema in the database `TOCSIN_TEST_DATABASE_URL` names, dropped again
    /// when the check ends; so checks run in parallel.
    async fn fresh() -> Option<(PgStore, pg_schema::TestSchema)> {
        let schema = pg_schema::TestSchema::create("contract").await?;
        let store = PgStore::open_url(schema.url())
            .await
            .expect("a fresh PostgreSQL store");
        Some((store, schema))
    }

    contract_tests!(fresh);
}

// Fixtures. Instants are fixed numbers; only ids come from the clock.

const T0: Millis = 1_795_428_000_000;
const LEASE: Millis = 60_000;
const ALL: u32 = 10_000;

/// A new id, later than every id made before it in this process: the store orders by id,
/// and two `Ulid::new()` in the same millisecond are in random order.
fn new_id() -> Ulid {
    static LAST: Mutex<Option<Ulid>> = Mutex::new(None);
    let mut last = LAST.lock().expect("id lock");
    let mut id = Ulid::new();
    if let Some(prev) = *last
        && id <= prev
    {
        id = prev.increment().expect("ids left in this millisecond");
    }
    *last = Some(id);
    id
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn patterns(list: &[&str]) -> Vec<EventPattern> {
    list.iter()
        .map(|p| EventPattern::parse(p).expect("pattern"))
        .collect()
}

fn matchers(list: &[&str]) -> Vec<Matcher> {
    list.iter()
        .map(|m| Matcher::parse(m).expect("matcher"))
        .collect()
}

fn new_channel(name: &str) -> Channel {
    let mut secrets = Secrets::new();
    secrets.insert("token", format!("secret-of-{name}"));
    Channel {
        id: new_id(),
        name: name.into(),
        kind: "webhook".into(),
        config: ChannelConfig {
            settings: object(json!({"url": format!("https://example.com/{name}")})),
            secrets,
        },
        enabled: true,
        tags: vec!["ops".into()],
        retry_schedule: None,
        tenant: None,
        projects: Vec::new(),
        created_at: T0,
        updated_at: T0,
    }
}

fn new_rule(name: &str, channels: &[Ulid]) -> Rule {
    Rule {
        id: new_id(),
        name: name.into(),
        events: patterns(&["deploy.*"]),
        matchers: Vec::new(),
        min_severity: None,
        channels: channels.to_vec(),
        enabled: true,
        owner_channel: None,
        recipients: None,
        mute: Vec::new(),
        while_muted: WhileMuted::Drop,
        critical_breaks_through: false,
        repeat_interval: None,
        template: None,
        digest: None,
        tenant: None,
        created_at: T0,
        updated_at: T0,
    }
}

fn own_rule_of(channel: &Channel, events: &[&str]) -> Rule {
    Rule {
        id: new_id(),
        name: format!("{} (own)", channel.name),
        events: patterns(events),
        matchers: matchers(&["environment=production"]),
        min_severity: Some(Severity::Warning),
        channels: vec![channel.id],
        enabled: true,
        owner_channel: Some(channel.id),
        recipients: None,
        mute: Vec::new(),
        while_muted: WhileMuted::Drop,
        critical_breaks_through: false,
        repeat_interval: None,
        template: None,
        digest: None,
        tenant: None,
        created_at: T0,
        updated_at: T0,
    }
}

fn new_event(event_type: &str, received_at: Millis) -> Event {
    Event {
        id: new_id(),
        event_type: event_type.into(),
        title: "Title".into(),
        message: "Message".into(),
        severity: Severity::Info,
        source: BTreeMap::new(),
        data: json!({}),
        idempotency_key: None,
        state_key: None,
        state: None,
        occurred_at: received_at,
        received_at,
    }
}

fn retrying(step: u32, next_attempt_at: Millis) -> Transition {
    Transition {
        status: DeliveryStatus::Retrying,
        next_attempt_at: Some(next_attempt_at),
        step,
    }
}

fn delivered(step: u32) -> Transition {
    Transition {
        status: DeliveryStatus::Delivered,
        next_attempt_at: None,
        step,
    }
}

fn failed(step: u32) -> Transition {
    Transition {
        status: DeliveryStatus::Failed,
        next_attempt_at: None,
        step,
    }
}

async fn add_channel(store: &dyn Store, name: &str) -> Channel {
    let channel = new_channel(name);
    store.create_channel(&channel, None).await.unwrap();
    channel
}

/// Stores an event of `event_type` received at `at` with one delivery per channel, and
/// returns the delivery ids in the order of `channels`.
async fn emit(store: &dyn Store, event_type: &str, at: Millis, channels: &[Ulid]) -> Vec<Ulid> {
    emit_event(store, &new_event(event_type, at), channels).await
}

async fn emit_event(store: &dyn Store, event: &Event, channels: &[Ulid]) -> Vec<Ulid> {
    let deliveries: Vec<NewDelivery> = channels
        .iter()
        .map(|&channel_id| NewDelivery {
            id: new_id(),
            channel_id,
            recipients: None,
            ..Default::default()
        })
        .collect();
    let inserted = store.insert_event(event, &deliveries).await.unwrap();
    assert_eq!(
        inserted,
        Inserted::Created {
            deliveries: channels.len() as u32,
            state_change: None,
        }
    );
    deliveries.iter().map(|d| d.id).collect()
}

async fn all_events(store: &dyn Store) -> Vec<Event> {
    store
        .list_events(&EventQuery {
            limit: ALL,
            ..EventQuery::default()
        })
        .await
        .unwrap()
}

async fn all_deliveries(store: &dyn Store) -> Vec<Delivery> {
    store
        .list_deliveries(&DeliveryQuery {
            limit: ALL,
            ..DeliveryQuery::default()
        })
        .await
        .unwrap()
}

async fn delivery(store: &dyn Store, id: Ulid) -> Delivery {
    store
        .get_delivery(id)
        .await
        .unwrap()
        .expect("the delivery exists")
        .0
}

async fn attempts(store: &dyn Store, id: Ulid) -> Vec<Attempt> {
    store
        .get_delivery(id)
        .await
        .unwrap()
        .expect("the delivery exists")
        .1
}

async fn status(store: &dyn Store, id: Ulid) -> DeliveryStatus {
    delivery(store, id).await.status
}

/// Claims everything due at `now`, sorted by id.
async fn claim(store: &dyn Store, now: Millis) -> Vec<Ulid> {
    claim_leased(store, now, now + LEASE, ALL).await
}

async fn claim_leased(store: &dyn Store, now: Millis, until: Millis, limit: u32) -> Vec<Ulid> {
    let mut ids: Vec<Ulid> = store
        .claim_due(now, until, limit)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    ids.sort();
    ids
}

/// The attempt a worker would report for `id` ending in `transition`.
async fn attempt_for(
    store: &dyn Store,
    id: Ulid,
    started_at: Millis,
    transition: Transition,
    error: Option<&str>,
) -> Attempt {
    let number = delivery(store, id).await.attempts + 1;
    Attempt {
        delivery_id: id,
        number,
        started_at,
        duration_ms: 250,
        status_code: Some(match transition.status {
            DeliveryStatus::Delivered => 200,
            DeliveryStatus::Failed => 404,
            _ => 503,
        }),
        outcome: transition.status,
        error: error.map(String::from),
        response_excerpt: Some(format!("answer to attempt {number}")),
    }
}

/// Records one attempt on `id` and returns it as it should read back.
async fn record(
    store: &dyn Store,
    id: Ulid,
    started_at: Millis,
    transition: Transition,
    error: Option<&str>,
) -> Attempt {
    let attempt = attempt_for(store, id, started_at, transition, error).await;
    store
        .record_attempts(&[AttemptRecord {
            attempt: attempt.clone(),
            transition,
        }])
        .await
        .unwrap();
    attempt
}

/// Claims everything due at `at` and delivers it: every claimed delivery ends `delivered`.
async fn deliver_all(store: &dyn Store, at: Millis) {
    for id in claim(store, at).await {
        record(store, id, at, delivered(0), None).await;
    }
}

fn ids_of<'a>(deliveries: impl IntoIterator<Item = &'a Delivery>) -> Vec<Ulid> {
    deliveries.into_iter().map(|d| d.id).collect()
}

fn sorted(mut ids: Vec<Ulid>) -> Vec<Ulid> {
    ids.sort();
    ids
}

fn newest_first(ids: &[Ulid]) -> Vec<Ulid> {
    ids.iter().rev().copied().collect()
}

// Health.

async fn ping_answers(store: &dyn Store) {
    store.ping().await.unwrap();
}

// Events and the outbox.

async fn an_inserted_event_round_trips_every_field(store: &dyn Store) {
    let full = Event {
        id: new_id(),
        event_type: "deploy.success".into(),
        title: "Deploy Success".into(),
        message: "my-app deployed\nwith \"quotes\", ünïcödé and 日本語".into(),
        severity: Severity::Warning,
        source: BTreeMap::from([
            ("application".to_owned(), "my-app".to_owned()),
            ("environment".to_owned(), "production".to_owned()),
            ("customer".to_owned(), "acme & co".to_owned()),
        ]),
        data: json!({
            "commit": "abc123",
            "duration_seconds": 45,
            "ratio": 0.25,
            "negative": -7,
            "big": 9_007_199_254_740_993_u64,
            "tags": ["a", "b"],
            "nested": {"ok": true, "nothing": null, "empty": {}},
        }),
        idempotency_key: Some("deploy-42".into()),
        state_key: Some("my-app/deploy".into()),
        state: Some("up".into()),
        occurred_at: T0 - 5_000,
        received_at: T0,
    };
    let bare = Event {
        title: String::new(),
        ..new_event("backup.failure", T0 + 1)
    };
    for event in [&full, &bare] {
        assert!(matches!(
            store.insert_event(event, &[]).await.unwrap(),
            Inserted::Created { deliveries: 0, .. }
        ));
        assert_eq!(
            store.get_event(event.id).await.unwrap().as_ref(),
            Some(event)
        );
    }
    assert_eq!(store.get_event(new_id()).await.unwrap(), None);
}

async fn an_event_of_every_severity_round_trips(store: &dyn Store) {
    for severity in Severity::ALL {
        let event = Event {
            severity,
            ..new_event("disk.usage", T0)
        };
        store.insert_event(&event, &[]).await.unwrap();
        assert_eq!(store.get_event(event.id).await.unwrap(), Some(event));
    }
}

async fn insert_event_commits_the_event_with_its_deliveries_due_at_once(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let event = new_event("deploy.success", T0);
    let ids = emit_event(store, &event, &[a.id, b.id]).await;

    assert_eq!(
        store.get_event(event.id).await.unwrap(),
        Some(event.clone())
    );
    let mut found = store.deliveries_of_event(event.id).await.unwrap();
    found.sort_by_key(|(d, _)| d.id);
    assert_eq!(found.len(), 2);
    for ((d, attempts), (id, channel_id)) in found.iter().zip(ids.iter().zip([a.id, b.id])) {
        assert_eq!(d.id, *id);
        assert_eq!(d.event_id, event.id);
        assert_eq!(d.channel_id, channel_id);
        assert_eq!(d.status, DeliveryStatus::Pending);
        assert_eq!(d.attempts, 0);
        assert_eq!(d.step, 0);
        assert_eq!(d.next_attempt_at, Some(T0), "due when the event arrived");
        assert_eq!(d.last_error, None);
        assert!(attempts.is_empty());
    }
    assert_eq!(claim(store, T0).await, sorted(ids));
}

async fn an_event_routed_nowhere_is_still_stored(store: &dyn Store) {
    let event = new_event("deploy.success", T0);
    assert_eq!(
        store.insert_event(&event, &[]).await.unwrap(),
        Inserted::Created {
            deliveries: 0,
            state_change: None
        }
    );
    assert_eq!(all_events(store).await, vec![event.clone()]);
    assert!(
        store
            .deliveries_of_event(event.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(all_deliveries(store).await.is_empty());
}

async fn a_delivery_for_a_channel_that_no_longer_exists_is_not_created(store: &dyn Store) {
    let kept = add_channel(store, "kept").await;
    let gone = add_channel(store, "gone").await;
    assert!(store.delete_channel(gone.id).await.unwrap());
    let event = new_event("deploy.success", T0);
    let deliveries = [
        NewDelivery {
            id: new_id(),
            channel_id: gone.id,
            recipients: None,
            ..Default::default()
        },
        NewDelivery {
            id: new_id(),
            channel_id: kept.id,
            recipients: None,
            ..Default::default()
        },
        NewDelivery {
            id: new_id(),
            channel_id: new_id(),
            recipients: None,
            ..Default::default()
        },
    ];
    assert_eq!(
        store.insert_event(&event, &deliveries).await.unwrap(),
        Inserted::Created {
            deliveries: 1,
            state_change: None
        }
    );
    let found = store.deliveries_of_event(event.id).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0.id, deliveries[1].id);
    assert_eq!(found[0].0.channel_id, kept.id);
    assert_eq!(store.get_delivery(deliveries[0].id).await.unwrap(), None);
    assert_eq!(store.get_delivery(deliveries[2].id).await.unwrap(), None);
}

async fn an_event_whose_deliveries_cannot_be_written_is_not_stored(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let event = new_event("deploy.success", T0);
    let twice = NewDelivery {
        id: new_id(),
        channel_id: ch.id,
        recipients: None,
        ..Default::default()
    };
    assert!(
        store
            .insert_event(&event, &[twice.clone(), twice])
            .await
            .is_err()
    );
    assert_eq!(store.get_event(event.id).await.unwrap(), None);
    assert!(all_events(store).await.is_empty());
    assert!(all_deliveries(store).await.is_empty());
}

async fn a_repeated_idempotency_key_creates_nothing(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let first = Event {
        idempotency_key: Some("deploy-42".into()),
        ..new_event("deploy.success", T0)
    };
    emit_event(store, &first, &[a.id, b.id]).await;
    let events_before = all_events(store).await;
    let deliveries_before = all_deliveries(store).await;

    let repeat = Event {
        idempotency_key: Some("deploy-42".into()),
        title: "Something else".into(),
        ..new_event("deploy.failure", T0 + 1_000)
    };
    let repeat_delivery = NewDelivery {
        id: new_id(),
        channel_id: a.id,
        recipients: None,
        ..Default::default()
    };
    assert_eq!(
        store
            .insert_event(&repeat, std::slice::from_ref(&repeat_delivery))
            .await
            .unwrap(),
        Inserted::Duplicate {
            id: first.id,
            deliveries: 2
        }
    );
    assert_eq!(all_events(store).await, events_before);
    assert_eq!(all_deliveries(store).await, deliveries_before);
    assert_eq!(store.get_event(repeat.id).await.unwrap(), None);
    assert_eq!(store.get_delivery(repeat_delivery.id).await.unwrap(), None);
    assert_eq!(store.get_event(first.id).await.unwrap(), Some(first));
}

async fn insert_events_commits_each_event_and_keeps_a_failure_to_itself(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let to_ch = || NewDelivery {
        id: new_id(),
        channel_id: ch.id,
        ..Default::default()
    };
    let twice = to_ch();
    let keyed = |at| Event {
        idempotency_key: Some("k".into()),
        ..new_event("deploy.success", at)
    };
    let batch = vec![
        NewEvent {
            event: new_event("deploy.success", T0),
            deliveries: vec![to_ch()],
        },
        // Its deliveries cannot be written: it fails alone.
        NewEvent {
            event: new_event("deploy.failure", T0),
            deliveries: vec![twice.clone(), twice],
        },
        NewEvent {
            event: keyed(T0),
            deliveries: vec![to_ch()],
        },
        // The same key later in the same batch is a duplicate of the one before it.
        NewEvent {
            event: keyed(T0 + 1),
            deliveries: vec![to_ch(), to_ch()],
        },
    ];
    let results = store.insert_events(&batch).await.unwrap();
    assert_eq!(results.len(), 4);
    let created = Inserted::Created {
        deliveries: 1,
        state_change: None,
    };
    assert_eq!(results[0].as_ref().unwrap(), &created);
    assert!(results[1].is_err());
    assert_eq!(results[2].as_ref().unwrap(), &created);
    assert_eq!(
        results[3].as_ref().unwrap(),
        &Inserted::Duplicate {
            id: batch[2].event.id,
            deliveries: 1
        }
    );
    let stored: BTreeSet<Ulid> = all_events(store).await.iter().map(|e| e.id).collect();
    assert_eq!(
        stored,
        BTreeSet::from([batch[0].event.id, batch[2].event.id])
    );
    assert_eq!(all_deliveries(store).await.len(), 2);
}

async fn insert_events_writes_plain_events_exactly_as_insert_event(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let gone = new_channel("never stored");
    let full = Event {
        message: "with \"quotes\", ünïcödé and 日本語".into(),
        severity: Severity::Critical,
        source: BTreeMap::from([("application".to_owned(), "acme & co".to_owned())]),
        data: json!({"big": 9_007_199_254_740_993_u64, "ratio": 0.25, "nested": {"n": null}}),
        occurred_at: T0 - 5_000,
        ..new_event("deploy.failure", T0)
    };
    let to = |channel_id, rules| NewDelivery {
        id: new_id(),
        channel_id,
        recipients: Some("ops@example.com".into()),
        template: Some("slack".into()),
        rules,
    };
    let held = RouteRule {
        hold_until: Some(T0 + 60_000),
        ..RouteRule::of(new_id())
    };
    let batch = vec![
        NewEvent {
            event: full.clone(),
            deliveries: vec![to(ch.id, vec![]), to(gone.id, vec![])],
        },
        NewEvent {
            event: new_event("backup.failure", T0 + 1),
            deliveries: vec![to(ch.id, vec![held])],
        },
        NewEvent {
            event: new_event("backup.failure", T0 + 2),
            deliveries: vec![],
        },
    ];
    let results = store.insert_events(&batch).await.unwrap();
    let counts: Vec<u32> = results
        .iter()
        .map(|r| match r {
            Ok(Inserted::Created {
                deliveries,
                state_change: None,
            }) => *deliveries,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(counts, [1, 1, 0]);
    for item in &batch {
        assert_eq!(
            store.get_event(item.event.id).await.unwrap().as_ref(),
            Some(&item.event)
        );
    }
    let first = delivery(store, batch[0].deliveries[0].id).await;
    assert_eq!(first.status, DeliveryStatus::Pending);
    assert_eq!(first.next_attempt_at, Some(T0));
    assert_eq!(first.recipients.as_deref(), Some("ops@example.com"));
    assert_eq!(first.template.as_deref(), Some("slack"));
    assert_eq!(first.digest_until, None);
    assert_eq!(
        store.get_delivery(batch[0].deliveries[1].id).await.unwrap(),
        None
    );
    // A held delivery falls due when its rule's mute window ends.
    let second = delivery(store, batch[1].deliveries[0].id).await;
    assert_eq!(second.next_attempt_at, Some(T0 + 60_000));
}

async fn events_without_an_idempotency_key_are_never_duplicates(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let one = new_event("deploy.success", T0);
    let two = new_event("deploy.success", T0);
    emit_event(store, &one, &[a.id]).await;
    emit_event(store, &two, &[a.id]).await;
    let keyed = Event {
        idempotency_key: Some("k".into()),
        ..new_event("deploy.success", T0)
    };
    emit_event(store, &keyed, &[a.id]).await;
    assert_eq!(all_events(store).await.len(), 3);
    assert_eq!(all_deliveries(store).await.len(), 3);
}

async fn get_events_returns_the_named_events_and_skips_unknown_ids(store: &dyn Store) {
    let events: Vec<Event> = (0..3).map(|i| new_event("x.y", T0 + i)).collect();
    for e in &events {
        store.insert_event(e, &[]).await.unwrap();
    }
    let mut found = store
        .get_events(&[events[2].id, new_id(), events[0].id])
        .await
        .unwrap();
    found.sort_by_key(|e| e.id);
    assert_eq!(found, vec![events[0].clone(), events[2].clone()]);
    assert!(store.get_events(&[]).await.unwrap().is_empty());
}

async fn list_events_is_newest_first_and_honours_the_limit(store: &dyn Store) {
    assert!(all_events(store).await.is_empty());
    let events: Vec<Event> = (0..4).map(|i| new_event("x.y", T0 + i)).collect();
    for e in &events {
        store.insert_event(e, &[]).await.unwrap();
    }
    let listed = all_events(store).await;
    assert_eq!(listed, events.iter().rev().cloned().collect::<Vec<_>>());
    let two = store
        .list_events(&EventQuery {
            limit: 2,
            ..EventQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(two, vec![events[3].clone(), events[2].clone()]);
}

async fn list_events_filters_by_type(store: &dyn Store) {
    let types = [
        "deploy.success",
        "backup.failure",
        "deploy.success",
        "deploy.successful",
    ];
    let events: Vec<Event> = types.iter().map(|t| new_event(t, T0)).collect();
    for e in &events {
        store.insert_event(e, &[]).await.unwrap();
    }
    let ids = |list: Vec<Event>| list.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let deploys = store
        .list_events(&EventQuery {
            event_type: Some("deploy.success".into()),
            limit: ALL,
            ..EventQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(deploys), vec![events[2].id, events[0].id]);
    let none = store
        .list_events(&EventQuery {
            event_type: Some("deploy".into()),
            limit: ALL,
            ..EventQuery::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn list_events_pages_with_before(store: &dyn Store) {
    let events: Vec<Event> = (0..5)
        .map(|i| new_event(if i % 2 == 0 { "a.b" } else { "c.d" }, T0))
        .collect();
    for e in &events {
        store.insert_event(e, &[]).await.unwrap();
    }
    let page = |before: Option<Ulid>, event_type: Option<&str>| EventQuery {
        event_type: event_type.map(String::from),
        before,
        limit: 2,
        ..Default::default()
    };
    let ids = |list: Vec<Event>| list.into_iter().map(|e| e.id).collect::<Vec<_>>();

    let first = ids(store.list_events(&page(None, None)).await.unwrap());
    assert_eq!(first, vec![events[4].id, events[3].id]);
    let second = ids(store
        .list_events(&page(Some(first[1]), None))
        .await
        .unwrap());
    assert_eq!(second, vec![events[2].id, events[1].id]);
    let third = ids(store
        .list_events(&page(Some(second[1]), None))
        .await
        .unwrap());
    assert_eq!(third, vec![events[0].id]);
    let past_the_end = store.list_events(&page(Some(events[0].id), None)).await;
    assert!(past_the_end.unwrap().is_empty());

    let typed = ids(store
        .list_events(&page(Some(events[4].id), Some("a.b")))
        .await
        .unwrap());
    assert_eq!(typed, vec![events[2].id, events[0].id]);
}

// Transitions.

fn sighting(key: &str, state: &str, at: Millis) -> Event {
    Event {
        state_key: Some(key.into()),
        state: Some(state.into()),
        ..new_event("service.health", at)
    }
}

/// Inserts `event` with one delivery to `channel` and returns what the store did.
async fn insert_routed(store: &dyn Store, event: &Event, channel: Ulid) -> Inserted {
    let delivery = NewDelivery {
        id: new_id(),
        channel_id: channel,
        recipients: None,
        ..Default::default()
    };
    store.insert_event(event, &[delivery]).await.unwrap()
}

fn change(previous: Option<&str>, current: &str, notify: bool) -> Inserted {
    Inserted::Created {
        deliveries: u32::from(notify),
        state_change: Some(StateChange {
            previous: previous.map(str::to_owned),
            current: current.to_owned(),
            notify,
        }),
    }
}

async fn deliveries_of(store: &dyn Store, event: &Event) -> usize {
    store.deliveries_of_event(event.id).await.unwrap().len()
}

async fn a_first_bad_state_notifies_and_a_repeat_is_stored_without_deliveries(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let first = sighting("api/health", "down", T0);
    assert_eq!(
        insert_routed(store, &first, a.id).await,
        change(None, "down", true)
    );
    let repeat = sighting("api/health", "down", T0 + 1_000);
    assert_eq!(
        insert_routed(store, &repeat, a.id).await,
        change(Some("down"), "down", false)
    );
    assert_eq!(deliveries_of(store, &first).await, 1);
    assert_eq!(deliveries_of(store, &repeat).await, 0);
    assert_eq!(
        store.get_event(repeat.id).await.unwrap(),
        Some(repeat.clone()),
        "a suppressed event is still stored"
    );
    assert_eq!(all_deliveries(store).await.len(), 1);
}

async fn a_changed_state_notifies(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    insert_routed(store, &sighting("disk/sda", "warning", T0), a.id).await;
    assert_eq!(
        insert_routed(store, &sighting("disk/sda", "critical", T0 + 1), a.id).await,
        change(Some("warning"), "critical", true)
    );
    assert_eq!(
        insert_routed(store, &sighting("disk/sda", "CRITICAL", T0 + 2), a.id).await,
        change(Some("critical"), "CRITICAL", false),
        "states compare without regard to case"
    );
}

async fn a_return_to_a_good_state_notifies_as_a_recovery(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    insert_routed(store, &sighting("api/health", "down", T0), a.id).await;
    let up = sighting("api/health", "up", T0 + 1);
    let inserted = insert_routed(store, &up, a.id).await;
    assert_eq!(inserted, change(Some("down"), "up", true));
    let Inserted::Created {
        state_change: Some(c),
        ..
    } = inserted
    else {
        unreachable!()
    };
    assert!(c.is_recovery());
    assert_eq!(
        insert_routed(store, &sighting("api/health", "up", T0 + 2), a.id).await,
        change(Some("up"), "up", false)
    );
    assert_eq!(
        insert_routed(store, &sighting("api/health", "healthy", T0 + 3), a.id).await,
        change(Some("up"), "healthy", false),
        "from one good state to another nothing was wrong"
    );
    assert_eq!(
        insert_routed(store, &sighting("api/health", "down", T0 + 4), a.id).await,
        change(Some("healthy"), "down", true)
    );
}

async fn a_first_good_state_does_not_notify(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let ok = sighting("backup/nightly", "OK", T0);
    assert_eq!(
        insert_routed(store, &ok, a.id).await,
        change(None, "OK", false)
    );
    assert_eq!(all_events(store).await, vec![ok]);
    assert!(all_deliveries(store).await.is_empty());
}

async fn state_keys_are_independent(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    assert_eq!(
        insert_routed(store, &sighting("api", "down", T0), a.id).await,
        change(None, "down", true)
    );
    assert_eq!(
        insert_routed(store, &sighting("web", "down", T0 + 1), a.id).await,
        change(None, "down", true)
    );
    assert_eq!(
        insert_routed(store, &sighting("api", "up", T0 + 2), a.id).await,
        change(Some("down"), "up", true)
    );
    assert_eq!(
        insert_routed(store, &sighting("web", "down", T0 + 3), a.id).await,
        change(Some("down"), "down", false)
    );
    // An event without a state is never held back.
    assert_eq!(
        insert_routed(store, &new_event("service.health", T0 + 4), a.id).await,
        Inserted::Created {
            deliveries: 1,
            state_change: None
        }
    );
}

async fn a_repeated_idempotency_key_changes_no_state(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let first = Event {
        idempotency_key: Some("check-1".into()),
        ..sighting("api", "down", T0)
    };
    insert_routed(store, &first, a.id).await;
    let repeat = Event {
        idempotency_key: Some("check-1".into()),
        ..sighting("api", "up", T0 + 1)
    };
    assert_eq!(
        insert_routed(store, &repeat, a.id).await,
        Inserted::Duplicate {
            id: first.id,
            deliveries: 1
        }
    );
    let states = store.list_states().await.unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0].state, "down");
    assert_eq!(states[0].last_event_id, first.id);
    assert_eq!(
        insert_routed(store, &sighting("api", "up", T0 + 2), a.id).await,
        change(Some("down"), "up", true)
    );
}

async fn concurrent_sightings_of_a_new_bad_state_notify_once(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let (one, two, three, four) = (
        sighting("api", "down", T0),
        sighting("api", "down", T0),
        sighting("api", "down", T0),
        sighting("api", "down", T0),
    );
    let results = tokio::join!(
        insert_routed(store, &one, a.id),
        insert_routed(store, &two, a.id),
        insert_routed(store, &three, a.id),
        insert_routed(store, &four, a.id),
    );
    let results = [results.0, results.1, results.2, results.3];
    let notified = results
        .iter()
        .filter(|r| matches!(r, Inserted::Created { deliveries: 1, .. }))
        .count();
    assert_eq!(notified, 1, "{results:?}");
    assert_eq!(all_events(store).await.len(), 4);
    assert_eq!(all_deliveries(store).await.len(), 1);
}

async fn list_states_shows_each_key_with_its_state_and_since_when(store: &dyn Store) {
    assert!(store.list_states().await.unwrap().is_empty());
    let a = add_channel(store, "a").await;
    let down = sighting("web", "down", T0);
    insert_routed(store, &down, a.id).await;
    let again = sighting("web", "down", T0 + 5_000);
    insert_routed(store, &again, a.id).await;
    let api = sighting("api", "up", T0 + 6_000);
    insert_routed(store, &api, a.id).await;
    assert_eq!(
        store.list_states().await.unwrap(),
        vec![
            MonitorState {
                state_key: "api".into(),
                state: "up".into(),
                changed_at: T0 + 6_000,
                seen_at: T0 + 6_000,
                last_event_id: api.id,
            },
            MonitorState {
                state_key: "web".into(),
                state: "down".into(),
                changed_at: T0,
                seen_at: T0 + 5_000,
                last_event_id: again.id,
            },
        ]
    );
    let up = sighting("web", "up", T0 + 9_000);
    insert_routed(store, &up, a.id).await;
    let web = store.list_states().await.unwrap().remove(1);
    assert_eq!((web.state.as_str(), web.changed_at), ("up", T0 + 9_000));
}

// Channels.

async fn a_channel_round_trips_with_its_secrets_exactly(store: &dyn Store) {
    let mut secrets = Secrets::new();
    secrets.insert("signing_secret", "whsec_c2VjcmV0LXZhbHVl");
    secrets.insert("password", "p\"a'ss\\wörd\n\t{}[],:");
    secrets.insert("empty", "");
    let channel = Channel {
        id: new_id(),
        name: "Ops alerts ✉".into(),
        kind: "webhook".into(),
        config: ChannelConfig {
            settings: object(json!({
                "url": "https://hooks.example.com/x?a=1&b=2",
                "headers": {"X-Team": "ops"},
                "timeout_seconds": 10,
                "verify": false,
            })),
            secrets,
        },
        enabled: false,
        tags: vec!["ops".into(), "prod".into()],
        retry_schedule: Some(
            RetrySchedule::new(vec![
                Duration::ZERO,
                Duration::from_millis(1_500),
                Duration::from_secs(120),
            ])
            .unwrap(),
        ),
        tenant: None,
        projects: Vec::new(),
        created_at: T0,
        updated_at: T0 + 1,
    };
    store.create_channel(&channel, None).await.unwrap();

    let stored = store
        .get_channel(channel.id)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored, channel);
    let s = &stored.config.secrets;
    assert_eq!(s.expose("signing_secret"), Some("whsec_c2VjcmV0LXZhbHVl"));
    assert_eq!(s.expose("password"), Some("p\"a'ss\\wörd\n\t{}[],:"));
    assert_eq!(s.expose("empty"), Some(""));
    assert_eq!(s.names().count(), 3);
    assert_eq!(store.own_rule(channel.id).await.unwrap(), None);
    assert_eq!(store.get_channel(new_id()).await.unwrap(), None);

    let plain = Channel {
        config: ChannelConfig::default(),
        tags: Vec::new(),
        ..new_channel("plain")
    };
    store.create_channel(&plain, None).await.unwrap();
    let stored = store.get_channel(plain.id).await.unwrap().expect("stored");
    assert!(stored.config.secrets.is_empty());
    assert_eq!(stored, plain);
}

async fn a_channel_created_with_its_own_rule_keeps_it(store: &dyn Store) {
    let channel = new_channel("ops");
    let rule = own_rule_of(&channel, &["deploy.*", "backup.failure"]);
    store.create_channel(&channel, Some(&rule)).await.unwrap();
    assert_eq!(
        store.get_channel(channel.id).await.unwrap(),
        Some(channel.clone())
    );
    assert_eq!(
        store.own_rule(channel.id).await.unwrap(),
        Some(rule.clone())
    );
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule));
}

async fn get_channels_and_list_channels_return_what_exists(store: &dyn Store) {
    assert!(store.list_channels().await.unwrap().is_empty());
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let c = add_channel(store, "c").await;

    let mut listed = store.list_channels().await.unwrap();
    listed.sort_by_key(|ch| ch.id);
    assert_eq!(listed, vec![a.clone(), b, c.clone()]);

    let mut some = store.get_channels(&[c.id, new_id(), a.id]).await.unwrap();
    some.sort_by_key(|ch| ch.id);
    assert_eq!(some, vec![a, c]);
    assert!(store.get_channels(&[]).await.unwrap().is_empty());
}

async fn update_channel_replaces_its_fields_and_its_own_rule(store: &dyn Store) {
    let channel = new_channel("ops");
    let first_rule = own_rule_of(&channel, &["deploy.*"]);
    store
        .create_channel(&channel, Some(&first_rule))
        .await
        .unwrap();

    let mut secrets = Secrets::new();
    secrets.insert("token", "a new token");
    secrets.insert("signing_secret", "whsec_bmV3");
    let updated = Channel {
        name: "ops (renamed)".into(),
        config: ChannelConfig {
            settings: object(json!({"url": "https://example.com/new", "method": "PUT"})),
            secrets,
        },
        enabled: false,
        tags: vec!["night".into()],
        retry_schedule: Some(RetrySchedule::default()),
        updated_at: T0 + 10_000,
        ..channel.clone()
    };
    let second_rule = Rule {
        min_severity: Some(Severity::Critical),
        ..own_rule_of(&updated, &["backup.*"])
    };
    store
        .update_channel(&updated, Some(&second_rule))
        .await
        .unwrap();
    let stored = store
        .get_channel(channel.id)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(stored, updated);
    assert_eq!(stored.config.secrets.expose("token"), Some("a new token"));
    assert_eq!(
        stored.config.secrets.expose("signing_secret"),
        Some("whsec_bmV3")
    );
    assert_eq!(
        store.own_rule(channel.id).await.unwrap(),
        Some(second_rule.clone())
    );
    assert_eq!(store.get_rule(first_rule.id).await.unwrap(), None);

    // The same own rule, changed in place.
    let third_rule = Rule {
        events: patterns(&["*"]),
        matchers: Vec::new(),
        updated_at: T0 + 20_000,
        ..second_rule.clone()
    };
    let unchanged_secrets = Channel {
        updated_at: T0 + 20_000,
        ..updated.clone()
    };
    store
        .update_channel(&unchanged_secrets, Some(&third_rule))
        .await
        .unwrap();
    assert_eq!(store.own_rule(channel.id).await.unwrap(), Some(third_rule));
    assert_eq!(
        store.get_channel(channel.id).await.unwrap(),
        Some(unchanged_secrets)
    );
    assert_eq!(store.list_channels().await.unwrap().len(), 1);
}

async fn update_channel_without_an_own_rule_removes_it(store: &dyn Store) {
    let channel = new_channel("ops");
    let rule = own_rule_of(&channel, &["deploy.*"]);
    store.create_channel(&channel, Some(&rule)).await.unwrap();
    let updated = Channel {
        updated_at: T0 + 1,
        ..channel.clone()
    };
    store.update_channel(&updated, None).await.unwrap();
    assert_eq!(store.own_rule(channel.id).await.unwrap(), None);
    assert_eq!(store.get_rule(rule.id).await.unwrap(), None);
    assert!(store.routing_snapshot().await.unwrap().rules.is_empty());
    assert_eq!(store.get_channel(channel.id).await.unwrap(), Some(updated));
}

async fn updating_or_deleting_a_missing_channel_finds_nothing(store: &dyn Store) {
    let ghost = new_channel("ghost");
    let rule = own_rule_of(&ghost, &["*"]);
    let err = store.update_channel(&ghost, Some(&rule)).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound("channel")),
        "unexpected error: {err}"
    );
    assert_eq!(store.get_channel(ghost.id).await.unwrap(), None);
    assert_eq!(store.get_rule(rule.id).await.unwrap(), None);
    assert!(!store.delete_channel(ghost.id).await.unwrap());
    assert!(store.list_channels().await.unwrap().is_empty());
}

async fn delete_channel_removes_its_own_rule_and_its_deliveries(store: &dyn Store) {
    let gone = new_channel("gone");
    let own = own_rule_of(&gone, &["*"]);
    store.create_channel(&gone, Some(&own)).await.unwrap();
    let kept = add_channel(store, "kept").await;
    let shared = new_rule("shared", &[gone.id, kept.id]);
    store.create_rule(&shared).await.unwrap();
    let event = new_event("deploy.success", T0);
    let ids = emit_event(store, &event, &[gone.id, kept.id]).await;
    claim(store, T0).await;
    record(
        store,
        ids[0],
        T0,
        retrying(1, T0 + 30_000),
        Some("HTTP 503"),
    )
    .await;

    assert!(store.delete_channel(gone.id).await.unwrap());
    assert_eq!(store.get_channel(gone.id).await.unwrap(), None);
    assert_eq!(store.own_rule(gone.id).await.unwrap(), None);
    assert_eq!(store.get_rule(own.id).await.unwrap(), None);
    assert_eq!(store.get_delivery(ids[0]).await.unwrap(), None);
    let left = store.deliveries_of_event(event.id).await.unwrap();
    assert_eq!(ids_of(left.iter().map(|(d, _)| d)), vec![ids[1]]);
    assert_eq!(ids_of(&all_deliveries(store).await), vec![ids[1]]);
    assert_eq!(
        store
            .get_rule(shared.id)
            .await
            .unwrap()
            .expect("kept")
            .channels,
        vec![kept.id]
    );
    assert_eq!(store.get_event(event.id).await.unwrap(), Some(event));
    assert!(!store.delete_channel(gone.id).await.unwrap());
}

// Rules.

async fn a_rule_keeps_its_channels_in_order_and_every_field(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let c = add_channel(store, "c").await;
    let rule = Rule {
        events: patterns(&["deploy.*", "backup.failure", "*"]),
        matchers: matchers(&[
            "environment=production",
            "application=~api-.*",
            "team!=ops",
            "cluster!~eu-.*",
        ]),
        min_severity: Some(Severity::Warning),
        enabled: false,
        updated_at: T0 + 5,
        ..new_rule("production deploys", &[c.id, a.id, b.id])
    };
    store.create_rule(&rule).await.unwrap();
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule.clone()));

    let reversed = new_rule("reversed", &[b.id, a.id, c.id]);
    store.create_rule(&reversed).await.unwrap();
    assert_eq!(
        store
            .get_rule(reversed.id)
            .await
            .unwrap()
            .expect("stored")
            .channels,
        vec![b.id, a.id, c.id]
    );

    let nowhere = Rule {
        events: Vec::new(),
        ..new_rule("nowhere", &[])
    };
    store.create_rule(&nowhere).await.unwrap();
    assert_eq!(store.get_rule(nowhere.id).await.unwrap(), Some(nowhere));
    assert_eq!(store.get_rule(new_id()).await.unwrap(), None);
}

async fn a_rule_naming_a_missing_channel_is_refused_and_writes_nothing(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let rule = new_rule("broken", &[a.id, new_id()]);
    let err = store.create_rule(&rule).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound("channel")),
        "unexpected error: {err}"
    );
    assert_eq!(store.get_rule(rule.id).await.unwrap(), None);
    assert!(store.list_rules().await.unwrap().is_empty());
    assert!(store.routing_snapshot().await.unwrap().rules.is_empty());
}

async fn update_rule_replaces_its_fields_and_channels(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let c = add_channel(store, "c").await;
    let rule = Rule {
        min_severity: Some(Severity::Critical),
        matchers: matchers(&["environment=production"]),
        ..new_rule("first", &[a.id, b.id])
    };
    store.create_rule(&rule).await.unwrap();
    let updated = Rule {
        name: "second".into(),
        events: patterns(&["backup.*"]),
        matchers: matchers(&["team=ops"]),
        min_severity: None,
        channels: vec![c.id, a.id],
        enabled: false,
        updated_at: T0 + 1_000,
        ..rule.clone()
    };
    store.update_rule(&updated).await.unwrap();
    assert_eq!(
        store.get_rule(rule.id).await.unwrap(),
        Some(updated.clone())
    );

    let emptied = Rule {
        channels: Vec::new(),
        updated_at: T0 + 2_000,
        ..updated
    };
    store.update_rule(&emptied).await.unwrap();
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(emptied));
}

async fn updating_a_rule_to_a_missing_channel_changes_nothing(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let rule = new_rule("first", &[a.id]);
    store.create_rule(&rule).await.unwrap();
    let broken = Rule {
        name: "second".into(),
        channels: vec![new_id(), a.id],
        ..rule.clone()
    };
    let err = store.update_rule(&broken).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound("channel")),
        "unexpected error: {err}"
    );
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule));
}

async fn updating_a_missing_rule_is_not_found(store: &dyn Store) {
    let rule = new_rule("ghost", &[]);
    let err = store.update_rule(&rule).await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound("rule")),
        "unexpected error: {err}"
    );
    assert_eq!(store.get_rule(rule.id).await.unwrap(), None);
}

async fn delete_rule_removes_only_standalone_rules(store: &dyn Store) {
    let channel = new_channel("ops");
    let own = own_rule_of(&channel, &["*"]);
    store.create_channel(&channel, Some(&own)).await.unwrap();
    let standalone = new_rule("standalone", &[channel.id]);
    store.create_rule(&standalone).await.unwrap();

    assert!(!store.delete_rule(own.id).await.unwrap());
    assert_eq!(store.own_rule(channel.id).await.unwrap(), Some(own));
    assert!(store.delete_rule(standalone.id).await.unwrap());
    assert_eq!(store.get_rule(standalone.id).await.unwrap(), None);
    assert!(!store.delete_rule(standalone.id).await.unwrap());
    assert!(!store.delete_rule(new_id()).await.unwrap());
    assert_eq!(store.get_channel(channel.id).await.unwrap(), Some(channel));
}

async fn list_rules_leaves_out_channels_own_rules(store: &dyn Store) {
    let channel = new_channel("ops");
    store
        .create_channel(&channel, Some(&own_rule_of(&channel, &["*"])))
        .await
        .unwrap();
    let one = new_rule("one", &[channel.id]);
    let two = Rule {
        enabled: false,
        ..new_rule("two", &[])
    };
    store.create_rule(&one).await.unwrap();
    store.create_rule(&two).await.unwrap();
    let mut listed = store.list_rules().await.unwrap();
    listed.sort_by_key(|r| r.id);
    assert_eq!(listed, vec![one, two]);
}

async fn routing_snapshot_holds_enabled_rules_and_enabled_channels_only(store: &dyn Store) {
    let empty = store.routing_snapshot().await.unwrap();
    assert!(empty.rules.is_empty() && empty.enabled_channels.is_empty());

    let on = new_channel("on");
    let on_rule = own_rule_of(&on, &["*"]);
    store.create_channel(&on, Some(&on_rule)).await.unwrap();
    let off = Channel {
        enabled: false,
        ..new_channel("off")
    };
    let off_rule = own_rule_of(&off, &["*"]);
    store.create_channel(&off, Some(&off_rule)).await.unwrap();
    let quiet = new_channel("quiet");
    let quiet_rule = Rule {
        enabled: false,
        ..own_rule_of(&quiet, &["*"])
    };
    store
        .create_channel(&quiet, Some(&quiet_rule))
        .await
        .unwrap();
    let enabled = new_rule("enabled", &[off.id, on.id]);
    let disabled = Rule {
        enabled: false,
        ..new_rule("disabled", &[on.id])
    };
    store.create_rule(&enabled).await.unwrap();
    store.create_rule(&disabled).await.unwrap();

    let snapshot = store.routing_snapshot().await.unwrap();
    let mut rules = snapshot.rules;
    rules.sort_by_key(|r| r.id);
    assert_eq!(rules, vec![on_rule, off_rule, enabled]);
    assert_eq!(snapshot.enabled_channels, BTreeSet::from([on.id, quiet.id]));
}

// The queue.

async fn claim_due_takes_only_due_deliveries_and_marks_them_sending(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let due = emit(store, "a.b", T0, &[ch.id]).await[0];
    let later = emit(store, "a.b", T0 + 10_000, &[ch.id]).await[0];

    let claimed = store.claim_due(T0 + 5_000, T0 + 65_000, 10).await.unwrap();
    assert_eq!(ids_of(&claimed), vec![due]);
    assert_eq!(claimed[0].status, DeliveryStatus::Sending);
    assert_eq!(claimed[0].channel_id, ch.id);
    assert_eq!(claimed[0].attempts, 0);
    assert_eq!(status(store, due).await, DeliveryStatus::Sending);
    assert_eq!(status(store, later).await, DeliveryStatus::Pending);
}

async fn a_claimed_delivery_is_not_claimed_again_while_leased(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];
    assert_eq!(claim_leased(store, T0, T0 + LEASE, 10).await, vec![id]);
    assert!(claim_leased(store, T0, T0 + LEASE, 10).await.is_empty());
    assert!(
        claim_leased(store, T0 + LEASE - 1, T0 + 2 * LEASE, 10)
            .await
            .is_empty()
    );
    assert_eq!(status(store, id).await, DeliveryStatus::Sending);
}

async fn claim_due_respects_the_limit_and_takes_the_longest_waiting_first(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    // Received out of id order: the queue goes by due time.
    let mut by_due = BTreeMap::new();
    for offset in [3, 1, 4, 0, 2] {
        let id = emit(store, "a.b", T0 + offset * 1_000, &[ch.id]).await[0];
        by_due.insert(offset, id);
    }
    let now = T0 + 10_000;
    let first = claim_leased(store, now, now + LEASE, 2).await;
    assert_eq!(first, sorted(vec![by_due[&0], by_due[&1]]));
    let second = claim_leased(store, now, now + LEASE, 2).await;
    assert_eq!(second, sorted(vec![by_due[&2], by_due[&3]]));
    let third = claim_leased(store, now, now + LEASE, 2).await;
    assert_eq!(third, vec![by_due[&4]]);
    assert!(claim_leased(store, now, now + LEASE, 2).await.is_empty());
}

async fn claim_due_except_passes_over_the_channels_it_is_told_to_skip(store: &dyn Store) {
    let busy = add_channel(store, "busy").await;
    let other = add_channel(store, "other").await;
    let third = add_channel(store, "third").await;
    // The busy channel's deliveries wait longest; the others come after them.
    let mut waiting = emit(store, "a.b", T0, &[busy.id]).await;
    waiting.extend(emit(store, "a.b", T0 + 1, &[busy.id]).await);
    let later = emit(store, "a.b", T0 + 1_000, &[other.id, third.id]).await;
    let now = T0 + 10_000;
    let claimed = store
        .claim_due_except(now, now + LEASE, 10, &[busy.id, third.id])
        .await
        .unwrap();
    assert_eq!(ids_of(&claimed), vec![later[0]]);
    // The skipped deliveries keep their place: first in line once their channel may go.
    for id in &waiting {
        assert_eq!(status(store, *id).await, DeliveryStatus::Pending);
    }
    let claimed = store
        .claim_due_except(now, now + LEASE, 2, &[])
        .await
        .unwrap();
    assert_eq!(sorted(ids_of(&claimed)), sorted(waiting));
    assert_eq!(claim(store, now).await, vec![later[1]]);
}

async fn a_loaded_claim_brings_each_deliverys_event_and_channel(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let first = new_event("deploy.failed", T0);
    let second = new_event("backup.failed", T0 + 1);
    let mut due = emit_event(store, &first, &[a.id, b.id]).await;
    due.extend(emit_event(store, &second, &[a.id]).await);
    let not_due = emit(store, "cpu.high", T0 + 60_000, &[b.id]).await;
    let now = T0 + 10_000;

    let claimed = store
        .claim_due_loaded(now, now + LEASE, 10, &[])
        .await
        .unwrap();
    assert_eq!(sorted(ids_of(&claimed.deliveries)), sorted(due.clone()));
    for d in &claimed.deliveries {
        assert_eq!(d.status, DeliveryStatus::Sending);
    }
    for id in &due {
        assert_eq!(status(store, *id).await, DeliveryStatus::Sending);
    }
    assert_eq!(status(store, not_due[0]).await, DeliveryStatus::Pending);
    // Every event and channel a claimed delivery names, as stored.
    let events: BTreeMap<Ulid, &Event> = claimed.events.iter().map(|e| (e.id, e)).collect();
    for event in [&first, &second] {
        let got = events
            .get(&event.id)
            .expect("the event of a claimed delivery");
        assert_eq!(*got, event);
    }
    let channels: BTreeMap<Ulid, &Channel> = claimed.channels.iter().map(|c| (c.id, c)).collect();
    for channel in [&a, &b] {
        let got = channels
            .get(&channel.id)
            .expect("the channel of a claimed delivery");
        assert_eq!(got.name, channel.name);
        assert_eq!(got.config, channel.config);
    }
    // Nothing left due: an empty claim.
    let empty = store
        .claim_due_loaded(now, now + LEASE, 10, &[])
        .await
        .unwrap();
    assert!(empty.deliveries.is_empty());
}

async fn concurrent_claims_never_share_a_delivery(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let channels = vec![ch.id; 20];
    let ids = emit(store, "a.b", T0, &channels).await;
    let until = T0 + LEASE;
    let (a, b, c, d) = tokio::join!(
        store.claim_due(T0, until, 8),
        store.claim_due(T0, until, 8),
        store.claim_due(T0, until, 8),
        store.claim_due(T0, until, 8),
    );
    let mut claimed: Vec<Ulid> = [a, b, c, d]
        .into_iter()
        .flat_map(|batch| ids_of(&batch.unwrap()))
        .collect();
    claimed.sort();
    assert_eq!(claimed, sorted(ids));
}

async fn record_attempts_numbers_attempts_and_moves_the_delivery_on(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];

    assert_eq!(claim(store, T0).await, vec![id]);
    let first = record(store, id, T0, retrying(1, T0 + 30_000), Some("HTTP 503")).await;
    assert_eq!(first.number, 1);
    let d = delivery(store, id).await;
    assert_eq!(d.status, DeliveryStatus::Retrying);
    assert_eq!(d.attempts, 1);
    assert_eq!(d.step, 1);
    assert_eq!(d.next_attempt_at, Some(T0 + 30_000));
    assert_eq!(d.last_error.as_deref(), Some("HTTP 503"));
    assert_eq!(attempts(store, id).await, vec![first.clone()]);

    assert_eq!(claim(store, T0 + 30_000).await, vec![id]);
    let second = record(store, id, T0 + 30_000, delivered(1), None).await;
    assert_eq!(second.number, 2);
    let d = delivery(store, id).await;
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(d.attempts, 2);
    assert_eq!(d.step, 1);
    assert_eq!(d.next_attempt_at, None);
    assert_eq!(d.last_error, None);
    assert_eq!(attempts(store, id).await, vec![first, second]);
    assert!(claim(store, T0 + 10 * LEASE).await.is_empty());
}

async fn a_retrying_delivery_is_claimable_again_only_once_due(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    record(store, id, T0, retrying(1, T0 + 30_000), Some("HTTP 503")).await;

    assert!(claim(store, T0 + 1).await.is_empty());
    assert!(claim(store, T0 + 29_999).await.is_empty());
    assert_eq!(status(store, id).await, DeliveryStatus::Retrying);
    assert_eq!(claim(store, T0 + 30_000).await, vec![id]);
    assert_eq!(status(store, id).await, DeliveryStatus::Sending);
}

async fn a_permanent_failure_ends_the_delivery(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    record(store, id, T0, failed(0), Some("HTTP 404")).await;

    let d = delivery(store, id).await;
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.next_attempt_at, None);
    assert_eq!(d.last_error.as_deref(), Some("HTTP 404"));
    assert!(claim(store, T0 + 100 * LEASE).await.is_empty());
    assert_eq!(store.next_due_at().await.unwrap(), None);
    assert_eq!(store.queue_depth().await.unwrap(), QueueDepth::default());
}

async fn record_attempts_writes_a_batch_in_one_call(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let ids = emit(store, "a.b", T0, &[ch.id, ch.id, ch.id]).await;
    claim(store, T0).await;
    store.record_attempts(&[]).await.unwrap();

    let transitions = [
        (retrying(1, T0 + 30_000), Some("HTTP 503")),
        (delivered(0), None),
        (failed(0), Some("HTTP 404")),
    ];
    let mut records = Vec::new();
    for (id, (transition, error)) in ids.iter().zip(transitions) {
        records.push(AttemptRecord {
            attempt: attempt_for(store, *id, T0 + 100, transition, error).await,
            transition,
        });
    }
    store.record_attempts(&records).await.unwrap();

    for (id, record) in ids.iter().zip(&records) {
        let (d, attempts) = store.get_delivery(*id).await.unwrap().expect("exists");
        assert_eq!(d.status, record.transition.status);
        assert_eq!(d.step, record.transition.step);
        assert_eq!(d.next_attempt_at, record.transition.next_attempt_at);
        assert_eq!(d.last_error, record.attempt.error);
        assert_eq!(d.attempts, 1);
        assert_eq!(attempts, vec![record.attempt.clone()]);
    }
}

async fn two_attempts_of_one_delivery_in_one_batch_are_numbered_in_order(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    let first = attempt_for(store, id, T0, retrying(1, T0 + 1), Some("HTTP 503")).await;
    let second = Attempt {
        number: 2,
        started_at: T0 + 1,
        error: None,
        ..first.clone()
    };
    store
        .record_attempts(&[
            AttemptRecord {
                attempt: first.clone(),
                transition: retrying(1, T0 + 1),
            },
            AttemptRecord {
                attempt: Attempt {
                    outcome: DeliveryStatus::Delivered,
                    ..second.clone()
                },
                transition: delivered(1),
            },
        ])
        .await
        .unwrap();
    let (d, attempts) = store.get_delivery(id).await.unwrap().expect("exists");
    assert_eq!(d.status, DeliveryStatus::Delivered);
    assert_eq!(d.attempts, 2);
    assert_eq!(
        attempts.iter().map(|a| a.number).collect::<Vec<_>>(),
        [1, 2]
    );
}

async fn recording_an_attempt_for_a_deleted_delivery_is_ignored(store: &dyn Store) {
    let gone = add_channel(store, "gone").await;
    let kept = add_channel(store, "kept").await;
    let ids = emit(store, "a.b", T0, &[gone.id, kept.id]).await;
    claim(store, T0).await;
    let lost = attempt_for(store, ids[0], T0, delivered(0), None).await;
    let landed = attempt_for(store, ids[1], T0, delivered(0), None).await;
    assert!(store.delete_channel(gone.id).await.unwrap());

    store
        .record_attempts(&[
            AttemptRecord {
                attempt: lost,
                transition: delivered(0),
            },
            AttemptRecord {
                attempt: landed.clone(),
                transition: delivered(0),
            },
        ])
        .await
        .unwrap();
    assert_eq!(store.get_delivery(ids[0]).await.unwrap(), None);
    assert_eq!(status(store, ids[1]).await, DeliveryStatus::Delivered);
    assert_eq!(attempts(store, ids[1]).await, vec![landed]);
}

async fn an_expired_lease_makes_a_delivery_claimable_again(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let lease_end = T0 + 10_000;

    // One that has had an attempt, claimed again with a short lease.
    let tried = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    record(store, tried, T0, retrying(1, T0 + 1_000), Some("HTTP 503")).await;
    // One that has never been tried, claimed with the same lease.
    let fresh = emit(store, "a.b", T0, &[ch.id]).await[0];
    assert_eq!(
        claim_leased(store, T0 + 1_000, lease_end, 10).await,
        sorted(vec![tried, fresh])
    );
    // One whose lease runs much longer.
    let held = emit(store, "a.b", T0 + 1_000, &[ch.id]).await[0];
    assert_eq!(
        claim_leased(store, T0 + 1_000, T0 + 100_000, 10).await,
        vec![held]
    );

    assert_eq!(
        store.reap_expired_leases(lease_end - 1_000).await.unwrap(),
        0
    );
    assert_eq!(status(store, tried).await, DeliveryStatus::Sending);
    assert_eq!(status(store, fresh).await, DeliveryStatus::Sending);

    let now = lease_end + 1;
    assert_eq!(store.reap_expired_leases(now).await.unwrap(), 2);
    assert_eq!(status(store, fresh).await, DeliveryStatus::Pending);
    assert_eq!(status(store, tried).await, DeliveryStatus::Retrying);
    assert_eq!(delivery(store, tried).await.attempts, 1);
    assert_eq!(status(store, held).await, DeliveryStatus::Sending);
    assert_eq!(store.reap_expired_leases(now).await.unwrap(), 0);

    assert_eq!(claim(store, now).await, sorted(vec![tried, fresh]));
    assert_eq!(status(store, held).await, DeliveryStatus::Sending);
}

async fn release_gives_claimed_deliveries_back_at_once(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let tried = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    record(store, tried, T0, retrying(1, T0 + 1_000), Some("HTTP 503")).await;
    let fresh = emit(store, "a.b", T0, &[ch.id]).await[0];
    let done = emit(store, "a.b", T0, &[ch.id]).await[0];
    let now = T0 + 1_000;
    assert_eq!(claim(store, now).await, sorted(vec![tried, fresh, done]));
    record(store, done, now, delivered(0), None).await;

    store
        .release(&[tried, fresh, done, new_id()], now + 5)
        .await
        .unwrap();
    assert_eq!(status(store, fresh).await, DeliveryStatus::Pending);
    assert_eq!(status(store, tried).await, DeliveryStatus::Retrying);
    assert_eq!(status(store, done).await, DeliveryStatus::Delivered);
    assert_eq!(delivery(store, tried).await.attempts, 1);
    assert_eq!(attempts(store, fresh).await, Vec::new());
    assert_eq!(claim(store, now + 5).await, sorted(vec![tried, fresh]));
    store.release(&[], now + 5).await.unwrap();
}

async fn release_to_a_later_time_makes_deliveries_wait_without_an_attempt(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let tried = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    record(store, tried, T0, retrying(1, T0 + 1_000), Some("HTTP 503")).await;
    let fresh = emit(store, "a.b", T0, &[ch.id]).await[0];
    let now = T0 + 1_000;
    assert_eq!(claim(store, now).await, sorted(vec![tried, fresh]));

    store.release(&[fresh], now + 2_000).await.unwrap();
    store.release(&[tried], now + 3_000).await.unwrap();
    assert_eq!(status(store, fresh).await, DeliveryStatus::Pending);
    assert_eq!(status(store, tried).await, DeliveryStatus::Retrying);
    assert_eq!(store.next_due_at().await.unwrap(), Some(now + 2_000));
    assert_eq!(claim(store, now + 1_999).await, Vec::new());
    assert_eq!(claim(store, now + 2_000).await, vec![fresh]);
    assert_eq!(claim(store, now + 3_000).await, vec![tried]);
    // Waiting is no attempt: the counts and the retry step are as before.
    assert_eq!(delivery(store, fresh).await.attempts, 0);
    assert_eq!(attempts(store, fresh).await, Vec::new());
    let tried = delivery(store, tried).await;
    assert_eq!((tried.attempts, tried.step), (1, 1));
}

async fn next_due_at_is_when_the_earliest_waiting_delivery_falls_due(store: &dyn Store) {
    assert_eq!(store.next_due_at().await.unwrap(), None);
    let ch = add_channel(store, "ch").await;
    let late = emit(store, "a.b", T0 + 5_000, &[ch.id]).await[0];
    let early = emit(store, "a.b", T0 + 2_000, &[ch.id]).await[0];
    assert_eq!(store.next_due_at().await.unwrap(), Some(T0 + 2_000));

    assert_eq!(claim(store, T0 + 2_000).await, vec![early]);
    assert_eq!(store.next_due_at().await.unwrap(), Some(T0 + 5_000));
    assert_eq!(claim(store, T0 + 5_000).await, vec![late]);
    assert_eq!(
        store.next_due_at().await.unwrap(),
        None,
        "sending is not waiting"
    );

    record(
        store,
        early,
        T0 + 5_000,
        retrying(1, T0 + 40_000),
        Some("x"),
    )
    .await;
    assert_eq!(store.next_due_at().await.unwrap(), Some(T0 + 40_000));
    record(store, late, T0 + 5_000, delivered(0), None).await;
    assert_eq!(store.next_due_at().await.unwrap(), Some(T0 + 40_000));
}

async fn queue_depth_counts_waiting_deliveries_by_state(store: &dyn Store) {
    assert_eq!(store.queue_depth().await.unwrap(), QueueDepth::default());
    let ch = add_channel(store, "ch").await;
    emit(store, "a.b", T0, &[ch.id, ch.id, ch.id, ch.id]).await;
    let depth = |pending, retrying, sending| QueueDepth {
        pending,
        retrying,
        sending,
    };
    assert_eq!(store.queue_depth().await.unwrap(), depth(4, 0, 0));

    let claimed = claim_leased(store, T0, T0 + LEASE, 3).await;
    assert_eq!(claimed.len(), 3);
    assert_eq!(store.queue_depth().await.unwrap(), depth(1, 0, 3));

    record(store, claimed[0], T0, retrying(1, T0 + 30_000), Some("x")).await;
    record(store, claimed[1], T0, delivered(0), None).await;
    record(store, claimed[2], T0, failed(0), Some("y")).await;
    assert_eq!(store.queue_depth().await.unwrap(), depth(1, 1, 0));
}

// The delivery log.

async fn get_delivery_returns_its_attempts_in_order(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];
    let mut expected = Vec::new();
    let mut now = T0;
    for step in 1..=3 {
        assert_eq!(claim(store, now).await, vec![id]);
        let next = now + 1_000 * i64::from(step);
        expected.push(record(store, id, now, retrying(step, next), Some("HTTP 503")).await);
        now = next;
    }
    assert_eq!(claim(store, now).await, vec![id]);
    expected.push(record(store, id, now, delivered(3), None).await);

    let (d, found) = store.get_delivery(id).await.unwrap().expect("exists");
    assert_eq!(d.attempts, 4);
    assert_eq!(found, expected);
    assert_eq!(
        found.iter().map(|a| a.number).collect::<Vec<_>>(),
        vec![1, 2, 3, 4]
    );
    assert_eq!(store.get_delivery(new_id()).await.unwrap(), None);
}

async fn deliveries_of_event_lists_each_delivery_with_its_own_attempts(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let event = new_event("a.b", T0);
    let ids = emit_event(store, &event, &[a.id, b.id]).await;
    let other = emit(store, "a.b", T0, &[a.id]).await[0];
    claim(store, T0).await;
    let tried = record(store, ids[0], T0, failed(0), Some("HTTP 404")).await;
    record(store, other, T0, delivered(0), None).await;

    let mut found = store.deliveries_of_event(event.id).await.unwrap();
    found.sort_by_key(|(d, _)| d.id);
    assert_eq!(ids_of(found.iter().map(|(d, _)| d)), ids);
    assert_eq!(found[0].0.status, DeliveryStatus::Failed);
    assert_eq!(found[0].1, vec![tried]);
    assert_eq!(found[1].0.status, DeliveryStatus::Sending);
    assert!(found[1].1.is_empty());
    assert!(
        store
            .deliveries_of_event(new_id())
            .await
            .unwrap()
            .is_empty()
    );
}

/// Five deliveries on one channel, oldest first: delivered, failed, retrying (due at
/// `T0 + 30 s`), sending (leased until `T0 + LEASE`) and pending (due at `T0 + LEASE`).
async fn one_of_each_state(store: &dyn Store, channel: Ulid) -> Vec<Ulid> {
    let mut ids = emit(store, "a.b", T0, &[channel, channel, channel, channel]).await;
    assert_eq!(claim(store, T0).await, ids);
    record(store, ids[0], T0, delivered(0), None).await;
    record(store, ids[1], T0, failed(0), Some("HTTP 404")).await;
    record(
        store,
        ids[2],
        T0,
        retrying(1, T0 + 30_000),
        Some("HTTP 503"),
    )
    .await;
    ids.push(emit(store, "a.b", T0 + LEASE, &[channel]).await[0]);
    ids
}

async fn list_deliveries_is_newest_first_and_filters_by_status(store: &dyn Store) {
    assert!(all_deliveries(store).await.is_empty());
    let ch = add_channel(store, "ch").await;
    let ids = one_of_each_state(store, ch.id).await;

    assert_eq!(ids_of(&all_deliveries(store).await), newest_first(&ids));
    let with_status = |status| DeliveryQuery {
        status: Some(status),
        limit: ALL,
        ..DeliveryQuery::default()
    };
    let expect = [
        (DeliveryStatus::Delivered, vec![ids[0]]),
        (DeliveryStatus::Failed, vec![ids[1]]),
        (DeliveryStatus::Retrying, vec![ids[2]]),
        (DeliveryStatus::Sending, vec![ids[3]]),
        (DeliveryStatus::Pending, vec![ids[4]]),
    ];
    for (status, ids) in expect {
        let found = store.list_deliveries(&with_status(status)).await.unwrap();
        assert_eq!(ids_of(&found), ids, "{status}");
        assert!(found.iter().all(|d| d.status == status));
    }
}

async fn list_deliveries_filters_by_channel_and_event_type(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let deploy = emit(store, "deploy.success", T0, &[a.id, b.id]).await;
    let backup = emit(store, "backup.failure", T0, &[a.id]).await;
    let query = |channel_id, event_type: Option<&str>| DeliveryQuery {
        channel_id,
        event_type: event_type.map(String::from),
        limit: ALL,
        ..DeliveryQuery::default()
    };
    let list = |q: DeliveryQuery| async move { ids_of(&store.list_deliveries(&q).await.unwrap()) };

    assert_eq!(
        list(query(Some(a.id), None)).await,
        vec![backup[0], deploy[0]]
    );
    assert_eq!(list(query(Some(b.id), None)).await, vec![deploy[1]]);
    assert_eq!(
        list(query(None, Some("deploy.success"))).await,
        vec![deploy[1], deploy[0]]
    );
    assert_eq!(
        list(query(Some(a.id), Some("deploy.success"))).await,
        vec![deploy[0]]
    );
    assert_eq!(
        list(query(Some(b.id), Some("backup.failure"))).await,
        Vec::<Ulid>::new()
    );
    assert!(list(query(None, Some("deploy"))).await.is_empty());
    assert!(list(query(Some(new_id()), None)).await.is_empty());

    let failed_backups = DeliveryQuery {
        status: Some(DeliveryStatus::Pending),
        ..query(Some(a.id), Some("backup.failure"))
    };
    assert_eq!(list(failed_backups).await, vec![backup[0]]);
}

async fn list_deliveries_pages_with_before_and_limit(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(emit(store, "a.b", T0, &[ch.id]).await[0]);
    }
    let page = |before| DeliveryQuery {
        before,
        limit: 2,
        ..DeliveryQuery::default()
    };
    let first = ids_of(&store.list_deliveries(&page(None)).await.unwrap());
    assert_eq!(first, vec![ids[4], ids[3]]);
    let second = ids_of(&store.list_deliveries(&page(Some(ids[3]))).await.unwrap());
    assert_eq!(second, vec![ids[2], ids[1]]);
    let third = ids_of(&store.list_deliveries(&page(Some(ids[1]))).await.unwrap());
    assert_eq!(third, vec![ids[0]]);
    assert!(
        store
            .list_deliveries(&page(Some(ids[0])))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn retrying_a_missing_delivery_is_not_found(store: &dyn Store) {
    assert_eq!(
        store.retry_delivery(new_id(), T0).await.unwrap(),
        RetryResult::NotFound
    );
}

async fn retrying_a_delivery_that_has_not_failed_is_refused(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let ids = one_of_each_state(store, ch.id).await;
    for (id, expected) in [
        (ids[0], DeliveryStatus::Delivered),
        (ids[2], DeliveryStatus::Retrying),
        (ids[3], DeliveryStatus::Sending),
        (ids[4], DeliveryStatus::Pending),
    ] {
        let before = delivery(store, id).await;
        assert_eq!(before.status, expected);
        assert_eq!(
            store.retry_delivery(id, T0 + 1).await.unwrap(),
            RetryResult::NotFailed(expected)
        );
        assert_eq!(delivery(store, id).await, before);
    }
}

async fn retrying_a_failed_delivery_starts_its_schedule_again_now(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let id = emit(store, "a.b", T0, &[ch.id]).await[0];
    claim(store, T0).await;
    record(store, id, T0, retrying(1, T0 + 30_000), Some("HTTP 503")).await;
    claim(store, T0 + 30_000).await;
    record(store, id, T0 + 30_000, failed(1), Some("HTTP 410")).await;
    assert_eq!(store.next_due_at().await.unwrap(), None);

    let now = T0 + 3_600_000;
    assert_eq!(
        store.retry_delivery(id, now).await.unwrap(),
        RetryResult::Scheduled
    );
    let d = delivery(store, id).await;
    assert_eq!(d.status, DeliveryStatus::Retrying);
    assert_eq!(d.step, 0);
    assert_eq!(d.next_attempt_at, Some(now));
    assert_eq!(d.attempts, 2, "the history stays");
    assert_eq!(store.next_due_at().await.unwrap(), Some(now));
    assert_eq!(
        store.queue_depth().await.unwrap(),
        QueueDepth {
            retrying: 1,
            ..QueueDepth::default()
        }
    );

    assert_eq!(claim(store, now).await, vec![id]);
    let third = record(store, id, now, delivered(0), None).await;
    assert_eq!(third.number, 3);
    assert_eq!(attempts(store, id).await.len(), 3);
}

async fn prune_keeps_the_newest_finished_deliveries_per_channel(store: &dyn Store) {
    let busy = add_channel(store, "busy").await;
    let quiet = add_channel(store, "quiet").await;
    let mut busy_ids = Vec::new();
    for _ in 0..5 {
        busy_ids.push(emit(store, "a.b", T0, &[busy.id]).await[0]);
    }
    let quiet_ids = emit(store, "a.b", T0, &[quiet.id, quiet.id]).await;
    claim(store, T0).await;
    for (n, id) in busy_ids.iter().chain(&quiet_ids).enumerate() {
        let outcome = if n % 2 == 0 { delivered(0) } else { failed(0) };
        record(store, *id, T0, outcome, None).await;
    }

    assert_eq!(store.prune_deliveries(3).await.unwrap(), 2);
    for gone in &busy_ids[..2] {
        assert_eq!(store.get_delivery(*gone).await.unwrap(), None);
    }
    let mut left = busy_ids[2..].to_vec();
    left.extend(&quiet_ids);
    assert_eq!(sorted(ids_of(&all_deliveries(store).await)), sorted(left));
    assert_eq!(store.prune_deliveries(3).await.unwrap(), 0);

    assert_eq!(store.prune_deliveries(1).await.unwrap(), 3);
    assert_eq!(
        sorted(ids_of(&all_deliveries(store).await)),
        sorted(vec![busy_ids[4], quiet_ids[1]])
    );
    assert_eq!(attempts(store, busy_ids[4]).await.len(), 1);
}

async fn prune_never_removes_waiting_or_sending_deliveries(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let ids = one_of_each_state(store, ch.id).await;

    assert_eq!(store.prune_deliveries(0).await.unwrap(), 2);
    assert_eq!(
        ids_of(&all_deliveries(store).await),
        newest_first(&ids[2..])
    );
    assert_eq!(store.prune_deliveries(0).await.unwrap(), 0);
    assert_eq!(
        store.queue_depth().await.unwrap(),
        QueueDepth {
            pending: 1,
            retrying: 1,
            sending: 1,
        }
    );
}

async fn prune_counts_only_finished_deliveries_towards_what_it_keeps(store: &dyn Store) {
    let ch = add_channel(store, "ch").await;
    let finished = emit(store, "a.b", T0, &[ch.id, ch.id]).await;
    deliver_all(store, T0).await;
    let waiting = emit(store, "a.b", T0 + 1, &[ch.id, ch.id, ch.id]).await;

    assert_eq!(store.prune_deliveries(2).await.unwrap(), 0);
    let mut all = finished.clone();
    all.extend(&waiting);
    assert_eq!(sorted(ids_of(&all_deliveries(store).await)), sorted(all));

    assert_eq!(store.prune_deliveries(1).await.unwrap(), 1);
    assert_eq!(store.get_delivery(finished[0]).await.unwrap(), None);
    assert_eq!(status(store, finished[1]).await, DeliveryStatus::Delivered);
}

// API tokens.

fn new_token(name: &str, hash: &str, scopes: &[&str]) -> StoredToken {
    StoredToken {
        id: new_id(),
        name: name.into(),
        token_hash: hash.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        tenant: None,
        created_at: T0,
        last_used_at: None,
    }
}

async fn a_token_is_found_by_its_hash_and_counted(store: &dyn Store) {
    assert_eq!(store.count_tokens().await.unwrap(), 0);
    let admin = new_token("admin", &"a".repeat(64), &["admin"]);
    let ingest = new_token("ci", &"b".repeat(64), &["events:write", "deliveries:read"]);
    let bare = new_token("bare", &"c".repeat(64), &[]);
    for token in [&admin, &ingest, &bare] {
        store.create_token(token).await.unwrap();
    }
    assert_eq!(store.count_tokens().await.unwrap(), 3);
    assert_eq!(
        store.find_token(&admin.token_hash).await.unwrap(),
        Some(admin)
    );
    assert_eq!(
        store.find_token(&ingest.token_hash).await.unwrap(),
        Some(ingest)
    );
    assert_eq!(
        store.find_token(&bare.token_hash).await.unwrap(),
        Some(bare)
    );
    assert_eq!(store.find_token(&"d".repeat(64)).await.unwrap(), None);
    assert_eq!(store.find_token("").await.unwrap(), None);
}

async fn a_duplicate_token_hash_is_refused(store: &dyn Store) {
    let first = new_token("first", &"a".repeat(64), &["admin"]);
    store.create_token(&first).await.unwrap();
    let second = new_token("second", &"a".repeat(64), &["events:write"]);
    assert!(store.create_token(&second).await.is_err());
    assert_eq!(store.count_tokens().await.unwrap(), 1);
    assert_eq!(
        store.find_token(&first.token_hash).await.unwrap(),
        Some(first)
    );
}

// Sender profiles.

fn new_profile(name: &str, kind: &str, is_default: bool) -> SenderProfile {
    let mut secrets = Secrets::new();
    secrets.insert("password", "pa\"ss wörd");
    SenderProfile {
        id: new_id(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        config: ChannelConfig {
            settings: object(
                json!({"host": "smtp.example.com", "port": 587, "from": "alerts@example.com"}),
            ),
            secrets,
        },
        is_default,
        created_at: T0,
        updated_at: T0,
    }
}

async fn a_profile_round_trips_with_its_secrets(store: &dyn Store) {
    let profile = new_profile("smtp", "email", false);
    store.create_profile(&profile).await.unwrap();
    assert_eq!(
        store.get_profile(profile.id).await.unwrap(),
        Some(profile.clone())
    );
    assert_eq!(store.list_profiles().await.unwrap(), vec![profile]);
    assert_eq!(store.default_profile("email").await.unwrap(), None);
    assert_eq!(store.get_profile(new_id()).await.unwrap(), None);
}

async fn a_new_default_profile_replaces_the_kinds_old_default(store: &dyn Store) {
    let first = new_profile("first", "email", true);
    let other_kind = new_profile("resend", "resend", true);
    store.create_profile(&first).await.unwrap();
    store.create_profile(&other_kind).await.unwrap();
    let second = new_profile("second", "email", true);
    store.create_profile(&second).await.unwrap();
    assert_eq!(
        store.default_profile("email").await.unwrap().map(|p| p.id),
        Some(second.id)
    );
    assert_eq!(
        store.default_profile("resend").await.unwrap().map(|p| p.id),
        Some(other_kind.id)
    );
    let first_now = store.get_profile(first.id).await.unwrap().unwrap();
    assert!(!first_now.is_default);
}

async fn update_profile_replaces_its_fields_and_may_move_the_default(store: &dyn Store) {
    let a = new_profile("a", "email", true);
    let b = new_profile("b", "email", false);
    store.create_profile(&a).await.unwrap();
    store.create_profile(&b).await.unwrap();
    let mut changed = b.clone();
    changed.name = "b2".into();
    changed
        .config
        .settings
        .insert("host".into(), json!("mail.example.org"));
    changed.is_default = true;
    changed.updated_at = T0 + 5;
    store.update_profile(&changed).await.unwrap();
    assert_eq!(store.get_profile(b.id).await.unwrap(), Some(changed));
    assert_eq!(
        store.default_profile("email").await.unwrap().map(|p| p.id),
        Some(b.id)
    );
    let missing = new_profile("x", "email", false);
    assert!(matches!(
        store.update_profile(&missing).await,
        Err(StoreError::NotFound("sender profile"))
    ));
}

async fn a_profile_a_channel_names_cannot_be_deleted(store: &dyn Store) {
    let profile = new_profile("smtp", "email", false);
    store.create_profile(&profile).await.unwrap();
    let mut channel = new_channel("ops mail");
    channel.kind = "email".into();
    channel
        .config
        .settings
        .insert("profile".into(), json!(profile.id.to_string()));
    store.create_channel(&channel, None).await.unwrap();
    assert_eq!(
        store.delete_profile(profile.id).await.unwrap(),
        ProfileDeletion::InUse(vec![(channel.id, "ops mail".to_owned())])
    );
    assert!(store.get_profile(profile.id).await.unwrap().is_some());
    store.delete_channel(channel.id).await.unwrap();
    assert_eq!(
        store.delete_profile(profile.id).await.unwrap(),
        ProfileDeletion::Deleted
    );
}

async fn deleting_an_unused_profile_removes_it(store: &dyn Store) {
    let profile = new_profile("smtp", "email", true);
    store.create_profile(&profile).await.unwrap();
    assert_eq!(
        store.delete_profile(profile.id).await.unwrap(),
        ProfileDeletion::Deleted
    );
    assert_eq!(store.get_profile(profile.id).await.unwrap(), None);
    assert_eq!(store.default_profile("email").await.unwrap(), None);
    assert_eq!(
        store.delete_profile(profile.id).await.unwrap(),
        ProfileDeletion::NotFound
    );
}

async fn recipients_a_rule_sets_round_trip_with_the_rule_and_the_delivery(store: &dyn Store) {
    let channel = add_channel(store, "mail").await;
    let mut rule = new_rule("oncall", &[channel.id]);
    rule.recipients = Some("oncall@example.com, lead@example.com".into());
    store.create_rule(&rule).await.unwrap();
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule.clone()));
    rule.recipients = None;
    rule.updated_at = T0 + 1;
    store.update_rule(&rule).await.unwrap();
    assert_eq!(
        store.get_rule(rule.id).await.unwrap().unwrap().recipients,
        None
    );

    let event = new_event("deploy.failure", T0);
    let delivery = NewDelivery {
        id: new_id(),
        channel_id: channel.id,
        recipients: Some("oncall@example.com".into()),
        ..Default::default()
    };
    store
        .insert_event(&event, std::slice::from_ref(&delivery))
        .await
        .unwrap();
    let stored = store.get_delivery(delivery.id).await.unwrap().unwrap().0;
    assert_eq!(stored.recipients.as_deref(), Some("oncall@example.com"));
    let claimed = store.claim_due(T0, T0 + LEASE, 10).await.unwrap();
    assert_eq!(claimed[0].recipients.as_deref(), Some("oncall@example.com"));
}

// Metrics tokens.

fn new_metrics_token(server: &str, hash: &str) -> MetricsToken {
    MetricsToken {
        id: new_id(),
        server: server.into(),
        token_hash: hash.into(),
        margin: 2.5,
        cool_off_secs: 600,
        created_at: T0,
    }
}

async fn a_metrics_token_round_trips_and_is_found_by_its_hash(store: &dyn Store) {
    assert!(store.list_metrics_tokens().await.unwrap().is_empty());
    let web = new_metrics_token("web-1", &"a".repeat(64));
    let db = MetricsToken {
        margin: 0.0,
        cool_off_secs: 0,
        ..new_metrics_token("db-1", &"b".repeat(64))
    };
    store.create_metrics_token(&web).await.unwrap();
    store.create_metrics_token(&db).await.unwrap();
    assert_eq!(
        store.find_metrics_token(&web.token_hash).await.unwrap(),
        Some(web.clone())
    );
    assert_eq!(
        store.find_metrics_token(&db.token_hash).await.unwrap(),
        Some(db.clone())
    );
    assert_eq!(
        store.find_metrics_token(&"c".repeat(64)).await.unwrap(),
        None
    );
    assert_eq!(store.find_metrics_token("").await.unwrap(), None);
    assert_eq!(store.list_metrics_tokens().await.unwrap(), vec![web, db]);
    assert_eq!(store.count_tokens().await.unwrap(), 0, "not API tokens");
}

async fn a_duplicate_metrics_token_hash_is_refused(store: &dyn Store) {
    let first = new_metrics_token("web-1", &"a".repeat(64));
    store.create_metrics_token(&first).await.unwrap();
    let second = new_metrics_token("web-2", &"a".repeat(64));
    assert!(store.create_metrics_token(&second).await.is_err());
    assert_eq!(store.list_metrics_tokens().await.unwrap(), vec![first]);
}

async fn deleting_a_metrics_token_removes_only_it(store: &dyn Store) {
    let old = new_metrics_token("web-1", &"a".repeat(64));
    let new = new_metrics_token("web-1", &"b".repeat(64));
    store.create_metrics_token(&old).await.unwrap();
    store.create_metrics_token(&new).await.unwrap();
    assert!(store.delete_metrics_token(old.id).await.unwrap());
    assert!(!store.delete_metrics_token(old.id).await.unwrap());
    assert_eq!(
        store.find_metrics_token(&old.token_hash).await.unwrap(),
        None
    );
    assert_eq!(store.list_metrics_tokens().await.unwrap(), vec![new]);
}

async fn get_state_reads_one_key(store: &dyn Store) {
    assert_eq!(store.get_state("web").await.unwrap(), None);
    let a = add_channel(store, "a").await;
    let down = sighting("web", "down", T0);
    insert_routed(store, &down, a.id).await;
    insert_routed(store, &sighting("api", "up", T0 + 1_000), a.id).await;
    let up = sighting("web", "up", T0 + 9_000);
    insert_routed(store, &up, a.id).await;
    assert_eq!(
        store.get_state("web").await.unwrap(),
        Some(MonitorState {
            state_key: "web".into(),
            state: "up".into(),
            changed_at: T0 + 9_000,
            seen_at: T0 + 9_000,
            last_event_id: up.id,
        })
    );
    assert_eq!(store.get_state("other").await.unwrap(), None);
}

// Rule options and mute windows.

fn new_window(name: &str, zone: &str) -> MuteWindow {
    MuteWindow {
        id: new_id(),
        name: name.into(),
        time_zone: jiff::tz::TimeZone::get(zone).unwrap_or_else(|e| {
            panic!("time zone {zone} is missing from the system tz database (install tzdata): {e}")
        }),
        intervals: MuteWindow::parse_intervals(&[
            IntervalText {
                days: vec!["mon".into(), "tue".into()],
                start: "22:00".into(),
                end: "07:00".into(),
            },
            IntervalText {
                days: vec!["sat".into(), "sun".into()],
                start: "00:00".into(),
                end: "24:00".into(),
            },
        ])
        .unwrap(),
        created_at: T0,
        updated_at: T0,
    }
}

async fn a_rule_keeps_its_mute_repeat_and_template_options(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let night = new_window("night", "Europe/Berlin");
    store.create_mute_window(&night).await.unwrap();
    let rule = Rule {
        mute: vec![night.id],
        while_muted: WhileMuted::Hold,
        critical_breaks_through: true,
        repeat_interval: Some(Duration::from_secs(4 * 3600)),
        template: Some("{\"text\": \"{{ title }}\"}".into()),
        ..new_rule("options", &[a.id])
    };
    store.create_rule(&rule).await.unwrap();
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule.clone()));
    let plain = Rule {
        mute: Vec::new(),
        while_muted: WhileMuted::Drop,
        critical_breaks_through: false,
        repeat_interval: None,
        template: None,
        updated_at: T0 + 1,
        ..rule.clone()
    };
    store.update_rule(&plain).await.unwrap();
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(plain));
}

async fn a_mute_window_round_trips_in_its_time_zone(store: &dyn Store) {
    assert_eq!(store.get_mute_window(new_id()).await.unwrap(), None);
    let night = new_window("night", "Europe/Berlin");
    let tokyo = new_window("tokyo", "Asia/Tokyo");
    store.create_mute_window(&night).await.unwrap();
    store.create_mute_window(&tokyo).await.unwrap();
    let got = store.get_mute_window(night.id).await.unwrap().unwrap();
    assert_eq!(got, night);
    assert_eq!(got.zone_name(), "Europe/Berlin");
    assert_eq!(
        store.list_mute_windows().await.unwrap(),
        vec![night.clone(), tokyo.clone()]
    );
    let moved = MuteWindow {
        name: "night (London)".into(),
        updated_at: T0 + 1,
        ..new_window("x", "Europe/London")
    };
    let moved = MuteWindow {
        id: night.id,
        created_at: night.created_at,
        ..moved
    };
    store.update_mute_window(&moved).await.unwrap();
    assert_eq!(store.get_mute_window(night.id).await.unwrap(), Some(moved));
    let missing = new_window("missing", "UTC");
    assert!(matches!(
        store.update_mute_window(&missing).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn a_mute_window_a_rule_names_cannot_be_deleted(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let night = new_window("night", "Europe/Berlin");
    store.create_mute_window(&night).await.unwrap();
    let rule = Rule {
        mute: vec![night.id],
        ..new_rule("quiet at night", &[a.id])
    };
    store.create_rule(&rule).await.unwrap();
    assert_eq!(
        store.delete_mute_window(night.id).await.unwrap(),
        MuteWindowDeletion::InUse(vec![(rule.id, "quiet at night".into())])
    );
    assert!(store.get_mute_window(night.id).await.unwrap().is_some());
    store.delete_rule(rule.id).await.unwrap();
    assert_eq!(
        store.delete_mute_window(night.id).await.unwrap(),
        MuteWindowDeletion::Deleted
    );
    assert_eq!(
        store.delete_mute_window(night.id).await.unwrap(),
        MuteWindowDeletion::NotFound
    );
}

async fn routing_snapshot_holds_the_mute_windows(store: &dyn Store) {
    let night = new_window("night", "Europe/Berlin");
    store.create_mute_window(&night).await.unwrap();
    let snapshot = store.routing_snapshot().await.unwrap();
    assert_eq!(snapshot.mute_windows.len(), 1);
    assert_eq!(snapshot.mute_windows.get(&night.id), Some(&night));
}

async fn a_held_delivery_falls_due_when_its_window_ends(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let rule = new_rule("held", &[a.id, b.id]);
    store.create_rule(&rule).await.unwrap();
    let end = T0 + 3_600_000;
    let held = RouteRule {
        hold_until: Some(end),
        ..RouteRule::of(rule.id)
    };
    let event = new_event("deploy.failure", T0);
    let deliveries = [
        NewDelivery {
            id: new_id(),
            channel_id: a.id,
            rules: vec![held],
            ..Default::default()
        },
        NewDelivery {
            id: new_id(),
            channel_id: b.id,
            rules: vec![held, RouteRule::of(new_id())],
            ..Default::default()
        },
    ];
    store.insert_event(&event, &deliveries).await.unwrap();
    assert_eq!(
        delivery(store, deliveries[0].id).await.next_attempt_at,
        Some(end)
    );
    assert_eq!(
        delivery(store, deliveries[1].id).await.next_attempt_at,
        Some(T0),
        "a rule that is not muted sends at once"
    );
    let now = store.claim_due(T0, T0 + LEASE, ALL).await.unwrap();
    assert_eq!(ids_of(&now), vec![deliveries[1].id]);
    assert_eq!(store.next_due_at().await.unwrap(), Some(end));
    assert!(
        store
            .claim_due(end - 1, end + LEASE, ALL)
            .await
            .unwrap()
            .is_empty()
    );
    let later = store.claim_due(end, end + LEASE, ALL).await.unwrap();
    assert_eq!(ids_of(&later), vec![deliveries[0].id]);
}

async fn a_repeat_interval_renotifies_an_unchanged_bad_state_per_rule(store: &dyn Store) {
    const HOUR: Millis = 3_600_000;
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let hourly = Rule {
        repeat_interval: Some(Duration::from_millis(HOUR as u64)),
        ..new_rule("hourly", &[a.id])
    };
    let once = new_rule("once", &[b.id]);
    store.create_rule(&hourly).await.unwrap();
    store.create_rule(&once).await.unwrap();
    let routed = |at: Millis| {
        (
            sighting("api/health", "down", at),
            [
                NewDelivery {
                    id: new_id(),
                    channel_id: a.id,
                    rules: vec![RouteRule {
                        repeat_interval: Some(HOUR),
                        ..RouteRule::of(hourly.id)
                    }],
                    ..Default::default()
                },
                NewDelivery {
                    id: new_id(),
                    channel_id: b.id,
                    rules: vec![RouteRule::of(once.id)],
                    ..Default::default()
                },
            ],
        )
    };
    let mut created = Vec::new();
    // Down at 0 (a transition), then the same state at 30 min, 1 h, 1 h 30 and 2 h 10.
    for at in [0, HOUR / 2, HOUR, HOUR + HOUR / 2, 2 * HOUR + HOUR / 6] {
        let (event, deliveries) = routed(T0 + at);
        let inserted = store.insert_event(&event, &deliveries).await.unwrap();
        let Inserted::Created { deliveries: n, .. } = inserted else {
            panic!("{inserted:?}");
        };
        let channels: Vec<Ulid> = store
            .deliveries_of_event(event.id)
            .await
            .unwrap()
            .iter()
            .map(|(d, _)| d.channel_id)
            .collect();
        assert_eq!(n as usize, channels.len());
        created.push(channels);
    }
    assert_eq!(
        created,
        [vec![a.id, b.id], vec![], vec![a.id], vec![], vec![a.id]].map(sorted)
    );
    // A recovery notifies every rule; the good state then does not repeat.
    let up = sighting("api/health", "up", T0 + 3 * HOUR);
    let (_, deliveries) = routed(0);
    store.insert_event(&up, &deliveries).await.unwrap();
    assert_eq!(deliveries_of(store, &up).await, 2);
    let up_again = sighting("api/health", "up", T0 + 9 * HOUR);
    let (_, deliveries) = routed(0);
    store.insert_event(&up_again, &deliveries).await.unwrap();
    assert_eq!(deliveries_of(store, &up_again).await, 0);
}

async fn a_template_a_rule_sets_travels_with_the_delivery(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let with = NewDelivery {
        id: new_id(),
        channel_id: a.id,
        template: Some("slack".into()),
        ..Default::default()
    };
    let without = NewDelivery {
        id: new_id(),
        channel_id: a.id,
        ..Default::default()
    };
    store
        .insert_event(
            &new_event("deploy.success", T0),
            std::slice::from_ref(&with),
        )
        .await
        .unwrap();
    store
        .insert_event(
            &new_event("deploy.success", T0),
            std::slice::from_ref(&without),
        )
        .await
        .unwrap();
    assert_eq!(
        delivery(store, with.id).await.template.as_deref(),
        Some("slack")
    );
    assert_eq!(delivery(store, without.id).await.template, None);
    let claimed = store.claim_due(T0, T0 + LEASE, ALL).await.unwrap();
    assert!(
        claimed
            .iter()
            .any(|d| d.template.as_deref() == Some("slack"))
    );
}

// Digests.

/// Inserts an event of `event_type` at `at` routed to `channel` by a rule with a digest of
/// `window` ms; returns the event.
async fn digested(
    store: &dyn Store,
    event_type: &str,
    at: Millis,
    channel: Ulid,
    window: Millis,
) -> Event {
    let event = new_event(event_type, at);
    let delivery = NewDelivery {
        id: new_id(),
        channel_id: channel,
        rules: vec![RouteRule {
            digest: Some(window),
            ..RouteRule::of(new_id())
        }],
        ..Default::default()
    };
    let inserted = store.insert_event(&event, &[delivery]).await.unwrap();
    assert!(
        matches!(inserted, Inserted::Created { deliveries: 1, .. }),
        "{inserted:?}"
    );
    event
}

async fn digest_events_join_the_channels_open_digest_until_its_window_ends(store: &dyn Store) {
    const WINDOW: Millis = 300_000;
    let a = add_channel(store, "a").await;
    let b = add_channel(store, "b").await;
    let first = digested(store, "deploy.failure", T0, a.id, WINDOW).await;
    digested(store, "deploy.failure", T0 + 1_000, a.id, WINDOW).await;
    digested(store, "backup.failure", T0 + WINDOW - 1, a.id, WINDOW).await;
    // Another channel has its own digest.
    digested(store, "backup.failure", T0 + 2_000, b.id, WINDOW).await;
    let list = all_deliveries(store).await;
    assert_eq!(list.len(), 2, "one digest per channel");
    let digest = list.iter().find(|d| d.channel_id == a.id).unwrap();
    assert_eq!(digest.event_id, first.id);
    assert_eq!(digest.digest_until, Some(T0 + WINDOW));
    assert_eq!(digest.next_attempt_at, Some(T0 + WINDOW));
    assert!(
        store
            .claim_due(T0 + WINDOW - 1, T0 + LEASE, ALL)
            .await
            .unwrap()
            .is_empty(),
        "a digest waits for its window"
    );
    // At the end of the window it closes: the next event opens a new digest.
    digested(store, "deploy.failure", T0 + WINDOW, a.id, WINDOW).await;
    let list = all_deliveries(store).await;
    assert_eq!(list.len(), 3);
    let claimed = store
        .claim_due(T0 + WINDOW + 2_000, T0 + WINDOW + LEASE, ALL)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2, "both first digests fall due");
    // A claimed digest takes no more events.
    digested(store, "deploy.failure", T0 + WINDOW + 2_001, b.id, WINDOW).await;
    assert_eq!(all_deliveries(store).await.len(), 4);
    assert_eq!(
        store.digest_batch(digest.id, 10).await.unwrap().total,
        3,
        "the first digest of `a` holds three events"
    );
}

async fn a_digest_batch_counts_every_event_and_lists_the_first(store: &dyn Store) {
    let a = add_channel(store, "a").await;
    let mut events = Vec::new();
    for (i, t) in ["a.one", "b.two", "a.one", "a.one", "c.three"]
        .into_iter()
        .enumerate()
    {
        events.push(digested(store, t, T0 + i as Millis, a.id, 60_000).await);
    }
    let digest = all_deliveries(store).await.remove(0);
    let batch = store.digest_batch(digest.id, 2).await.unwrap();
    assert_eq!(
        batch,
        Batch {
            first: events[..2].to_vec(),
            total: 5,
            by_type: BTreeMap::from([
                ("a.one".into(), 3),
                ("b.two".into(), 1),
                ("c.three".into(), 1)
            ]),
        }
    );
    // A delivery that is no digest holds nothing.
    let plain = emit(store, "deploy.success", T0, &[a.id]).await;
    let empty = store.digest_batch(plain[0], 10).await.unwrap();
    assert_eq!((empty.total, empty.first.len()), (0, 0));
}

// Secrets at rest.

fn secrets_of(pairs: &[(&str, &str)]) -> Secrets {
    let mut s = Secrets::new();
    for (k, v) in pairs {
        s.insert(*k, *v);
    }
    s
}

async fn replace_secrets_swaps_channel_and_profile_secrets_in_one_go(store: &dyn Store) {
    let channel = add_channel(store, "ops").await;
    let profile = new_profile("smtp", "email", false);
    store.create_profile(&profile).await.unwrap();
    let new_channel_secrets = secrets_of(&[("signing_secret", "enc:v1:0a:sealed")]);
    let new_profile_secrets = secrets_of(&[("password", "enc:v1:0a:other")]);
    let done = store
        .replace_secrets(&[
            SecretsChange {
                owner: SecretOwner::Channel(channel.id),
                previous: channel.config.secrets.clone(),
                secrets: new_channel_secrets.clone(),
            },
            SecretsChange {
                owner: SecretOwner::Profile(profile.id),
                previous: profile.config.secrets.clone(),
                secrets: new_profile_secrets.clone(),
            },
        ])
        .await
        .unwrap();
    assert!(done);
    let stored = store.get_channel(channel.id).await.unwrap().unwrap();
    assert_eq!(stored.config.secrets, new_channel_secrets);
    assert_eq!(stored.updated_at, channel.updated_at);
    let stored = store.get_profile(profile.id).await.unwrap().unwrap();
    assert_eq!(stored.config.secrets, new_profile_secrets);
    assert!(store.replace_secrets(&[]).await.unwrap());
}

async fn replace_secrets_writes_nothing_when_a_row_changed_meanwhile(store: &dyn Store) {
    let first = add_channel(store, "first").await;
    let second = add_channel(store, "second").await;
    let stale = secrets_of(&[("signing_secret", "not what is stored")]);
    let changes = [
        SecretsChange {
            owner: SecretOwner::Channel(first.id),
            previous: first.config.secrets.clone(),
            secrets: secrets_of(&[("signing_secret", "new")]),
        },
        SecretsChange {
            owner: SecretOwner::Channel(second.id),
            previous: stale,
            secrets: secrets_of(&[("signing_secret", "new")]),
        },
    ];
    assert!(!store.replace_secrets(&changes).await.unwrap());
    assert_eq!(
        store
            .get_channel(first.id)
            .await
            .unwrap()
            .unwrap()
            .config
            .secrets,
        first.config.secrets
    );
    let gone = SecretsChange {
        owner: SecretOwner::Profile(new_id()),
        previous: Secrets::new(),
        secrets: Secrets::new(),
    };
    assert!(!store.replace_secrets(&[gone]).await.unwrap());
}

async fn tokens_are_listed_touched_and_deleted(store: &dyn Store) {
    let first = new_token("first", &"a".repeat(64), &["admin"]);
    let second = StoredToken {
        tenant: Some("acme".into()),
        ..new_token("second", &"b".repeat(64), &["channels:read"])
    };
    store.create_token(&first).await.unwrap();
    store.create_token(&second).await.unwrap();
    assert_eq!(
        store.list_tokens().await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    assert_eq!(
        store.get_token(second.id).await.unwrap(),
        Some(second.clone())
    );
    store.touch_token(second.id, T0 + 60_000).await.unwrap();
    assert_eq!(
        store
            .find_token(&second.token_hash)
            .await
            .unwrap()
            .and_then(|t| t.last_used_at),
        Some(T0 + 60_000)
    );
    assert!(store.delete_token(second.id).await.unwrap());
    assert!(!store.delete_token(second.id).await.unwrap());
    assert_eq!(store.find_token(&second.token_hash).await.unwrap(), None);
    assert_eq!(store.list_tokens().await.unwrap(), vec![first]);
}

async fn a_channel_and_a_rule_keep_their_tenant_and_projects(store: &dyn Store) {
    let channel = Channel {
        tenant: Some("acme".into()),
        projects: vec!["shop".into(), "blog".into()],
        ..new_channel("acme ops")
    };
    store.create_channel(&channel, None).await.unwrap();
    assert_eq!(
        store.get_channel(channel.id).await.unwrap(),
        Some(channel.clone())
    );
    let rule = Rule {
        tenant: Some("acme".into()),
        ..new_rule("acme deploys", &[channel.id])
    };
    store.create_rule(&rule).await.unwrap();
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule.clone()));
    let moved = Channel {
        projects: Vec::new(),
        ..channel.clone()
    };
    store.update_channel(&moved, None).await.unwrap();
    assert_eq!(store.get_channel(channel.id).await.unwrap(), Some(moved));
}

async fn routing_snapshot_holds_the_restrictions_of_restricted_channels(store: &dyn Store) {
    let plain = new_channel("plain");
    let tenant = Channel {
        tenant: Some("acme".into()),
        ..new_channel("tenant")
    };
    let projects = Channel {
        projects: vec!["shop".into()],
        ..new_channel("projects")
    };
    for c in [&plain, &tenant, &projects] {
        store.create_channel(c, None).await.unwrap();
    }
    let snapshot = store.routing_snapshot().await.unwrap();
    assert_eq!(snapshot.enabled_channels.len(), 3);
    assert_eq!(snapshot.restrictions.len(), 2);
    assert_eq!(
        snapshot.restrictions[&tenant.id].tenant.as_deref(),
        Some("acme")
    );
    assert_eq!(snapshot.restrictions[&projects.id].projects, ["shop"]);
}

async fn events_and_deliveries_filter_by_customer_and_tenant(store: &dyn Store) {
    let acme = Channel {
        tenant: Some("acme".into()),
        ..new_channel("acme")
    };
    let global = new_channel("global");
    store.create_channel(&acme, None).await.unwrap();
    store.create_channel(&global, None).await.unwrap();
    let mut ours = new_event("deploy.success", T0);
    ours.source.insert("customer".into(), "acme".into());
    let theirs = new_event("deploy.success", T0);
    store
        .insert_event(&ours, &[delivery_to(acme.id), delivery_to(global.id)])
        .await
        .unwrap();
    store
        .insert_event(&theirs, &[delivery_to(global.id)])
        .await
        .unwrap();
    let events = store
        .list_events(&EventQuery {
            customer: Some("acme".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(events.iter().map(|e| e.id).collect::<Vec<_>>(), [ours.id]);
    let deliveries = store
        .list_deliveries(&DeliveryQuery {
            tenant: Some("acme".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].channel_id, acme.id);
}

async fn an_audit_entry_is_written_with_its_event_and_deliveries(store: &dyn Store) {
    let channel = new_channel("audit");
    store.create_channel(&channel, None).await.unwrap();
    let event = new_event("audit.channel.created", T0);
    let entry = AuditEntry {
        id: new_id(),
        at: T0,
        actor_id: None,
        actor_name: "admin".into(),
        tenant: Some("acme".into()),
        action: "channel.created".into(),
        target_id: channel.id.to_string(),
        summary: "channel `audit` (webhook) created".into(),
        event_id: Some(event.id),
    };
    let deliveries = [delivery_to(channel.id)];
    let audit = Audit {
        entry: &entry,
        event: &event,
        deliveries: &deliveries,
    };
    assert!(store.record_audit(None, &audit).await.unwrap());
    let rule_event = new_event("audit.rule.created", T0);
    let global = AuditEntry {
        id: new_id(),
        tenant: None,
        event_id: Some(rule_event.id),
        ..entry.clone()
    };
    let audit = Audit {
        entry: &global,
        event: &rule_event,
        deliveries: &[],
    };
    store.record_audit(None, &audit).await.unwrap();
    assert_eq!(
        store
            .list_audit(&AuditQuery {
                tenant: Some("acme".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap(),
        vec![entry.clone()]
    );
    let all = store
        .list_audit(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all, vec![global, entry]);
    assert_eq!(
        store.get_event(event.id).await.unwrap(),
        Some(event.clone())
    );
    assert_eq!(store.deliveries_of_event(event.id).await.unwrap().len(), 1);
    // The event feed leaves them out unless asked.
    let feed = |audit| EventQuery {
        audit,
        limit: 10,
        ..Default::default()
    };
    assert!(store.list_events(&feed(false)).await.unwrap().is_empty());
    assert_eq!(store.list_events(&feed(true)).await.unwrap().len(), 2);
}

fn audit_entry(action: &str, event: &Event) -> AuditEntry {
    AuditEntry {
        id: new_id(),
        at: T0,
        actor_id: None,
        actor_name: "admin".into(),
        tenant: None,
        action: action.into(),
        target_id: "x".into(),
        summary: action.into(),
        event_id: Some(event.id),
    }
}

async fn audit_count(store: &dyn Store) -> usize {
    store
        .list_audit(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

/// Records `mutation` with a fresh entry and event of `action`; returns what
/// `record_audit` answered and the event.
async fn audited(
    store: &dyn Store,
    mutation: Mutation<'_>,
    action: &str,
    deliveries: &[NewDelivery],
) -> (tocsin_store::Result<bool>, Event) {
    let event = new_event(&format!("audit.{action}"), T0);
    let entry = audit_entry(action, &event);
    let audit = Audit {
        entry: &entry,
        event: &event,
        deliveries,
    };
    (store.record_audit(Some(mutation), &audit).await, event)
}

async fn a_change_and_its_audit_entry_are_written_together_or_not_at_all(store: &dyn Store) {
    let channel = new_channel("audited");
    let made = Mutation::CreateChannel {
        channel: &channel,
        own_rule: None,
        declared: None,
    };
    assert!(
        audited(store, made, "channel.created", &[])
            .await
            .0
            .unwrap()
    );
    assert_eq!(
        store.get_channel(channel.id).await.unwrap(),
        Some(channel.clone())
    );
    assert_eq!(audit_count(store).await, 1);

    // A rule naming a missing channel fails: no entry, no event.
    let broken = new_rule("broken", &[new_id()]);
    let (result, event) = audited(
        store,
        Mutation::CreateRule {
            rule: &broken,
            declared: None,
        },
        "rule.created",
        &[],
    )
    .await;
    assert!(result.is_err());
    assert_eq!(audit_count(store).await, 1);
    assert_eq!(store.get_event(event.id).await.unwrap(), None);

    // Deleting what is not there records nothing.
    let (result, _) = audited(store, Mutation::DeleteToken(new_id()), "token.revoked", &[]).await;
    assert!(!result.unwrap());
    assert_eq!(audit_count(store).await, 1);

    let token = new_token("t", &"e".repeat(64), &["channels:read"]);
    let (result, _) = audited(store, Mutation::CreateToken(&token), "token.created", &[]).await;
    assert!(result.unwrap());
    assert_eq!(store.get_token(token.id).await.unwrap(), Some(token));

    let to_deleted = [delivery_to(channel.id)];
    let (result, deleted) = audited(
        store,
        Mutation::DeleteChannel(channel.id),
        "channel.deleted",
        &to_deleted,
    )
    .await;
    assert!(result.unwrap());
    assert_eq!(store.get_channel(channel.id).await.unwrap(), None);
    assert_eq!(audit_count(store).await, 3);
    assert!(
        store
            .deliveries_of_event(deleted.id)
            .await
            .unwrap()
            .is_empty(),
        "no delivery to the channel just deleted"
    );
}

fn delivery_to(channel_id: Ulid) -> NewDelivery {
    NewDelivery {
        id: new_id(),
        channel_id,
        ..Default::default()
    }
}

async fn declared_markers_round_trip_and_api_objects_are_not_listed(store: &dyn Store) {
    let declared = add_channel(store, "from-config").await;
    let _api = add_channel(store, "from-api").await;
    let rule = new_rule("declared rule", &[declared.id]);
    store.create_rule(&rule).await.unwrap();
    assert!(
        store
            .list_declared(Managed::Channel)
            .await
            .unwrap()
            .is_empty()
    );

    store
        .set_declared(Managed::Channel, declared.id, Some(("ops", "h1")))
        .await
        .unwrap();
    store
        .set_declared(Managed::Rule, rule.id, Some(("prod", "h2")))
        .await
        .unwrap();
    assert_eq!(
        store.list_declared(Managed::Channel).await.unwrap(),
        vec![DeclaredRow {
            id: declared.id,
            name: "ops".into(),
            hash: "h1".into()
        }]
    );
    assert_eq!(
        store.list_declared(Managed::Rule).await.unwrap()[0].name,
        "prod"
    );

    store
        .set_declared(Managed::Channel, declared.id, None)
        .await
        .unwrap();
    assert!(
        store
            .list_declared(Managed::Channel)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.set_declared(Managed::Rule, new_id(), None).await,
        Err(StoreError::NotFound("rule"))
    ));
}

async fn a_declared_object_is_created_already_marked_with_its_audit_entry(store: &dyn Store) {
    let channel = new_channel("declared-ops");
    let made = Mutation::CreateChannel {
        channel: &channel,
        own_rule: None,
        declared: Some(Declared {
            name: "ops",
            hash: "h1",
        }),
    };
    assert!(
        audited(store, made, "channel.created", &[])
            .await
            .0
            .unwrap()
    );
    let rule = new_rule("declared-prod", &[channel.id]);
    let made = Mutation::CreateRule {
        rule: &rule,
        declared: Some(Declared {
            name: "prod",
            hash: "h2",
        }),
    };
    assert!(audited(store, made, "rule.created", &[]).await.0.unwrap());
    // An object made through the API in the same way is not declared.
    let api = new_channel("from-api");
    let made = Mutation::CreateChannel {
        channel: &api,
        own_rule: None,
        declared: None,
    };
    assert!(
        audited(store, made, "channel.created", &[])
            .await
            .0
            .unwrap()
    );

    assert_eq!(
        store.list_declared(Managed::Channel).await.unwrap(),
        vec![DeclaredRow {
            id: channel.id,
            name: "ops".into(),
            hash: "h1".into()
        }]
    );
    assert_eq!(
        store.list_declared(Managed::Rule).await.unwrap(),
        vec![DeclaredRow {
            id: rule.id,
            name: "prod".into(),
            hash: "h2".into()
        }]
    );
    assert_eq!(store.get_rule(rule.id).await.unwrap(), Some(rule.clone()));
    assert_eq!(audit_count(store).await, 3);

    // A declared rule that cannot be made (its channel is missing) leaves nothing behind:
    // no row, no marker, no entry.
    let broken = new_rule("declared-broken", &[new_id()]);
    let made = Mutation::CreateRule {
        rule: &broken,
        declared: Some(Declared {
            name: "broken",
            hash: "h3",
        }),
    };
    assert!(audited(store, made, "rule.created", &[]).await.0.is_err());
    assert_eq!(store.get_rule(broken.id).await.unwrap(), None);
    assert_eq!(store.list_declared(Managed::Rule).await.unwrap().len(), 1);
    assert_eq!(audit_count(store).await, 3);
}
