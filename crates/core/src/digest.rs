//! Digests: the events a rule with a `digest` window batched for one channel, rendered as one
//! message. The batch itself lives in the store (the open digest delivery and its events);
//! this turns what the store gives back into the event the channel's provider renders.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use crate::event::{Event, Severity};
use crate::time::to_rfc3339;

/// How many events a digest message lists one by one; the rest are counted.
pub const LISTED: usize = 10;

/// The type of a digest's message. `tocsin.*` types are never routed, so a digest cannot
/// feed another rule.
pub const DIGEST_TYPE: &str = "tocsin.digest";

/// A digest as the store reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The first events of the batch, oldest first, at most [`LISTED`].
    pub first: Vec<Event>,
    /// How many events the batch holds in all.
    pub total: u32,
    /// How many of each type, over the whole batch.
    pub by_type: BTreeMap<String, u32>,
}

impl Batch {
    /// The event the channel renders: the single event itself when the window caught only
    /// one, otherwise a `tocsin.digest` event that lists the first events, counts the rest
    /// and sums them up by type. Its severity is the worst of the listed events; its source
    /// the labels all of them share; `data.digest` holds the list for templates.
    pub fn message(&self) -> Option<Event> {
        let first = self.first.first()?;
        if self.total <= 1 && self.first.len() == 1 {
            return Some(first.clone());
        }
        let total = self.total.max(self.first.len() as u32);
        let summary = self
            .by_type
            .iter()
            .map(|(t, n)| format!("{t} × {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut message = String::new();
        for e in &self.first {
            let _ = writeln!(message, "• [{}] {}", e.severity, e.title);
        }
        let unlisted = total as usize - self.first.len().min(total as usize);
        if unlisted > 0 {
            let _ = writeln!(message, "… and {unlisted} more");
        }
        let _ = write!(message, "By type: {summary}");
        let severity = self
            .first
            .iter()
            .map(|e| e.severity)
            .max()
            .unwrap_or(Severity::Info);
        let mut source = first.source.clone();
        source.retain(|k, v| self.first.iter().all(|e| e.source.get(k) == Some(v)));
        let listed: Vec<_> = self
            .first
            .iter()
            .map(|e| {
                json!({"id": e.id.to_string(), "type": e.event_type, "title": e.title,
                    "severity": e.severity, "occurred_at": to_rfc3339(e.occurred_at)})
            })
            .collect();
        let last = self.first.last().unwrap_or(first);
        Some(Event {
            id: first.id,
            event_type: DIGEST_TYPE.to_owned(),
            title: format!("{total} events: {summary}"),
            message,
            severity,
            source,
            data: json!({"digest": {"count": total, "events": listed, "by_type": self.by_type}}),
            idempotency_key: None,
            state_key: None,
            state: None,
            occurred_at: first.occurred_at,
            received_at: last.received_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ulid::Ulid;

    fn event(n: u64, event_type: &str, severity: Severity, app: &str) -> Event {
        Event {
            id: Ulid::from_parts(n, 0),
            event_type: event_type.into(),
            title: format!("{event_type} {n}"),
            message: String::new(),
            severity,
            source: BTreeMap::from([
                ("application".into(), app.into()),
                ("environment".into(), "production".into()),
            ]),
            data: json!({}),
            idempotency_key: None,
            state_key: None,
            state: None,
            occurred_at: n as i64 * 1000,
            received_at: n as i64 * 1000,
        }
    }

    #[test]
    fn a_batch_of_one_is_the_event_itself() {
        let e = event(1, "deploy.failure", Severity::Warning, "api");
        let batch = Batch {
            first: vec![e.clone()],
            total: 1,
            by_type: BTreeMap::from([("deploy.failure".into(), 1)]),
        };
        assert_eq!(batch.message(), Some(e));
        let empty = Batch {
            first: Vec::new(),
            total: 0,
            by_type: BTreeMap::new(),
        };
        assert_eq!(empty.message(), None);
    }

    #[test]
    fn a_digest_lists_the_first_counts_the_rest_and_sums_up_by_type() {
        let first = vec![
            event(1, "deploy.failure", Severity::Warning, "api"),
            event(2, "backup.failure", Severity::Critical, "db"),
            event(3, "deploy.failure", Severity::Info, "api"),
        ];
        let batch = Batch {
            first,
            total: 12,
            by_type: BTreeMap::from([("backup.failure".into(), 4), ("deploy.failure".into(), 8)]),
        };
        let m = batch.message().unwrap();
        assert_eq!(m.event_type, DIGEST_TYPE);
        assert_eq!(m.title, "12 events: backup.failure × 4, deploy.failure × 8");
        assert_eq!(
            m.message,
            "• [warning] deploy.failure 1\n• [critical] backup.failure 2\n\
             • [info] deploy.failure 3\n… and 9 more\nBy type: backup.failure × 4, deploy.failure × 8"
        );
        assert_eq!(m.severity, Severity::Critical);
        assert_eq!(
            m.source,
            BTreeMap::from([("environment".into(), "production".into())]),
            "only the labels every event shares"
        );
        assert_eq!(m.data["digest"]["count"], 12);
        assert_eq!(m.data["digest"]["events"][1]["type"], "backup.failure");
        assert_eq!(m.data["digest"]["by_type"]["deploy.failure"], 8);
        assert_eq!((m.occurred_at, m.received_at), (1000, 3000));
        assert!(crate::catalog::never_routed(&m.event_type).is_some());
    }
}
