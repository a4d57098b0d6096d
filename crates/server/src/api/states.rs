//! `/api/v1/states`: the last state seen per `state_key`.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use crate::service::Principal;
use crate::service::states::{self, StateView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_states))
}

/// Every state key with its last state and since when it holds, by key.
#[utoipa::path(get, path = "/api/v1/states", tag = "events",
    responses((status = 200, body = Vec<StateView>)))]
async fn list_states(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<StateView>>> {
    Ok(Json(states::list(&state, &principal).await?))
}
