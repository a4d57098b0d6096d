//! `/api/v1/events`: ingest and read events.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Json, response::IntoResponse};
use serde::Deserialize;
use tocsin_core::event::EventInput;
use tocsin_store::EventQuery;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Id, Query};
use super::page_limit;
use crate::service::Principal;
use crate::service::events::{self, Accepted};
use crate::service::{EventView, parse_id};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_event, list_events))
        .routes(routes!(get_event))
}

/// Accept an event. Answers once the event and all its deliveries are committed.
///
/// Over the application's ingest budget (`api.events_per_minute_per_application`): 429 with
/// `Retry-After`, and nothing is stored.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = EventInput,
    responses((status = 202, body = Accepted), (status = 422, body = ErrorBody), (status = 400, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "over the application's rate limit; see `Retry-After`")))]
async fn create_event(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<EventInput>,
) -> ApiResult<impl IntoResponse> {
    let accepted = events::ingest(&state, &principal, input).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

#[derive(Debug, Deserialize, IntoParams)]
struct EventParams {
    /// Only events of this type.
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only events older than this id (paging).
    before: Option<String>,
    /// At most this many (default 50, at most 500).
    limit: Option<u32>,
}

/// Recent events, newest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventParams),
    responses((status = 200, body = Vec<EventView>)))]
async fn list_events(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(p): Query<EventParams>,
) -> ApiResult<Json<Vec<EventView>>> {
    let query = EventQuery {
        event_type: p.event_type,
        before: p.before.map(|b| parse_id("before", &b)).transpose()?,
        limit: page_limit(p.limit),
        ..Default::default()
    };
    Ok(Json(events::list(&state, &principal, query).await?))
}

/// An event with its deliveries and their attempts.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = String, Path)),
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody)))]
async fn get_event(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<EventView>> {
    Ok(Json(events::get(&state, &principal, id).await?))
}
