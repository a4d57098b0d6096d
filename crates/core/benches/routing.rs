//! Routing cost per event with many rules (`cargo bench -p tocsin-core --bench routing`).
//! Each rule has two event patterns and two label matchers (one regex), as people write
//! them; a tenth of the rules take the benchmark's event. Measured through every rule
//! (`route`, what `explain` walks) and through the rule index (`route_indexed`, what
//! ingest does); a second set of rules differs only by event type pattern (`svc-<i>.*`,
//! no equality matcher), so the index works from the type alone.

use std::collections::BTreeSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tocsin_core::event::{Event, EventInput, Severity};
use tocsin_core::mute::WhileMuted;
use tocsin_core::routing::{MuteWindows, RuleIndex, route, route_indexed};
use tocsin_core::rule::{EventPattern, Matcher, Rule};
use ulid::Ulid;

fn rules(n: usize) -> (Vec<Rule>, BTreeSet<Ulid>) {
    rules_with(n, |i| {
        let app = if i % 10 == 0 {
            "api".to_owned()
        } else {
            format!("app-{i}")
        };
        (
            vec!["deploy.*".into(), "backup.failure".into()],
            vec![format!("application={app}"), "environment=~prod.*".into()],
        )
    })
}

/// Rules told apart by their event type pattern only: a tenth take `deploy.*`.
fn typed_rules(n: usize) -> (Vec<Rule>, BTreeSet<Ulid>) {
    rules_with(n, |i| {
        let pattern = if i % 10 == 0 {
            "deploy.*".to_owned()
        } else {
            format!("svc-{i}.*")
        };
        (
            vec![pattern, "backup.failure".into()],
            vec!["application!=web".into(), "environment=~prod.*".into()],
        )
    })
}

fn rules_with(
    n: usize,
    shape: impl Fn(usize) -> (Vec<String>, Vec<String>),
) -> (Vec<Rule>, BTreeSet<Ulid>) {
    let mut channels = BTreeSet::new();
    let rules = (0..n)
        .map(|i| {
            let channel = Ulid::from_parts(i as u64, 1);
            channels.insert(channel);
            let (events, matchers) = shape(i);
            Rule {
                id: Ulid::from_parts(i as u64, 2),
                name: format!("rule {i}"),
                events: events
                    .iter()
                    .map(|p| EventPattern::parse(p).unwrap())
                    .collect(),
                matchers: matchers
                    .iter()
                    .map(|m| Matcher::parse(m).unwrap())
                    .collect(),
                min_severity: Some(Severity::Warning),
                channels: vec![channel],
                enabled: true,
                owner_channel: None,
                recipients: None,
                mute: Vec::new(),
                while_muted: WhileMuted::default(),
                critical_breaks_through: false,
                repeat_interval: None,
                template: None,
                digest: None,
                tenant: None,
                created_at: 0,
                updated_at: 0,
            }
        })
        .collect();
    (rules, channels)
}

fn event() -> Event {
    let input: EventInput =
        serde_json::from_value(json!({"type": "deploy.failure", "title": "failed",
        "severity": "critical", "source": {"application": "api", "environment": "production"}}))
        .unwrap();
    Event::parse(input, Ulid::nil(), 0).unwrap()
}

fn bench(c: &mut Criterion) {
    let event = event();
    let windows = MuteWindows::new();
    for (set, make) in [
        ("", rules as fn(usize) -> (Vec<Rule>, BTreeSet<Ulid>)),
        (" by type", typed_rules),
    ] {
        for n in [100, 1_000, 10_000] {
            let (rules, channels) = make(n);
            let index = RuleIndex::new(&rules);
            let all = route(&event, &rules, &channels, &windows);
            assert_eq!(all.len(), n.div_ceil(10));
            assert_eq!(
                route_indexed(&event, &rules, &index, &channels, &windows),
                all
            );
            c.bench_function(&format!("route one event through {n} rules{set}"), |b| {
                b.iter(|| route(black_box(&event), black_box(&rules), &channels, &windows))
            });
            c.bench_function(
                &format!("route one event through {n} rules{set}, indexed"),
                |b| {
                    b.iter(|| {
                        route_indexed(
                            black_box(&event),
                            black_box(&rules),
                            &index,
                            &channels,
                            &windows,
                        )
                    })
                },
            );
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
