//! `/api/v1/profiles`: sender profiles for the email kinds.

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
use crate::service::profiles::{self, ProfileInput, ProfileView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_profile, list_profiles))
        .routes(routes!(get_profile, update_profile, delete_profile))
}

/// Create a sender profile (`email`, `resend` or `ses`): server, credentials, from address.
#[utoipa::path(post, path = "/api/v1/profiles", tag = "profiles", request_body = ProfileInput,
    responses((status = 201, body = ProfileView), (status = 422, body = ErrorBody)))]
async fn create_profile(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<ProfileInput>,
) -> ApiResult<impl IntoResponse> {
    Ok((
        StatusCode::CREATED,
        Json(profiles::create(&state, &principal, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/profiles", tag = "profiles", responses((status = 200, body = Vec<ProfileView>)))]
async fn list_profiles(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<ProfileView>>> {
    Ok(Json(profiles::list(&state, &principal).await?))
}

#[utoipa::path(get, path = "/api/v1/profiles/{id}", tag = "profiles", params(("id" = String, Path)),
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody)))]
async fn get_profile(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<ProfileView>> {
    Ok(Json(profiles::get(&state, &principal, id).await?))
}

/// Change a profile; every channel that uses it sends with the new values.
#[utoipa::path(patch, path = "/api/v1/profiles/{id}", tag = "profiles", params(("id" = String, Path)),
    request_body = ProfileInput,
    responses((status = 200, body = ProfileView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_profile(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
    Body(input): Body<ProfileInput>,
) -> ApiResult<Json<ProfileView>> {
    Ok(Json(profiles::update(&state, &principal, id, input).await?))
}

/// Delete a profile that no channel names; a profile in use answers 409 with the channels.
#[utoipa::path(delete, path = "/api/v1/profiles/{id}", tag = "profiles", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_profile(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    profiles::delete(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
