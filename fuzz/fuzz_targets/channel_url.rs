//! A channel URL as a client sends it: the kind's URL parsing, then everything an accepted
//! channel goes through (configuration, URL form, rendering). Every kind's `parse_url` also
//! gets every URL, whatever its scheme.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use tocsin_core::channel::ChannelConfig;
use tocsin_core::event::{Event, EventInput};
use tocsin_providers::{Identity, Kind, Message};

fn exercise(kind: Kind, config: ChannelConfig) {
    let provider = kind.provider();
    let _ = provider.to_url(&config, false);
    let secrets: Map<String, Value> = config
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    let Ok(config) = tocsin_providers::configure(kind, config.settings.clone(), secrets, None)
    else {
        return;
    };
    let _ = provider.to_url(&config, true);
    let input: EventInput =
        serde_json::from_value(serde_json::json!({"type": "deploy.failure", "title": "t"}))
            .expect("a valid event");
    let event = Event::parse(input, ulid::Ulid::nil(), 1_795_428_000_000).expect("a valid event");
    let identity = Identity::default();
    let message = Message {
        event: &event,
        delivery_id: "fuzz",
        now: 1_795_428_000_000,
        identity: &identity,
    };
    let _ = provider.render(&config, &message);
}

fuzz_target!(|text: &str| {
    if let Ok((kind, config)) = tocsin_providers::from_url(text) {
        exercise(kind, config);
    }
    if let Ok(url) = url::Url::parse(text) {
        for kind in Kind::ALL {
            let _ = kind.provider().accepts_native_url(&url);
            if let Ok(config) = kind.provider().parse_url(&url) {
                exercise(*kind, config);
            }
        }
    }
});
