//! The `generic` preset written straight into a string, without the template engine.
//!
//! It is the webhook kind's default, so most webhook deliveries render it, and the engine
//! spent most of a render converting the event's data into its own values only to print them
//! again. The bytes are the template's own: the same fields in the same order, strings
//! escaped as the engine's `tojson` escapes them (also `<`, `>`, `&` and `'`, as `\u003c` and
//! so on), `", "` and `": "` between items, and object keys in sorted order. A test renders
//! thousands of generated events both ways and compares the bytes; the [`GENERIC`] text
//! stays the reference.
//!
//! [`GENERIC`]: super::GENERIC

use serde_json::Value;

use super::{MAX_OUTPUT, error_message, status, too_large};
use crate::FieldError;
use crate::event::Event;
use crate::time;

/// The fields of `data` the preset gathers under `deployment`, in this order.
const DEPLOYMENT: [&str; 4] = ["commit", "branch", "duration_seconds", "url"];

/// The body the `generic` preset renders for `event`.
pub(super) fn render(event: &Event) -> Result<String, FieldError> {
    let mut out = String::with_capacity(640 + event.message.len() + event.title.len());
    out.push_str("{\n  \"event\": ");
    string(&mut out, &event.event_type);
    out.push_str(",\n  \"id\": ");
    string(&mut out, &event.id.to_string());
    out.push_str(",\n  \"timestamp\": ");
    string(&mut out, &time::to_rfc3339(event.occurred_at));
    out.push_str(",\n  \"severity\": ");
    string(&mut out, event.severity.as_str());
    out.push_str(",\n  \"status\": ");
    string(&mut out, &status(event));
    out.push_str(",\n  \"title\": ");
    string(&mut out, &event.title);
    out.push_str(",\n  \"message\": ");
    string(&mut out, &event.message);
    out.push_str(",\n  \"source\": ");
    let labels = event.source.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    object(&mut out, labels, string);
    for label in ["application", "project", "environment"] {
        if let Some(name) = event.source.get(label).filter(|n| !n.is_empty()) {
            out.push_str(",\n  \"");
            out.push_str(label);
            out.push_str("\": {\"name\": ");
            string(&mut out, name);
            out.push('}');
        }
    }
    let present = |key: &str| event.data.get(key).filter(|v| !v.is_null());
    let mut deployment = DEPLOYMENT
        .iter()
        .filter_map(|key| Some((*key, present(key)?)))
        .peekable();
    if deployment.peek().is_some() {
        out.push_str(",\n  \"deployment\": ");
        object(&mut out, deployment, json);
    }
    if let Some(trigger) = present("trigger") {
        out.push_str(",\n  \"trigger\": ");
        if trigger.is_object() {
            json(&mut out, trigger);
        } else {
            out.push_str("{\"type\": ");
            json(&mut out, trigger);
            out.push('}');
        }
    }
    let error = error_message(&event.data);
    if !error.is_empty() {
        out.push_str(",\n  \"error\": {\"message\": ");
        string(&mut out, &error);
        out.push('}');
    }
    out.push_str(",\n  \"data\": ");
    json(&mut out, &event.data);
    out.push_str("\n}");
    if out.len() > MAX_OUTPUT {
        return Err(too_large());
    }
    Ok(out)
}

/// `value` as the engine's `tojson` prints it.
fn json(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => number(out, n),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                json(out, item);
            }
            out.push(']');
        }
        // serde_json's map is ordered by key (its `preserve_order` feature is off), the
        // order in which the engine's own maps print.
        Value::Object(map) => object(out, map.iter().map(|(k, v)| (k.as_str(), v)), json),
    }
}

/// `{"key": value, …}` with the engine's separators, each value written by `value`.
fn object<'a, V>(
    out: &mut String,
    pairs: impl IntoIterator<Item = (&'a str, V)>,
    value: impl Fn(&mut String, V),
) {
    out.push('{');
    for (i, (key, item)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        string(out, key);
        out.push_str(": ");
        value(out, item);
    }
    out.push('}');
}

fn number(out: &mut String, n: &serde_json::Number) {
    use std::fmt::Write;
    if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else {
        // A float is rare in event data; the engine's own formatting keeps the bytes equal
        // (`1.0`, `1e+16`, `1.5e-7`).
        let value = minijinja::Value::from(n.as_f64().unwrap_or_default());
        let args =
            minijinja::value::Kwargs::from_iter(std::iter::empty::<(&str, minijinja::Value)>());
        match minijinja::filters::tojson(&value, None, args) {
            Ok(text) => out.push_str(text.as_str().unwrap_or("null")),
            Err(_) => out.push_str("null"),
        }
    }
}

/// `s` as a JSON string, quotes included, escaped as the engine escapes it for HTML too.
fn string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\x08' => "\\b",
            b'\x0c' => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f | b'<' | b'>' | b'&' | b'\'' => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escaped.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[(byte >> 4) as usize] as char);
            out.push(HEX[(byte & 0xf) as usize] as char);
        } else {
            out.push_str(escaped);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::{Map, json};
    use ulid::Ulid;

    use super::*;
    use crate::event::Severity;
    use crate::template::{BodyFormat, Template};

    fn engine(event: &Event) -> Result<String, FieldError> {
        Template::parse("generic")
            .expect("the preset parses")
            .render_with_engine(event, "dlv_1", BodyFormat::Json)
    }

    fn event(data: Value) -> Event {
        Event {
            id: Ulid::from_string("01KAQ3Z5XJ8Y4W2V6T9R0N1M7P").unwrap(),
            event_type: "deploy.success".to_owned(),
            title: "Deploy <Success> & 'more'".to_owned(),
            message: "a \"quoted\"\nline\t\u{1}\u{7f} é 🚨 \u{2028}".to_owned(),
            severity: Severity::Warning,
            source: BTreeMap::from([
                ("application".to_owned(), "my-app".to_owned()),
                ("environment".to_owned(), String::new()),
                ("zz</x>".to_owned(), "v\\".to_owned()),
            ]),
            data,
            idempotency_key: None,
            state_key: None,
            state: None,
            occurred_at: 1_795_428_000_123,
            received_at: 1_795_428_000_500,
        }
    }

    #[test]
    fn writes_the_templates_bytes() {
        let cases = [
            json!({}),
            json!({"commit": "abc", "branch": null, "duration_seconds": 45.5, "url": "https://x/?a=1&b=<2>",
                   "trigger": "push", "error": {"code": 5}, "status": "failed"}),
            json!({"duration_seconds": 1e16, "trigger": {"by": "cron"}, "error_message": "disk full"}),
            json!({"n": [0.1, -0.0, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 123456.0, -2.5]}),
            json!({"big": u64::MAX, "small": i64::MIN, "zero": 0, "t": true, "f": false, "e": [], "o": {}}),
            json!({"trigger": [1, 2], "error": null, "error_message": {"message": "m"}}),
            json!({"trigger": null, "error": 7, "commit": false, "url": 0}),
        ];
        for data in cases {
            let event = event(data);
            assert_eq!(render(&event).unwrap(), engine(&event).unwrap());
        }
    }

    #[test]
    fn refuses_a_body_too_large_as_the_engine_does() {
        let event = event(json!({"blob": "x".repeat(MAX_OUTPUT)}));
        let native = render(&event).unwrap_err();
        assert_eq!(native.message, engine(&event).unwrap_err().message);
        assert!(
            native.message.contains("larger than 256 KiB"),
            "{}",
            native.message
        );
    }

    /// Text with everything an escaper can get wrong: quotes, backslashes, control
    /// characters, the HTML-sensitive four, DEL, and characters beyond ASCII.
    fn text() -> impl Strategy<Value = String> {
        "[\\x00-\\x1f \"\\\\<>&'a-z0-9\\x7f\u{80}é😀\u{2028}]{0,12}"
    }

    fn float() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>().prop_filter("finite", |f| f.is_finite()),
            (-1_000_000i64..1_000_000, 0u32..8).prop_map(|(m, e)| m as f64 / 10f64.powi(e as i32)),
            Just(1e16),
            Just(1e15),
            Just(1e-5),
            Just(0.0001),
            Just(-0.0),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        let key = prop_oneof![
            Just("commit".to_owned()),
            Just("branch".to_owned()),
            Just("duration_seconds".to_owned()),
            Just("url".to_owned()),
            Just("trigger".to_owned()),
            Just("error".to_owned()),
            Just("error_message".to_owned()),
            Just("message".to_owned()),
            Just("status".to_owned()),
            text(),
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            float().prop_map(|f| json!(f)),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::vec((key.clone(), inner), 0..6)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    fn data() -> impl Strategy<Value = Value> {
        value().prop_map(|v| match v {
            Value::Object(_) => v,
            other => json!({"trigger": other.clone(), "commit": other}),
        })
    }

    fn events() -> impl Strategy<Value = Event> {
        let label = prop_oneof![
            Just("application".to_owned()),
            Just("project".to_owned()),
            Just("environment".to_owned()),
            text(),
        ];
        (
            "[a-z]{1,6}(\\.(failure|failed|down|up|ok|success|[a-z]{1,6})){0,2}",
            text(),
            text(),
            prop_oneof![
                Just(Severity::Ok),
                Just(Severity::Info),
                Just(Severity::Warning),
                Just(Severity::Critical)
            ],
            proptest::collection::btree_map(label, text(), 0..5),
            data(),
            (0i64..4_102_444_800_000, any::<u128>()),
        )
            .prop_map(
                |(event_type, title, message, severity, source, data, (at, id))| Event {
                    id: Ulid(id),
                    event_type,
                    title,
                    message,
                    severity,
                    source,
                    data,
                    idempotency_key: None,
                    state_key: None,
                    state: None,
                    occurred_at: at,
                    received_at: at,
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn writes_the_templates_bytes_for_any_event(event in events()) {
            prop_assert_eq!(render(&event).unwrap(), engine(&event).unwrap());
        }
    }
}
