//! Fixtures the provider tests share: a representative event, a recovery, and helpers that
//! configure a channel, render a message and fake an answer.

// Not every fixture is used by every provider's tests.
#![allow(dead_code)]

use serde_json::{Map, Value, json};
use tocsin_core::channel::ChannelConfig;
use tocsin_core::event::{Event, EventInput};
use tocsin_core::outbound::{Attachment, HttpRequest, HttpResponse};

use crate::{Identity, Message, Outbound, Provider, schema};

/// 2026-11-23T10:00:05Z: when test attempts are made.
pub const NOW: i64 = 1_795_428_005_000;
pub const DELIVERY_ID: &str = "01KAQ5Q1111111111111111111";

fn parse(value: Value) -> Event {
    let input: EventInput = serde_json::from_value(value).expect("a valid event input");
    Event::parse(
        input,
        ulid::Ulid::from_string("01KAQ5Q0000000000000000000").expect("a valid id"),
        NOW,
    )
    .expect("a valid event")
}

/// A failed deploy with labels, a link, and text that needs escaping.
pub fn sample_event() -> Event {
    parse(json!({
        "type": "deploy.failure", "title": "Deploy failed: api <prod>",
        "message": "Build \"api\" broke at step 3 & stopped.\nSee the log.",
        "severity": "critical",
        "source": {"application": "api", "project": "shop", "environment": "production"},
        "data": {"commit": "abc123", "error": "exit code 2", "url": "https://ci.example.com/builds/42"},
        "occurred_at": "2026-11-23T10:00:00Z"}))
}

/// The recovery of an incident: `service.health.recovered`, severity `ok`.
pub fn recovery_event() -> Event {
    parse(json!({
        "type": "service.health.recovered", "title": "api is back", "message": "Health check passes again.",
        "severity": "ok", "source": {"application": "api", "environment": "production"},
        "occurred_at": "2026-11-23T10:05:00Z"}))
}

/// The alert `recovery_event` resolves.
pub fn alert_event() -> Event {
    parse(json!({
        "type": "service.health.down", "title": "api is down", "message": "Health check failed 3 times.",
        "severity": "critical", "source": {"application": "api", "environment": "production"},
        "occurred_at": "2026-11-23T10:00:00Z"}))
}

/// An event at the largest title and message Tocsin accepts: longer than any service takes.
pub fn long_event() -> Event {
    parse(
        json!({"type": "backup.failure", "title": "T".repeat(1_024), "message": "M".repeat(65_536)}),
    )
}

/// Configures a channel of `provider` from `settings` and `secrets` (JSON objects), exactly
/// as the API does.
pub fn configure(
    provider: &dyn Provider,
    settings: Value,
    secrets: Value,
) -> Result<ChannelConfig, tocsin_core::FieldError> {
    let as_map = |v: Value| -> Map<String, Value> { v.as_object().cloned().unwrap_or_default() };
    let mut config = schema::apply(provider.schema(), as_map(settings), as_map(secrets), None)?;
    provider.prepare(&mut config)?;
    Ok(config)
}

/// Renders `event` for the channel, with the default identity.
pub fn render(provider: &dyn Provider, config: &ChannelConfig, event: &Event) -> HttpRequest {
    render_as(provider, config, event, &Identity::default())
}

pub fn render_as(
    provider: &dyn Provider,
    config: &ChannelConfig,
    event: &Event,
    identity: &Identity,
) -> HttpRequest {
    render_attaching(provider, config, event, identity, &[])
}

/// Two files: a short text and 300 bytes of every value.
pub fn sample_attachments() -> Vec<Attachment> {
    vec![
        Attachment {
            filename: "backup.log".into(),
            mime: "text/plain".into(),
            data: b"done\n".to_vec(),
        },
        Attachment {
            filename: "dump.bin".into(),
            mime: "application/octet-stream".into(),
            data: (0..=255u8).cycle().take(300).collect(),
        },
    ]
}

pub fn render_attaching(
    provider: &dyn Provider,
    config: &ChannelConfig,
    event: &Event,
    identity: &Identity,
    attachments: &[Attachment],
) -> HttpRequest {
    let message = Message {
        event,
        delivery_id: DELIVERY_ID,
        now: NOW,
        identity,
        attachments,
    };
    match provider.render(config, &message) {
        Ok(Outbound::Http(request)) => request,
        Ok(other) => panic!("not an HTTP request: {other:?}"),
        Err(e) => panic!("render failed: {e}"),
    }
}

/// The request as JSON for a snapshot: method, URL, headers, and the body parsed (JSON or
/// form) or as text.
pub fn snapshot(request: &HttpRequest) -> Value {
    let text = String::from_utf8_lossy(&request.body).into_owned();
    let body = match request.header("content-type") {
        Some(ct) if ct.contains("json") => {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
        Some(ct) if ct.contains("x-www-form-urlencoded") => {
            let pairs: Vec<Value> = url::form_urlencoded::parse(text.as_bytes())
                .map(|(k, v)| json!([k, v]))
                .collect();
            Value::Array(pairs)
        }
        _ => Value::String(text),
    };
    json!({"method": request.method, "url": request.url, "headers": request.headers, "body": body})
}

/// The request's body parsed as JSON.
pub fn body_of(request: &HttpRequest) -> Value {
    serde_json::from_slice(&request.body).expect("JSON")
}

/// An answer with these status, headers and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

/// Parses a URL into a configuration, checks it, and prints it again.
pub fn url_round_trip(provider: &dyn Provider, text: &str) -> (ChannelConfig, String) {
    let url = url::Url::parse(text).expect("a URL");
    let raw = provider
        .parse_url(&url)
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    let secrets: Map<String, Value> = raw
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    let config = configure(
        provider,
        Value::Object(raw.settings),
        Value::Object(secrets),
    )
    .unwrap_or_else(|e| panic!("{text}: {e}"));
    let printed = provider.to_url(&config, true);
    (config, printed)
}
