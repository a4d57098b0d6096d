//! Routing cost per event with many rules (`cargo bench -p tocsin-core --bench routing`).
//! Each rule has two event patterns and two label matchers (one regex), as people write
//! them; a tenth of the rules take the benchmark's event.

use std::collections::BTreeSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tocsin_core::event::{Event, EventInput, Severity};
use tocsin_core::mute::WhileMuted;
use tocsin_core::routing::{MuteWindows, route};
use tocsin_core::rule::{EventPattern, Matcher, Rule};
use ulid::Ulid;

fn rules(n: usize) -> (Vec<Rule>, BTreeSet<Ulid>) {
    let mut channels = BTreeSet::new();
    let rules = (0..n)
        .map(|i| {
            let channel = Ulid::from_parts(i as u64, 1);
            channels.insert(channel);
            let app = if i % 10 == 0 {
                "api".to_owned()
            } else {
                format!("app-{i}")
            };
            Rule {
                id: Ulid::from_parts(i as u64, 2),
                name: format!("rule {i}"),
                events: vec![
                    EventPattern::parse("deploy.*").unwrap(),
                    EventPattern::parse("backup.failure").unwrap(),
                ],
                matchers: vec![
                    Matcher::parse(&format!("application={app}")).unwrap(),
                    Matcher::parse("environment=~prod.*").unwrap(),
                ],
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
    for n in [100, 1_000, 10_000] {
        let (rules, channels) = rules(n);
        assert_eq!(
            route(&event, &rules, &channels, &windows).len(),
            n.div_ceil(10)
        );
        c.bench_function(&format!("route one event through {n} rules"), |b| {
            b.iter(|| route(black_box(&event), black_box(&rules), &channels, &windows))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
