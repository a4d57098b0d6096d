//! `POST /api/v1/ingest/threshold`: the threshold reports of Dokploy's metrics agent. The
//! agent cannot send a bearer token; the payload's `Token` (a metrics token) authenticates
//! it instead, so this route sits outside the bearer middleware.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult, ErrorBody};
use super::extract::Body;
use crate::service::threshold::{self, ThresholdOutcome};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest_threshold))
}

/// Accept a server-threshold report of Dokploy's metrics agent.
///
/// The body is the agent's `AlertPayload` (`ServerType`, `Type` `CPU` or `Memory`, `Value`,
/// `Threshold`, `Message`, `Timestamp`, `Token`), bare or wrapped as `{"json": {...}}`.
/// `Token` must be a metrics token; it names the server. A report over the threshold
/// raises an alert once; one below threshold minus the token's margin recovers it; values
/// between change nothing; an alert within the cool-off after a recovery is held back.
/// Answers 200, as the agent treats anything else as a failure.
#[utoipa::path(post, path = "/api/v1/ingest/threshold", tag = "ingest", security(()),
    request_body(content = Object, description = "The metrics agent's AlertPayload, bare or as {\"json\": …}"),
    responses((status = 200, body = ThresholdOutcome), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 400, body = ErrorBody)))]
async fn ingest_threshold(
    State(state): State<AppState>,
    Body(payload): Body<Value>,
) -> ApiResult<Json<ThresholdOutcome>> {
    match threshold::report(&state, &payload).await? {
        Some(outcome) => Ok(Json(outcome)),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "`Token` is not a metrics token of this server; create one with \
             POST /api/v1/metrics-tokens and put it in the agent's configuration",
        )),
    }
}
