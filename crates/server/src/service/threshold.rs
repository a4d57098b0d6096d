//! Server thresholds: a metrics agent's report, authenticated by its metrics token, run
//! through the hysteresis of `tocsin_core::ingest::threshold`, and accepted as a
//! `server.threshold` event when it raises or clears an alert.
//!
//! The state the hysteresis reads is the monitor state of the report's key. The decision
//! is taken on that state as read; the write is the event's own transition check, made in
//! its insert transaction. So two reports that race can both decide to alert, but only the
//! first one's event notifies: the second finds the key already alerting and is stored
//! without deliveries.

use serde::Serialize;
use serde_json::Value;
use tocsin_core::id::new_id;
use tocsin_core::ingest::threshold::{self, Current, Decision};
use tocsin_core::time::to_rfc3339;
use utoipa::ToSchema;

use super::ServiceResult;
use super::events::accept;
use super::metrics_tokens;
use crate::state::AppState;

/// The answer to a report.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ThresholdOutcome {
    /// The event the report made: an alert or a recovery; null when it changed nothing.
    pub event: Option<String>,
    /// How many deliveries were queued.
    pub deliveries: u32,
    /// The state of the server's metric after the report: `alert` or `ok`.
    pub state: String,
    /// True when the report would have alerted but was held back (the cool-off after a
    /// recovery), or its event was no transition after all.
    pub suppressed: bool,
    /// Why nothing was queued, when nothing was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Takes one report. `None` when its token is not a metrics token: nothing is read or
/// stored beyond the token lookup.
pub async fn report(state: &AppState, payload: &Value) -> ServiceResult<Option<ThresholdOutcome>> {
    let Some(server) = metrics_tokens::authenticate(state, threshold::token(payload)).await? else {
        return Ok(None);
    };
    let report = threshold::parse(payload)?;
    let key = threshold::state_key(&server.name, report.metric);
    let last = state.store.get_state(&key).await?;
    let current = Current::from_state(last.as_ref().map(|s| (s.state.as_str(), s.changed_at)));
    let now = state.now();
    let decision = threshold::decide(
        report.value,
        report.threshold,
        server.settings,
        current,
        now,
    );
    let state_after = decision.state_after(current).to_owned();
    let Some(event) = threshold::event(&report, &server.name, decision, new_id(), now)? else {
        let (suppressed, reason) = match decision {
            Decision::HeldBack { until } => (
                true,
                format!(
                    "held back: within the cool-off after a recovery, until {}",
                    to_rfc3339(until)
                ),
            ),
            _ => (false, format!("no change: still {}", current.as_str())),
        };
        return Ok(Some(ThresholdOutcome {
            event: None,
            deliveries: 0,
            state: state_after,
            suppressed,
            reason: Some(reason),
        }));
    };
    let accepted = accept(state, event).await?;
    Ok(Some(ThresholdOutcome {
        event: Some(accepted.id),
        deliveries: accepted.deliveries,
        state: state_after,
        suppressed: accepted.suppressed,
        reason: accepted.reason,
    }))
}
