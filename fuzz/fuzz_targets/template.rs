//! A user template: compiled, checked against the sample event, and rendered for an event
//! whose title is the rest of the input, in both body formats. Fuel and the output cap must
//! end every render quickly; libFuzzer's -timeout catches one that does not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tocsin_core::event::{Event, EventInput};
use tocsin_core::template::{BodyFormat, Template};

fuzz_target!(|text: &str| {
    let (source, title) = text.split_once('\u{0}').unwrap_or((text, "title"));
    let Ok(template) = Template::parse(source) else {
        return;
    };
    let _ = template.check(BodyFormat::Json);
    let _ = template.check(BodyFormat::Text);
    let input: Result<EventInput, _> =
        serde_json::from_value(serde_json::json!({"type": "a.b", "title": title, "message": title}));
    if let Ok(Ok(event)) = input.map(|i| Event::parse(i, ulid::Ulid::nil(), 1_795_428_000_000)) {
        let _ = template.render(&event, "fuzz", BodyFormat::Json);
        let _ = template.render(&event, "fuzz", BodyFormat::Text);
    }
});
