//! Whatever a client sends, parsing answers with a value or an error: it never panics.

use proptest::prelude::*;
use serde_json::{Value, json};
use tocsin_core::delivery::RetrySchedule;
use tocsin_core::event::{Event, EventInput};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

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
