//! The delivery log: listing, one delivery with its attempts, and retrying by hand.

use tocsin_store::{DeliveryQuery, RetryResult};
use ulid::Ulid;

use super::{DeliveryView, ServiceError, ServiceResult};
use crate::state::AppState;

pub async fn list(state: &AppState, query: &DeliveryQuery) -> ServiceResult<Vec<DeliveryView>> {
    Ok(state
        .store
        .list_deliveries(query)
        .await?
        .iter()
        .map(|d| DeliveryView::new(d, None))
        .collect())
}

pub async fn get(state: &AppState, id: Ulid) -> ServiceResult<DeliveryView> {
    let (delivery, attempts) = state
        .store
        .get_delivery(id)
        .await?
        .ok_or(ServiceError::NotFound("delivery"))?;
    Ok(DeliveryView::new(&delivery, Some(&attempts)))
}

/// Schedules a failed delivery again, now, from the start of its retry schedule.
pub async fn retry(state: &AppState, id: Ulid) -> ServiceResult<DeliveryView> {
    match state.store.retry_delivery(id, state.now()).await? {
        RetryResult::Scheduled => {
            state.wake.notify_one();
            get(state, id).await
        }
        RetryResult::NotFound => Err(ServiceError::NotFound("delivery")),
        RetryResult::NotFailed(status) => Err(ServiceError::Conflict(format!(
            "only failed deliveries can be retried; this one is {status}"
        ))),
    }
}
