//! `/api/v1/rules`: standalone routing rules.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tocsin_core::event::EventInput;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Id};
use crate::service::Principal;
use crate::service::RuleView;
use crate::service::rules::{self, Explanation, RuleInput};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_rule, list_rules))
        .routes(routes!(get_rule, update_rule, delete_rule))
        .routes(routes!(explain_event))
}

#[utoipa::path(post, path = "/api/v1/rules", tag = "rules", request_body = RuleInput,
    responses((status = 201, body = RuleView), (status = 422, body = ErrorBody)))]
async fn create_rule(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<RuleInput>,
) -> ApiResult<impl IntoResponse> {
    Ok((
        StatusCode::CREATED,
        Json(rules::create(&state, &principal, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/rules", tag = "rules", responses((status = 200, body = Vec<RuleView>)))]
async fn list_rules(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<RuleView>>> {
    Ok(Json(rules::list(&state, &principal).await?))
}

#[utoipa::path(get, path = "/api/v1/rules/{id}", tag = "rules", params(("id" = String, Path)),
    responses((status = 200, body = RuleView), (status = 404, body = ErrorBody)))]
async fn get_rule(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<RuleView>> {
    Ok(Json(rules::get(&state, &principal, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/rules/{id}", tag = "rules", params(("id" = String, Path)), request_body = RuleInput,
    responses((status = 200, body = RuleView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_rule(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
    Body(input): Body<RuleInput>,
) -> ApiResult<Json<RuleView>> {
    Ok(Json(rules::update(&state, &principal, id, input).await?))
}

#[utoipa::path(delete, path = "/api/v1/rules/{id}", tag = "rules", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_rule(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    rules::delete(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which channels an event would reach, and for every rule and channel that would not take
/// it, why. The event is checked as `POST /api/v1/events` checks it; nothing is stored or sent.
#[utoipa::path(post, path = "/api/v1/rules/explain", tag = "rules", request_body = EventInput,
    responses((status = 200, body = Explanation), (status = 422, body = ErrorBody), (status = 400, body = ErrorBody)))]
async fn explain_event(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<EventInput>,
) -> ApiResult<Json<Explanation>> {
    Ok(Json(rules::explain(&state, &principal, input).await?))
}
