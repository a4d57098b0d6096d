//! `/api/v1/audit`: the audit log of configuration changes.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::Query;
use crate::service::Principal;
use crate::service::audit::{self, AuditParams, AuditView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Changes of configuration, newest first: who (token id and name), what (`channel.created`,
/// `token.revoked`, …), on what, when. Every entry for `admin`; a tenant-bound token with
/// `channels:read` or `rules:read` sees its tenant's.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditView>), (status = 403, body = ErrorBody)))]
async fn list_audit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<AuditParams>,
) -> ApiResult<Json<Vec<AuditView>>> {
    Ok(Json(audit::list(&state, &principal, params).await?))
}
