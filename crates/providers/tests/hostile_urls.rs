//! Whatever channel URL a client sends, every kind's URL parsing, configuration, URL form and
//! rendering answer with a value or an error: they never panic.

use proptest::prelude::*;
use serde_json::{Map, Value};
use tocsin_core::event::{Event, EventInput};
use tocsin_providers::{Identity, Kind, Message};

/// Every scheme some kind reads, and a few no kind reads.
fn scheme() -> impl Strategy<Value = String> {
    let mut schemes: Vec<String> = Kind::ALL
        .iter()
        .flat_map(|k| {
            k.provider()
                .schema()
                .url_schemes
                .iter()
                .map(|s| s.to_string())
        })
        .collect();
    schemes.extend(["file", "gopher", "ftp", "dict", "data", "javascript"].map(String::from));
    prop::sample::select(schemes)
}

/// URL-ish text: the parts a channel URL has, each drawn from characters that matter to
/// URL parsers (delimiters, percent signs, brackets, non-ASCII).
fn url_text() -> impl Strategy<Value = String> {
    let piece = "[a-zA-Z0-9%@:/?#\\[\\]!$&'()*+,;=._~-]{0,12}|.{0,8}";
    (
        scheme(),
        prop::option::of((piece, prop::option::of(piece))),
        prop_oneof![
            "[a-z0-9.-]{0,20}",
            "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
            "\\[[0-9a-f:.]{0,20}\\]",
            "0x[0-9a-f]{1,8}",
            ".{0,10}",
        ],
        prop::option::of(0u32..70_000),
        prop::collection::vec(piece, 0..4),
        prop::option::of(prop::collection::vec((piece, piece), 0..4)),
        prop::option::of(piece),
    )
        .prop_map(|(scheme, user, host, port, path, query, fragment)| {
            let mut s = format!("{scheme}://");
            if let Some((name, password)) = user {
                s.push_str(&name);
                if let Some(p) = password {
                    s.push(':');
                    s.push_str(&p);
                }
                s.push('@');
            }
            s.push_str(&host);
            if let Some(port) = port {
                s.push_str(&format!(":{port}"));
            }
            for segment in path {
                s.push('/');
                s.push_str(&segment);
            }
            if let Some(pairs) = query {
                s.push('?');
                let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                s.push_str(&pairs.join("&"));
            }
            if let Some(f) = fragment {
                s.push('#');
                s.push_str(&f);
            }
            s
        })
}

fn event() -> Event {
    let input: EventInput = serde_json::from_value(serde_json::json!({
        "type": "deploy.failure", "title": "t", "message": "m", "severity": "critical"}))
    .unwrap();
    Event::parse(input, ulid::Ulid::nil(), 1_795_428_000_000).unwrap()
}

/// Everything a channel URL goes through after it is accepted.
fn exercise(kind: Kind, config: tocsin_core::channel::ChannelConfig) {
    let secrets: Map<String, Value> = config
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    let provider = kind.provider();
    let _ = provider.to_url(&config, false);
    if let Ok(config) = tocsin_providers::configure(kind, config.settings.clone(), secrets, None) {
        let _ = provider.to_url(&config, true);
        let event = event();
        let identity = Identity::default();
        let message = Message {
            event: &event,
            delivery_id: "prop",
            now: 1_795_428_000_000,
            identity: &identity,
            attachments: &[],
        };
        let _ = provider.render(&config, &message);
        let _ = provider.pace(&config);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn channel_urls_never_panic(text in url_text()) {
        if let Ok((kind, config)) = tocsin_providers::from_url(&text) {
            exercise(kind, config);
        }
    }

    #[test]
    fn any_text_as_a_channel_url_never_panics(text in ".{0,80}") {
        if let Ok((kind, config)) = tocsin_providers::from_url(&text) {
            exercise(kind, config);
        }
    }

    #[test]
    fn every_kind_parses_any_url_without_panicking(text in url_text()) {
        if let Ok(url) = url::Url::parse(&text) {
            for kind in Kind::ALL {
                let provider = kind.provider();
                let _ = provider.accepts_native_url(&url);
                if let Ok(config) = provider.parse_url(&url) {
                    exercise(*kind, config);
                }
            }
        }
    }
}
