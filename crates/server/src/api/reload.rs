//! `POST /api/v1/reload`: read the configuration file again and reconcile the channels and
//! rules it declares. Admin tokens only.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use crate::service::reconcile::{self, ReconcileSummary};
use crate::service::{Principal, Scope};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reload))
}

/// Reconcile the declared channels and rules with the configuration file as it is now;
/// the answer says what was created, updated, removed and left unchanged, and what failed.
/// Needs `admin`; every change is audited under the calling token.
#[utoipa::path(post, path = "/api/v1/reload", tag = "channels",
    responses((status = 200, body = ReconcileSummary), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn reload(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<ReconcileSummary>> {
    principal.require(Scope::Admin)?;
    Ok(Json(reconcile::reload(&state, &principal).await?))
}
