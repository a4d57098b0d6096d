//! The JSON API under `/api/v1`, its OpenAPI document, and the operations endpoints.
//! Handlers translate HTTP to calls of [`crate::service`] and back; they hold no logic of
//! their own.

mod audit;
mod catalog;
mod channels;
mod deliveries;
pub mod error;
mod events;
mod extract;
mod ingest;
mod kinds;
mod metrics_tokens;
mod mute_windows;
mod ops;
mod profiles;
mod reload;
mod rules;
mod states;
mod threshold;
mod tokens;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use self::error::ApiError;
use crate::service::tokens as service_tokens;
use crate::state::{AppState, token_hash};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tocsin", description = "A self-hosted notification hub: events in, notifications out."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "events", description = "Events from source systems"),
        (name = "channels", description = "Destinations"),
        (name = "rules", description = "Which events reach which channels"),
        (name = "deliveries", description = "The delivery log"),
        (name = "profiles", description = "Sender profiles shared by email channels"),
        (name = "ingest", description = "Payloads of other systems (Alertmanager, Dokploy's metrics agent), accepted as events; metrics tokens"),
        (name = "catalog", description = "Well-known event types and presets"),
        (name = "tokens", description = "API tokens, their scopes and tenants"),
        (name = "audit", description = "Changes of configuration: who did what, when"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document of the API, generated from the handlers.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented_routes().2
}

/// The routes behind the bearer middleware, those that authenticate otherwise, and the
/// document of both.
fn documented_routes() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut doc) = api_routes().split_for_parts();
    let (public, public_doc) = public_routes().split_for_parts();
    doc.merge(public_doc);
    (api, public, doc)
}

/// Routes whose callers cannot send a bearer token: each checks its own credential.
fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(threshold::router())
}

fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(events::router())
        .merge(channels::router())
        .merge(rules::router())
        .merge(mute_windows::router())
        .merge(deliveries::router())
        .merge(kinds::router())
        .merge(profiles::router())
        .merge(ingest::router())
        .merge(metrics_tokens::router())
        .merge(states::router())
        .merge(catalog::router())
        .merge(tokens::router())
        .merge(audit::router())
        .merge(reload::router())
}

/// Default and largest page sizes of list endpoints.
pub(crate) fn page_limit(asked: Option<u32>) -> u32 {
    asked.unwrap_or(50).clamp(1, 500)
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let (api, public, doc) = documented_routes();
    let api = api.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        require_token,
    ));
    let doc = std::sync::Arc::new(doc);
    Router::new()
        .merge(api)
        .merge(public)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .merge(ops::router())
        .fallback(|| async { ApiError::not_found("route") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::input_limits,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.api.max_body_bytes,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            use axum::response::IntoResponse;
            ApiError::new(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server hit a bug handling this request; the server log has the details",
            )
            .into_response()
        }))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Every `/api/v1` route needs `Authorization: Bearer <token>`, within the token's request
/// budget (`[api] requests_per_minute_per_token`).
/// The token's [`Principal`](crate::service::Principal) goes into the request's extensions;
/// the service each handler calls checks its scopes and tenant.
async fn require_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(ApiError::unauthorized());
    };
    let hash = token_hash(token);
    let Some(principal) = service_tokens::authenticate_hash(&state, &hash).await? else {
        return Err(ApiError::unauthorized());
    };
    // Counted after authentication, so that only real tokens take room in the limiter.
    if let Err(denied) = state.api_limits.admit_request(hash, state.now()) {
        metrics::counter!(crate::metrics::RATE_LIMITED, "limit" => "token").increment(1);
        let wait = denied.retry_after_secs();
        let limit = state.api_limits.requests_per_minute().unwrap_or_default();
        return Err(ApiError::rate_limited(
            format!(
                "this token made more than {limit} requests in a minute; try again in {wait} s \
                 (the limit is api.requests_per_minute_per_token)"
            ),
            wait,
        ));
    }
    request.extensions_mut().insert(principal);
    Ok(next.run(request).await)
}
