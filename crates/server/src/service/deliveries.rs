//! The delivery log: listing, one delivery with its attempts, and retrying by hand. A
//! tenant-bound principal sees only the deliveries to its tenant's channels.

use tocsin_core::delivery::{Attempt, Delivery};
use tocsin_store::{DeliveryQuery, RetryResult};
use ulid::Ulid;

use super::audit::{self, Change};
use super::{DeliveryView, Principal, Scope, ServiceError, ServiceResult};
use crate::state::AppState;

pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: DeliveryQuery,
) -> ServiceResult<Vec<DeliveryView>> {
    principal.require(Scope::DeliveriesRead)?;
    let query = DeliveryQuery {
        tenant: principal.tenant.clone().or(query.tenant),
        ..query
    };
    Ok(state
        .store
        .list_deliveries(&query)
        .await?
        .iter()
        .map(|d| DeliveryView::new(d, None))
        .collect())
}

/// Whether the principal may see deliveries to `channel`.
pub(crate) async fn sees_channel(
    state: &AppState,
    principal: &Principal,
    channel: Ulid,
) -> ServiceResult<bool> {
    if principal.tenant.is_none() {
        return Ok(true);
    }
    Ok(state
        .store
        .get_channel(channel)
        .await?
        .is_some_and(|c| principal.sees(c.tenant.as_deref())))
}

/// The delivery, when it exists and the principal may see it; otherwise not found.
async fn visible(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
) -> ServiceResult<(Delivery, Vec<Attempt>)> {
    let found = state
        .store
        .get_delivery(id)
        .await?
        .ok_or(ServiceError::NotFound("delivery"))?;
    if !sees_channel(state, principal, found.0.channel_id).await? {
        return Err(ServiceError::NotFound("delivery"));
    }
    Ok(found)
}

pub async fn get(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<DeliveryView> {
    principal.require(Scope::DeliveriesRead)?;
    let (delivery, attempts) = visible(state, principal, id).await?;
    Ok(DeliveryView::new(&delivery, Some(&attempts)))
}

/// Schedules a failed delivery again, now, from the start of its retry schedule.
pub async fn retry(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
) -> ServiceResult<DeliveryView> {
    principal.require(Scope::DeliveriesWrite)?;
    let (delivery, _) = visible(state, principal, id).await?;
    match state.store.retry_delivery(id, state.now()).await? {
        RetryResult::Scheduled => {
            state.wake.notify_one();
            let tenant = match principal.tenant.clone() {
                Some(t) => Some(t),
                None => state
                    .store
                    .get_channel(delivery.channel_id)
                    .await?
                    .and_then(|c| c.tenant),
            };
            audit::record(
                state,
                principal,
                Change {
                    action: "delivery.retried",
                    target_id: id.to_string(),
                    tenant: tenant.as_deref(),
                    summary: format!("delivery {id} retried"),
                },
            )
            .await;
            get(state, principal, id).await
        }
        RetryResult::NotFound => Err(ServiceError::NotFound("delivery")),
        RetryResult::NotFailed(status) => Err(ServiceError::Conflict(format!(
            "only failed deliveries can be retried; this one is {status}"
        ))),
    }
}
