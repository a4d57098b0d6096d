//! Monitor states: the last state seen per `state_key`.

use serde::Serialize;
use tocsin_core::monitor;
use tocsin_core::time::to_rfc3339;
use tocsin_store::MonitorState;
use utoipa::ToSchema;

use super::ServiceResult;
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
pub async fn list(state: &AppState) -> ServiceResult<Vec<StateView>> {
    Ok(state
        .store
        .list_states()
        .await?
        .iter()
        .map(StateView::from)
        .collect())
}
