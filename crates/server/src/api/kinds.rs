//! `/api/v1/kinds`: every channel kind with its field schema.

use axum::Json;
use tocsin_providers::{Kind, KindSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_kinds))
}

/// Every channel kind with its fields: which are required, which secret, their defaults.
#[utoipa::path(get, path = "/api/v1/kinds", tag = "channels", responses((status = 200, body = Vec<KindSchema>)))]
async fn list_kinds() -> Json<Vec<&'static KindSchema>> {
    Json(Kind::ALL.iter().map(|k| k.provider().schema()).collect())
}
