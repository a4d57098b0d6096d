//! Column encodings shared by the backends: ids as ULID text, JSON columns as text, and
//! the checks that turn a stored value back into a domain value.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value};
use tocsin_core::channel::Secrets;
use tocsin_core::delivery::{DeliveryStatus, RetrySchedule};
use tocsin_core::event::Severity;
use tocsin_core::mute::{IntervalText, MuteInterval, MuteWindow, WhileMuted};
use tocsin_core::rule::{EventPattern, Matcher};
use ulid::Ulid;

use crate::StoreError;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

pub fn ulid(text: &str) -> Result<Ulid, StoreError> {
    Ulid::from_string(text).map_err(|e| corrupt("id", e))
}

pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serialising maps, vectors and JSON values of strings cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

pub fn json_map(text: &str) -> Result<Map<String, Value>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt("JSON object", e))
}

pub fn json_value(text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt("JSON value", e))
}

pub fn labels(text: &str) -> Result<BTreeMap<String, String>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt("labels", e))
}

pub fn strings(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt("list", e))
}

pub fn secrets_text(secrets: &Secrets) -> String {
    let map: BTreeMap<&str, &str> = secrets.iter_exposed().collect();
    json_text(&map)
}

pub fn secrets(text: &str) -> Result<Secrets, StoreError> {
    let map: BTreeMap<String, String> =
        serde_json::from_str(text).map_err(|e| corrupt("secrets", e))?;
    let mut s = Secrets::new();
    for (k, v) in map {
        s.insert(k, v);
    }
    Ok(s)
}

pub fn schedule_text(schedule: &RetrySchedule) -> String {
    let ms: Vec<u64> = schedule
        .delays()
        .iter()
        .map(|d| d.as_millis() as u64)
        .collect();
    json_text(&ms)
}

pub fn schedule(text: &str) -> Result<RetrySchedule, StoreError> {
    let ms: Vec<u64> = serde_json::from_str(text).map_err(|e| corrupt("retry schedule", e))?;
    RetrySchedule::new(ms.into_iter().map(Duration::from_millis).collect())
        .map_err(|e| corrupt("retry schedule", e))
}

pub fn patterns(text: &str) -> Result<Vec<EventPattern>, StoreError> {
    strings(text)?
        .iter()
        .map(|p| EventPattern::parse(p).map_err(|e| corrupt("event pattern", e)))
        .collect()
}

pub fn patterns_text(patterns: &[EventPattern]) -> String {
    json_text(
        &patterns
            .iter()
            .map(EventPattern::as_str)
            .collect::<Vec<_>>(),
    )
}

pub fn matchers(text: &str) -> Result<Vec<Matcher>, StoreError> {
    strings(text)?
        .iter()
        .map(|m| Matcher::parse(m).map_err(|e| corrupt("matcher", e)))
        .collect()
}

pub fn matchers_text(matchers: &[Matcher]) -> String {
    json_text(&matchers.iter().map(ToString::to_string).collect::<Vec<_>>())
}

pub fn severity(text: &str) -> Result<Severity, StoreError> {
    text.parse().map_err(|e| corrupt("severity", e))
}

pub fn status(text: &str) -> Result<DeliveryStatus, StoreError> {
    text.parse().map_err(|e| corrupt("delivery status", e))
}

pub fn ids(text: &str) -> Result<Vec<Ulid>, StoreError> {
    strings(text)?.iter().map(|id| ulid(id)).collect()
}

pub fn while_muted(text: &str) -> Result<WhileMuted, StoreError> {
    WhileMuted::parse(text).map_err(|e| corrupt("while_muted", e))
}

/// A zone by its IANA name, from the system's time zone database.
pub fn time_zone(name: &str) -> Result<jiff::tz::TimeZone, StoreError> {
    jiff::tz::TimeZone::get(name).map_err(|e| {
        corrupt(
            "time zone",
            format!("`{name}` is not in this system's time zone database (install tzdata): {e}"),
        )
    })
}

pub fn intervals_text(window: &MuteWindow) -> String {
    json_text(
        &window
            .intervals
            .iter()
            .map(MuteInterval::to_text)
            .collect::<Vec<_>>(),
    )
}

pub fn intervals(text: &str) -> Result<Vec<MuteInterval>, StoreError> {
    let texts: Vec<IntervalText> =
        serde_json::from_str(text).map_err(|e| corrupt("mute intervals", e))?;
    MuteWindow::parse_intervals(&texts).map_err(|e| corrupt("mute intervals", e))
}
