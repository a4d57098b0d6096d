//! Whatever a client sends, parsing answers with a value or an error: it never panics.

use proptest::prelude::*;
use serde_json::{Value, json};
use tocsin_core::address::AddressPolicy;
use tocsin_core::delivery::RetrySchedule;
use tocsin_core::event::{Event, EventInput};
use tocsin_core::ingest::{alertmanager, threshold};
use tocsin_core::rule::{EventPattern, Matcher};
use tocsin_core::template::{BodyFormat, Template};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn event_like() -> impl Strategy<Value = Value> {
    (
        prop::option::of(".{0,30}"),
        prop::option::of(".{0,30}"),
        prop::option::of(".{0,10}"),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::option::of(".{0,30}"),
    )
        .prop_map(|(t, title, severity, source, data, occurred)| {
            json!({"type": t, "title": title, "severity": severity, "source": source,
                "data": data, "occurred_at": occurred})
        })
}

/// Alertmanager-shaped payloads: the right keys with any values, alerts that are partly
/// right, and anything at all.
fn alertmanager_like() -> impl Strategy<Value = Value> {
    let text = || prop::option::of(prop_oneof![".{0,20}".prop_map(Value::String), json_value()]);
    let alert = (
        text(),
        text(),
        text(),
        text(),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
    )
        .prop_map(|(status, starts, ends, fingerprint, labels, annotations)| {
            json!({"status": status, "startsAt": starts, "endsAt": ends,
                "fingerprint": fingerprint, "labels": labels, "annotations": annotations,
                "generatorURL": "http://prometheus/graph"})
        });
    prop_oneof![
        (text(), prop::collection::vec(alert, 0..4), prop::option::of(json_value()))
            .prop_map(|(status, alerts, common)| json!({"version": "4", "status": status,
                "alerts": alerts, "commonLabels": common, "groupKey": "{}:{}", "receiver": "tocsin"})),
        json_value(),
    ]
}

/// Payloads of Dokploy's metrics agent: bare or in `{"json": …}`, right keys, any values.
fn threshold_like() -> impl Strategy<Value = Value> {
    let field = || {
        prop::option::of(prop_oneof![
            ".{0,20}".prop_map(Value::String),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            any::<i64>().prop_map(|n| json!(n)),
            json_value(),
        ])
    };
    (
        field(),
        field(),
        field(),
        field(),
        field(),
        field(),
        field(),
        any::<bool>(),
    )
        .prop_map(
            |(kind, value, threshold, server_type, server, message, timestamp, wrapped)| {
                let payload = json!({"Type": kind, "Value": value, "Threshold": threshold,
                "ServerType": server_type, "ServerName": server, "Message": message,
                "Timestamp": timestamp, "Token": "t"});
                if wrapped {
                    json!({"json": payload})
                } else {
                    payload
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn alertmanager_payloads_never_panic(payload in alertmanager_like()) {
        let mut n = 0u128;
        let _ = alertmanager::events(&payload, 1_795_428_000_000, || { n += 1; ulid::Ulid::from(n) });
    }

    #[test]
    fn threshold_payloads_never_panic(
        payload in threshold_like(),
        margin in any::<f64>(),
        cool_off in any::<i64>(),
        now in any::<i64>(),
        since in any::<i64>(),
    ) {
        let _ = threshold::token(&payload);
        if let Ok(report) = threshold::parse(&payload) {
            let settings = threshold::Settings { margin, cool_off_ms: cool_off };
            for current in [threshold::Current::Unknown, threshold::Current::Ok { since }, threshold::Current::Alerting] {
                let decision = threshold::decide(report.value, report.threshold, settings, current, now);
                let _ = threshold::event(&report, "srv", decision, ulid::Ulid::nil(), now);
            }
        }
    }

    #[test]
    fn allow_list_entries_never_panic(entries in prop::collection::vec(
        prop_oneof![".{0,30}", "[0-9a-f:./\\[\\]*]{0,30}", "\\*?\\.?[a-z0-9.-]{0,20}"], 0..5)) {
        if let Ok(policy) = AddressPolicy::parse(&entries) {
            for entry in &entries {
                let _ = policy.allows_host(entry);
                let _ = policy.allows_plain_http(entry);
            }
        }
    }

    #[test]
    fn event_parsing_never_panics(input in event_like()) {
        if let Ok(input) = serde_json::from_value::<EventInput>(input) {
            let _ = Event::parse(input, ulid::Ulid::nil(), 0);
        }
    }

    #[test]
    fn rule_parts_never_panic(text in ".{0,60}") {
        let _ = Matcher::parse(&text);
        let _ = EventPattern::parse(&text).map(|p| p.matches(&text));
        let _ = RetrySchedule::parse(&json!([text]));
    }

    #[test]
    fn templates_never_panic(source in ".{0,80}", title in ".{0,40}") {
        if let Ok(template) = Template::parse(&source) {
            let input: EventInput = serde_json::from_value(json!({"type": "a.b", "title": title})).unwrap();
            if let Ok(event) = Event::parse(input, ulid::Ulid::nil(), 0) {
                let _ = template.render(&event, "d", BodyFormat::Json);
                let _ = template.render(&event, "d", BodyFormat::Text);
            }
        }
    }
}
