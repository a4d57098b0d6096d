//! `/api/v1/catalog`: the well-known event types and the presets patterns may name.

use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::service::catalog::{self, Catalogue};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_event_types))
}

/// Every well-known event type with its group, description, whether a new channel
/// subscribes to it by default and whether it is a destructive admin action; and the
/// presets (`@defaults`, `@destructive`) event patterns may name.
#[utoipa::path(get, path = "/api/v1/catalog/events", tag = "catalog",
    responses((status = 200, body = Catalogue)))]
async fn list_event_types() -> Json<Catalogue> {
    Json(catalog::catalogue())
}
