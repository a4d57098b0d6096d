//! `/api/v1/ingest/…`: payloads other systems already send, accepted as events.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, response::IntoResponse};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::Body;
use crate::service::Principal;
use crate::service::ingest::{self, Ingested};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest_alertmanager))
}

/// Accept an Alertmanager webhook notification (payload version 4).
///
/// Each alert becomes an event `alertmanager.<alertname>` with the alert's labels as source and
/// `alertmanager/<fingerprint>` as state key, so a repeated notification of a firing alert is
/// suppressed and its resolution notifies as a recovery. A malformed payload stores nothing,
/// and so does one over the ingest rate limit (429 with `Retry-After`; each alert counts).
#[utoipa::path(post, path = "/api/v1/ingest/alertmanager", tag = "ingest",
    request_body(content = Object, description = "Alertmanager's webhook payload, version 4"),
    responses((status = 202, body = Ingested), (status = 422, body = ErrorBody), (status = 400, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "over the ingest rate limit; see `Retry-After`")))]
async fn ingest_alertmanager(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(payload): Body<Value>,
) -> ApiResult<impl IntoResponse> {
    let ingested = ingest::alertmanager(&state, &principal, &payload).await?;
    Ok((StatusCode::ACCEPTED, Json(ingested)))
}
