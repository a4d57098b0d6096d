//! `/api/v1/channels`: channels, their test sends and their delivery logs.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::deliveries::DeliveryParams;
use super::error::{ApiResult, ErrorBody};
use super::extract::{Body, Id, Query};
use crate::service::Principal;
use crate::service::channels::{self, ChannelInput, TestResult};
use crate::service::{ChannelView, DeliveryView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_channel, list_channels))
        .routes(routes!(get_channel, update_channel, delete_channel))
        .routes(routes!(test_unsaved))
        .routes(routes!(test_saved))
        .routes(routes!(channel_deliveries))
}

/// Create a channel from `kind` + `settings` + `secrets`, or from a `url`.
#[utoipa::path(post, path = "/api/v1/channels", tag = "channels", request_body = ChannelInput,
    responses((status = 201, body = ChannelView), (status = 422, body = ErrorBody)))]
async fn create_channel(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<ChannelInput>,
) -> ApiResult<impl IntoResponse> {
    Ok((
        StatusCode::CREATED,
        Json(channels::create(&state, &principal, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/channels", tag = "channels", responses((status = 200, body = Vec<ChannelView>)))]
async fn list_channels(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<ChannelView>>> {
    Ok(Json(channels::list(&state, &principal).await?))
}

#[utoipa::path(get, path = "/api/v1/channels/{id}", tag = "channels", params(("id" = String, Path)),
    responses((status = 200, body = ChannelView), (status = 404, body = ErrorBody)))]
async fn get_channel(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<ChannelView>> {
    Ok(Json(channels::get(&state, &principal, id).await?))
}

/// Change a channel: given fields replace stored ones; secrets left out are kept.
#[utoipa::path(patch, path = "/api/v1/channels/{id}", tag = "channels", params(("id" = String, Path)),
    request_body = ChannelInput,
    responses((status = 200, body = ChannelView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_channel(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
    Body(input): Body<ChannelInput>,
) -> ApiResult<Json<ChannelView>> {
    Ok(Json(channels::update(&state, &principal, id, input).await?))
}

/// Delete a channel with its own subscription and its delivery log.
#[utoipa::path(delete, path = "/api/v1/channels/{id}", tag = "channels", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete_channel(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    channels::delete(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send a test message through a channel described in the body; nothing is saved.
#[utoipa::path(post, path = "/api/v1/channels/test", tag = "channels", request_body = ChannelInput,
    responses((status = 200, body = TestResult), (status = 422, body = ErrorBody)))]
async fn test_unsaved(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<ChannelInput>,
) -> ApiResult<Json<TestResult>> {
    Ok(Json(
        channels::test_unsaved(&state, &principal, input).await?,
    ))
}

/// Send a test message through a saved channel.
#[utoipa::path(post, path = "/api/v1/channels/{id}/test", tag = "channels", params(("id" = String, Path)),
    responses((status = 200, body = TestResult), (status = 404, body = ErrorBody)))]
async fn test_saved(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<TestResult>> {
    Ok(Json(channels::test_saved(&state, &principal, id).await?))
}

/// The channel's delivery log, newest first.
#[utoipa::path(get, path = "/api/v1/channels/{id}/deliveries", tag = "channels",
    params(("id" = String, Path), DeliveryParams),
    responses((status = 200, body = Vec<DeliveryView>), (status = 404, body = ErrorBody)))]
async fn channel_deliveries(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
    Query(params): Query<DeliveryParams>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    let query = params.into_query()?;
    Ok(Json(
        channels::deliveries(&state, &principal, id, query).await?,
    ))
}
