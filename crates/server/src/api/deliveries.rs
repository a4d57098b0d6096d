//! `/api/v1/deliveries`: the delivery log and manual retries.

use axum::Extension;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use tocsin_core::FieldError;
use tocsin_store::DeliveryQuery;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, ErrorBody};
use super::extract::{Id, Query};
use super::page_limit;
use crate::service::Principal;
use crate::service::{DeliveryView, deliveries, parse_id};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_deliveries))
        .routes(routes!(get_delivery))
        .routes(routes!(retry_delivery))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DeliveryParams {
    /// `pending`, `sending`, `delivered`, `retrying` or `failed`.
    status: Option<String>,
    /// A channel id.
    channel: Option<String>,
    /// An event type.
    #[serde(rename = "type")]
    event_type: Option<String>,
    /// Only deliveries older than this id (paging).
    before: Option<String>,
    /// At most this many (default 50, at most 500).
    limit: Option<u32>,
}

impl DeliveryParams {
    pub fn into_query(self) -> Result<DeliveryQuery, FieldError> {
        Ok(DeliveryQuery {
            status: self
                .status
                .map(|s| s.parse().map_err(|m| FieldError::new("status", m)))
                .transpose()?,
            channel_id: self.channel.map(|c| parse_id("channel", &c)).transpose()?,
            event_type: self.event_type,
            tenant: None,
            before: self.before.map(|b| parse_id("before", &b)).transpose()?,
            limit: page_limit(self.limit),
        })
    }
}

/// Recent deliveries, newest first.
#[utoipa::path(get, path = "/api/v1/deliveries", tag = "deliveries", params(DeliveryParams),
    responses((status = 200, body = Vec<DeliveryView>), (status = 422, body = ErrorBody)))]
async fn list_deliveries(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(params): Query<DeliveryParams>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    Ok(Json(
        deliveries::list(&state, &principal, params.into_query()?).await?,
    ))
}

/// A delivery with its attempts.
#[utoipa::path(get, path = "/api/v1/deliveries/{id}", tag = "deliveries", params(("id" = String, Path)),
    responses((status = 200, body = DeliveryView), (status = 404, body = ErrorBody)))]
async fn get_delivery(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<DeliveryView>> {
    Ok(Json(deliveries::get(&state, &principal, id).await?))
}

/// Send a failed delivery again, from the start of its retry schedule.
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/retry", tag = "deliveries", params(("id" = String, Path)),
    responses((status = 200, body = DeliveryView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn retry_delivery(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Id(id): Id,
) -> ApiResult<Json<DeliveryView>> {
    Ok(Json(deliveries::retry(&state, &principal, id).await?))
}
