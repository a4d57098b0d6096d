//! Ingest adapters: payloads of other systems, mapped to events by `tocsin_core::ingest`
//! and accepted like events of the native API.

use serde::Serialize;
use serde_json::Value;
use tocsin_core::id::new_id;
use tocsin_core::ingest::alertmanager;
use utoipa::ToSchema;

use super::events::{Accepted, accept_all, check_posted};
use super::{Principal, Scope, ServiceResult};
use crate::state::AppState;
use tocsin_core::FieldError;

/// The answer to an accepted payload: one entry per event made from it.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Ingested {
    /// The events, in the order of the payload's alerts.
    pub events: Vec<Accepted>,
    /// How many deliveries were queued in all.
    pub deliveries: u32,
}

/// Accepts an Alertmanager webhook notification. Every alert is checked, and the payload
/// taken from the ingest rate limit as a whole, before any is stored; each event is then committed with its deliveries in its own transaction. Should
/// the database fail half-way, Alertmanager sends the notification again, and the alerts
/// already stored are suppressed as unchanged states.
pub async fn alertmanager(
    state: &AppState,
    principal: &Principal,
    payload: &Value,
) -> ServiceResult<Ingested> {
    principal.require(Scope::EventsWrite)?;
    let mut events = alertmanager::events(payload, state.now(), new_id)?;
    for (i, event) in events.iter_mut().enumerate() {
        check_posted(principal, event).map_err(|e| {
            FieldError::new(
                format!(
                    "alerts[{i}].labels.{}",
                    e.field.trim_start_matches("source.")
                ),
                e.message,
            )
        })?;
    }
    let accepted = accept_all(state, events).await?;
    Ok(Ingested {
        deliveries: accepted.iter().map(|a| a.deliveries).sum(),
        events: accepted,
    })
}
