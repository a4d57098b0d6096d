//! What one delivery costs before it is sent (`cargo bench -p tocsin-core --bench render`):
//! building a body from a template (each preset, and a custom MiniJinja template, parsed
//! and rendered as dispatch does for every delivery, and rendered alone), and signing it
//! (Standard Webhooks `webhook-signature` and `X-Signature-256`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tocsin_core::event::{Event, EventInput};
use tocsin_core::signing::SigningSecret;
use tocsin_core::template::{BodyFormat, PRESETS, Template};
use ulid::Ulid;

const DELIVERY_ID: &str = "01KAQ5Q1111111111111111111";
const CUSTOM: &str = r#"{"text": "{{ title }} ({{ severity }})", "app": "${source.application}",
"lines": [{% for k, v in data|items %}"{{ k }}={{ v }}"{% if not loop.last %}, {% endif %}{% endfor %}]}"#;

fn event() -> Event {
    let input: EventInput = serde_json::from_value(json!({
        "type": "deploy.failure", "title": "Deploy failed: api <prod>",
        "message": "Build \"api\" broke at step 3 & stopped.\nSee the log.",
        "severity": "critical",
        "source": {"application": "api", "project": "shop", "environment": "production"},
        "data": {"commit": "abc123", "error": "exit code 2", "url": "https://ci.example.com/builds/42"},
        "occurred_at": "2026-11-23T10:00:00Z"}))
    .expect("a valid event input");
    Event::parse(input, Ulid::nil(), 1_795_428_005_000).expect("a valid event")
}

fn templates(c: &mut Criterion) {
    let event = event();
    let sources = PRESETS
        .iter()
        .map(|p| (format!("preset {p}"), *p))
        .chain([("custom template".to_owned(), CUSTOM)]);
    for (name, source) in sources {
        let template = Template::parse(source).expect("parses");
        template
            .render(&event, DELIVERY_ID, BodyFormat::Json)
            .expect("renders");
        c.bench_function(&format!("template {name}: parse and render"), |b| {
            b.iter(|| {
                Template::parse(black_box(source))
                    .and_then(|t| t.render(&event, DELIVERY_ID, BodyFormat::Json))
            })
        });
        c.bench_function(&format!("template {name}: render a parsed one"), |b| {
            b.iter(|| template.render(black_box(&event), DELIVERY_ID, BodyFormat::Json))
        });
    }
}

fn signing(c: &mut Criterion) {
    let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("a secret");
    let body = Template::parse("generic")
        .and_then(|t| t.render(&event(), DELIVERY_ID, BodyFormat::Json))
        .expect("renders")
        .into_bytes();
    c.bench_function(
        &format!("sign webhook-signature, {} B body", body.len()),
        |b| b.iter(|| secret.sign(DELIVERY_ID, 1_795_428_005, black_box(&body))),
    );
    c.bench_function(
        &format!("sign X-Signature-256, {} B body", body.len()),
        |b| b.iter(|| secret.signature_256(black_box(&body))),
    );
    c.bench_function("parse the signing secret", |b| {
        b.iter(|| SigningSecret::parse(black_box("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
    });
}

criterion_group!(benches, templates, signing);
criterion_main!(benches);
