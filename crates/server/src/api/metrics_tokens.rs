//! `/api/v1/metrics-tokens`: the tokens servers' metrics agents report thresholds with.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Id};
use crate::service::Principal;
use crate::service::metrics_tokens::{self, MetricsTokenInput, MetricsTokenView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_metrics_token, list_metrics_tokens))
        .routes(routes!(delete_metrics_token))
}

/// Create a metrics token for a server. The answer holds the token (128 hex characters),
/// shown this once: put it in the agent's configuration (`server.token`).
#[utoipa::path(post, path = "/api/v1/metrics-tokens", tag = "ingest", request_body = MetricsTokenInput,
    responses((status = 201, body = MetricsTokenView), (status = 422, body = ErrorBody)))]
async fn create_metrics_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<MetricsTokenInput>,
) -> ApiResult<impl IntoResponse> {
    Ok((
        StatusCode::CREATED,
        Json(metrics_tokens::create(&state, &principal, input).await?),
    ))
}

/// Every metrics token, without the tokens themselves.
#[utoipa::path(get, path = "/api/v1/metrics-tokens", tag = "ingest",
    responses((status = 200, body = Vec<MetricsTokenView>)))]
async fn list_metrics_tokens(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<MetricsTokenView>>> {
    Ok(Json(metrics_tokens::list(&state, &principal).await?))
}

/// Delete a metrics token: its agent's reports are refused from then on.
#[utoipa::path(delete, path = "/api/v1/metrics-tokens/{id}", tag = "ingest", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_metrics_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    metrics_tokens::delete(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
