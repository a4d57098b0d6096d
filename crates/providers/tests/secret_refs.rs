//! Secret references (`${env:NAME}`, `${file:/path}`) are kept as given on save; the
//! checks of their values wait until a message is sent.

use serde_json::{Map, Value, json};
use tocsin_providers::{Kind, configure};

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("an object literal"),
    }
}

#[test]
fn a_reference_is_kept_as_given_and_its_value_is_not_checked() {
    let config = configure(
        Kind::Telegram,
        object(json!({"chat_id": "-1001234567890"})),
        object(json!({"bot_token": "${env:TG_TOKEN}"})),
        None,
    )
    .unwrap();
    assert_eq!(config.secrets.expose("bot_token"), Some("${env:TG_TOKEN}"));
    let config = configure(
        Kind::Slack,
        Map::new(),
        object(json!({"webhook_url": "${file:/run/secrets/slack}"})),
        None,
    )
    .unwrap();
    assert_eq!(
        config.secrets.expose("webhook_url"),
        Some("${file:/run/secrets/slack}")
    );
}

#[test]
fn settings_are_still_checked_beside_a_reference() {
    let err = configure(
        Kind::Telegram,
        object(json!({"chat_id": "not a chat"})),
        object(json!({"bot_token": "123456789:AAEhBP0av28abcdefghijklmnopqrstuvwx"})),
        None,
    )
    .unwrap_err();
    assert_eq!(err.field, "settings.chat_id");
    let err = configure(
        Kind::Gotify,
        object(json!({"server_url": "ftp://x"})),
        object(json!({"app_token": "${env:GOTIFY}"})),
        None,
    )
    .unwrap_err();
    assert_eq!(err.field, "settings.server_url");
}

#[test]
fn a_malformed_reference_is_refused_with_what_to_fix() {
    let err = configure(
        Kind::Telegram,
        object(json!({"chat_id": "-1001234567890"})),
        object(json!({"bot_token": "${file:relative}"})),
        None,
    )
    .unwrap_err();
    assert_eq!(err.field, "secrets.bot_token");
    assert!(err.message.contains("absolute path"), "{}", err.message);
}
