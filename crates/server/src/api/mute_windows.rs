//! `/api/v1/mute-windows`: quiet hours that rules name in their `mute` list.

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
use crate::service::mute_windows::{self, MuteWindowInput, MuteWindowView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_mute_window, list_mute_windows))
        .routes(routes!(
            get_mute_window,
            update_mute_window,
            delete_mute_window
        ))
}

/// Create a mute window: weekly intervals in a time zone.
#[utoipa::path(post, path = "/api/v1/mute-windows", tag = "rules", request_body = MuteWindowInput,
    responses((status = 201, body = MuteWindowView), (status = 422, body = ErrorBody)))]
async fn create_mute_window(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<MuteWindowInput>,
) -> ApiResult<impl IntoResponse> {
    Ok((
        StatusCode::CREATED,
        Json(mute_windows::create(&state, &principal, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/mute-windows", tag = "rules",
    responses((status = 200, body = Vec<MuteWindowView>)))]
async fn list_mute_windows(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<MuteWindowView>>> {
    Ok(Json(mute_windows::list(&state, &principal).await?))
}

#[utoipa::path(get, path = "/api/v1/mute-windows/{id}", tag = "rules", params(("id" = String, Path)),
    responses((status = 200, body = MuteWindowView), (status = 404, body = ErrorBody)))]
async fn get_mute_window(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<MuteWindowView>> {
    Ok(Json(mute_windows::get(&state, &principal, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/mute-windows/{id}", tag = "rules", params(("id" = String, Path)),
    request_body = MuteWindowInput,
    responses((status = 200, body = MuteWindowView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_mute_window(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
    Body(input): Body<MuteWindowInput>,
) -> ApiResult<Json<MuteWindowView>> {
    Ok(Json(
        mute_windows::update(&state, &principal, id, input).await?,
    ))
}

/// Delete a mute window no rule names; one in use answers 409 with the rules.
#[utoipa::path(delete, path = "/api/v1/mute-windows/{id}", tag = "rules", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_mute_window(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    mute_windows::delete(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
