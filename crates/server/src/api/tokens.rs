//! `/api/v1/tokens`: create (the only answer that shows a token), list and revoke API tokens.

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
use crate::service::tokens::{self, CreatedToken, TokenInput, TokenView};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
}

/// Create a token with scopes, optionally bound to a tenant. The answer is the only time
/// the token is shown. Needs `tokens:write`; a token grants at most its creator's scopes.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = TokenInput,
    responses((status = 201, body = CreatedToken), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Body(input): Body<TokenInput>,
) -> ApiResult<impl IntoResponse> {
    Ok((
        StatusCode::CREATED,
        Json(tokens::create(&state, &principal, input).await?),
    ))
}

/// The tokens this token may manage (a tenant's own, with no scope it lacks); never a
/// token or its hash.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(tokens::list(&state, &principal).await?))
}

/// Revoke a token: it stops working at once, on every node.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    tokens::revoke(&state, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
