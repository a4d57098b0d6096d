//! Payloads of other systems: Alertmanager's webhook and Dokploy's metrics agent, any bytes
//! as JSON, through the mappings and the threshold's decision.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tocsin_core::ingest::{alertmanager, threshold};

fuzz_target!(|data: &[u8]| {
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let mut n = 0u128;
    let _ = alertmanager::events(&payload, 1_795_428_000_000, || {
        n += 1;
        ulid::Ulid::from(n)
    });
    let _ = threshold::token(&payload);
    if let Ok(report) = threshold::parse(&payload) {
        let settings = threshold::Settings::default();
        for current in [
            threshold::Current::Unknown,
            threshold::Current::Ok { since: 0 },
            threshold::Current::Alerting,
        ] {
            let decision =
                threshold::decide(report.value, report.threshold, settings, current, 1_795_428_000_000);
            let _ = threshold::event(&report, "srv", decision, ulid::Ulid::nil(), 1_795_428_000_000);
        }
    }
});
