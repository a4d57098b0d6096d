//! Monitor states: the last state seen per `state_key`.

use serde::Serialize;
use tocsin_core::monitor;
use tocsin_core::time::to_rfc3339;
use tocsin_store::MonitorState;
use utoipa::ToSchema;

use super::{Principal, Scope, ServiceResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct StateView {
    pub state_key: String,
    /// The last state an event gave for the key.
    pub state: String,
    /// Whether that state means "nothing is wrong" (`ok`, `up`, `resolved`, …).
    pub good: bool,
    /// When the key entered this state.
    pub since: String,
    /// When an event last reported the key.
    pub last_seen_at: String,
    /// The newest event of the key.
    pub last_event_id: String,
}

impl From<&MonitorState> for StateView {
    fn from(s: &MonitorState) -> Self {
        Self {
            state_key: s.state_key.clone(),
            state: s.state.clone(),
            good: monitor::is_good(&s.state),
            since: to_rfc3339(s.changed_at),
            last_seen_at: to_rfc3339(s.seen_at),
            last_event_id: s.last_event_id.to_string(),
        }
    }
}

/// Every key with its last state, by key.
/// A tenant-bound principal sees only the keys whose newest event is its tenant's.
pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<StateView>> {
    principal.require(Scope::DeliveriesRead)?;
    let mut states = state.store.list_states().await?;
    if let Some(tenant) = &principal.tenant {
        let ids: Vec<_> = states.iter().map(|s| s.last_event_id).collect();
        let ours: std::collections::BTreeSet<_> = state
            .store
            .get_events(&ids)
            .await?
            .into_iter()
            .filter(|e| e.source.get("customer") == Some(tenant))
            .map(|e| e.id)
            .collect();
        states.retain(|s| ours.contains(&s.last_event_id));
    }
    Ok(states.iter().map(StateView::from).collect())
}
