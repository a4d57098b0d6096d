//! An event as a client posts it: any bytes as JSON, then the event's own checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tocsin_core::event::{Event, EventInput};

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = serde_json::from_slice::<EventInput>(data) {
        if let Ok(event) = Event::parse(input, ulid::Ulid::nil(), 1_795_428_000_000) {
            let _ = tocsin_core::template::variables(&event, "fuzz");
        }
    }
});
