//! What must hold when several nodes share one PostgreSQL: two stores (two nodes' pools) on
//! one schema, racing. And the schema version checks of both backends.

use std::collections::BTreeMap;

use serde_json::json;
use tocsin_core::channel::{Channel, ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::time::Millis;
use tocsin_store::{
    Inserted, NewDelivery, PgStore, Signal, SqliteStore, Store, StoreError, migrate,
};
use ulid::Ulid;

#[path = "support/pg_schema.rs"]
mod pg_schema;

const T0: Millis = 1_795_428_000_000;

fn channel(name: &str) -> Channel {
    Channel {
        id: Ulid::new(),
        name: name.into(),
        kind: "webhook".into(),
        config: ChannelConfig {
            settings: json!({"url": "https://example.com/hook"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            secrets: Secrets::new(),
        },
        enabled: true,
        tags: Vec::new(),
        retry_schedule: None,
        tenant: None,
        projects: Vec::new(),
        created_at: T0,
        updated_at: T0,
    }
}

fn event(key: Option<&str>, state: Option<(&str, &str)>) -> Event {
    Event {
        id: Ulid::new(),
        event_type: "service.health.down".into(),
        title: "Title".into(),
        message: "Message".into(),
        severity: Severity::Warning,
        source: BTreeMap::new(),
        data: json!({}),
        idempotency_key: key.map(String::from),
        state_key: state.map(|(k, _)| k.to_owned()),
        state: state.map(|(_, s)| s.to_owned()),
        occurred_at: T0,
        received_at: T0,
    }
}

fn delivery(channel: Ulid) -> Vec<NewDelivery> {
    vec![NewDelivery {
        id: Ulid::new(),
        channel_id: channel,
        ..Default::default()
    }]
}

/// Two nodes' stores on one fresh schema.
async fn two_nodes() -> Option<(PgStore, PgStore, pg_schema::TestSchema)> {
    let schema = pg_schema::TestSchema::create("nodes").await?;
    let a = PgStore::open_url(schema.url()).await.expect("node a");
    let b = PgStore::open_url(schema.url()).await.expect("node b");
    Some((a, b, schema))
}

#[tokio::test]
async fn one_idempotency_key_posted_to_two_nodes_at_once_makes_one_event() {
    let Some((a, b, _schema)) = two_nodes().await else {
        return;
    };
    let ch = channel("ch");
    a.create_channel(&ch, None).await.unwrap();
    for round in 0..20 {
        let key = format!("deploy-{round}");
        let (one, two) = (event(Some(&key), None), event(Some(&key), None));
        let (d1, d2) = (delivery(ch.id), delivery(ch.id));
        let (r1, r2) = tokio::join!(a.insert_event(&one, &d1), b.insert_event(&two, &d2));
        let results = [r1.unwrap(), r2.unwrap()];
        let created = results
            .iter()
            .filter(|r| matches!(r, Inserted::Created { .. }))
            .count();
        assert_eq!(created, 1, "{results:?}");
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Inserted::Duplicate { deliveries: 1, .. })),
            "{results:?}"
        );
    }
    assert_eq!(a.queue_depth().await.unwrap().pending, 20);
}

#[tokio::test]
async fn a_new_bad_state_seen_by_two_nodes_at_once_notifies_once() {
    let Some((a, b, _schema)) = two_nodes().await else {
        return;
    };
    let ch = channel("ch");
    a.create_channel(&ch, None).await.unwrap();
    for round in 0..20 {
        let key = format!("api-{round}");
        let (one, two) = (
            event(None, Some((&key, "down"))),
            event(None, Some((&key, "down"))),
        );
        let (d1, d2) = (delivery(ch.id), delivery(ch.id));
        let (r1, r2) = tokio::join!(a.insert_event(&one, &d1), b.insert_event(&two, &d2));
        let notified = [r1.unwrap(), r2.unwrap()]
            .iter()
            .filter(|r| matches!(r, Inserted::Created { deliveries: 1, .. }))
            .count();
        assert_eq!(notified, 1);
    }
}

#[tokio::test]
async fn two_nodes_claiming_at_once_never_share_a_delivery() {
    let Some((a, b, _schema)) = two_nodes().await else {
        return;
    };
    let ch = channel("ch");
    a.create_channel(&ch, None).await.unwrap();
    let mut all = Vec::new();
    for _ in 0..200 {
        let d = delivery(ch.id);
        all.push(d[0].id);
        a.insert_event(&event(None, None), &d).await.unwrap();
    }
    let mut claimed = Vec::new();
    loop {
        let (x, y) = tokio::join!(
            a.claim_due(T0, T0 + 60_000, 7),
            b.claim_due(T0, T0 + 60_000, 7)
        );
        let (x, y) = (x.unwrap(), y.unwrap());
        if x.is_empty() && y.is_empty() {
            break;
        }
        claimed.extend(x.iter().chain(&y).map(|d| d.id));
    }
    claimed.sort();
    all.sort();
    assert_eq!(claimed, all, "every delivery claimed exactly once");
}

#[tokio::test]
async fn a_node_hears_another_nodes_queued_deliveries_and_routing_changes() {
    let Some((a, b, _schema)) = two_nodes().await else {
        return;
    };
    let mut heard = b.signals().await.expect("PostgreSQL announces");
    // Let the listener subscribe before anything is announced.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let ch = channel("ch");
    a.create_channel(&ch, None).await.unwrap();
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), heard.recv()).await;
    assert_eq!(next.ok().flatten(), Some(Signal::RoutingChanged));
    a.insert_event(&event(None, None), &delivery(ch.id))
        .await
        .unwrap();
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), heard.recv()).await;
    assert_eq!(next.ok().flatten(), Some(Signal::Queued));
}

#[tokio::test]
async fn a_postgres_schema_newer_than_the_binary_is_refused() {
    let Some(schema) = pg_schema::TestSchema::create("newer").await else {
        return;
    };
    let first = migrate(schema.url()).await.unwrap();
    assert_eq!((first.before, first.after), (0, first.known));
    let again = migrate(schema.url()).await.unwrap();
    assert_eq!((again.before, again.after), (first.known, first.known));
    let store = PgStore::connect(schema.url()).await.unwrap();
    pg_record_future_version(schema.url(), first.known + 1).await;
    let refused = store.migrate().await;
    assert!(
        matches!(refused, Err(StoreError::SchemaTooNew { database, binary })
                 if database == first.known + 1 && binary == first.known),
        "{refused:?}"
    );
    assert!(PgStore::open_url(schema.url()).await.is_err());
    store.close().await;
}

#[tokio::test]
async fn a_sqlite_schema_newer_than_the_binary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tocsin.db");
    let url = format!("sqlite://{}", path.display());
    let first = migrate(&url).await.unwrap();
    assert_eq!(first.before, 0);
    sqlite_record_future_version(&url, first.known + 1).await;
    let error = SqliteStore::open(&path).await.unwrap_err();
    assert!(
        matches!(error, StoreError::SchemaTooNew { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("newer than this binary"));
}

/// Records a migration this binary does not know, as a newer release would have.
async fn pg_record_future_version(url: &str, version: i64) {
    use sqlx::{Connection, PgConnection};
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, 'from the future', TRUE, '\\x00'::bytea, 0)",
    )
    .bind(version)
    .execute(&mut conn)
    .await
    .unwrap();
}

async fn sqlite_record_future_version(url: &str, version: i64) {
    use sqlx::{Connection, SqliteConnection};
    let mut conn = SqliteConnection::connect(url).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (?, 'from the future', TRUE, X'00', 0)",
    )
    .bind(version)
    .execute(&mut conn)
    .await
    .unwrap();
}
