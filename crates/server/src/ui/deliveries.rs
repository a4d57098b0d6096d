//! The delivery log: recent deliveries filtered by status, channel, event type and time;
//! one delivery with its attempts; retrying one failed delivery or all of them.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::Uri;
use axum::routing::{get, post};
use tocsin_core::delivery::DeliveryStatus;
use tocsin_store::{DeliveryQuery, EventQuery};

use super::channels::names;
use super::{Ctx, Page, UiState, done, form, html};
use crate::service::{DeliveryView, EventView, ServiceError, deliveries, events, parse_id};

pub fn routes() -> Router<UiState> {
    Router::new()
        .route("/ui/deliveries", get(list))
        .route("/ui/deliveries/retry-failed", post(retry_failed))
        .route("/ui/deliveries/{id}", get(show))
        .route("/ui/deliveries/{id}/retry", post(retry))
}

/// The time filter's choices, in hours (0: any time).
pub const PERIODS: [(&str, i64); 4] = [("any", 0), ("1h", 1), ("24h", 24), ("7d", 168)];

pub struct Row {
    pub d: DeliveryView,
    pub channel: String,
    pub event_type: String,
}

#[derive(Template)]
#[template(path = "ui/deliveries.html")]
struct ListPage {
    c: Ctx,
    rows: Vec<Row>,
    channels: BTreeMap<String, String>,
    status: String,
    channel: String,
    event_type: String,
    period: String,
    statuses: Vec<&'static str>,
    periods: &'static [(&'static str, i64)],
    failed_shown: bool,
}

async fn list(mut c: Ctx, uri: Uri) -> Page {
    c.nav = "deliveries";
    let q = form::query(&uri);
    let status = q.text("status").unwrap_or_default();
    let channel = q.text("channel").unwrap_or_default();
    let event_type = q.text("type").unwrap_or_default();
    let period = q.text("period").unwrap_or_else(|| "any".into());
    let query = DeliveryQuery {
        status: status.parse().ok(),
        channel_id: parse_id("channel", &channel).ok(),
        event_type: (!event_type.is_empty()).then(|| event_type.clone()),
        before: None,
        limit: 200,
        ..Default::default()
    };
    let hours = PERIODS
        .iter()
        .find(|(p, _)| *p == period)
        .map_or(0, |(_, h)| *h);
    let since = c.now - hours * 3_600_000;
    let list = deliveries::list(c.app(), &c.principal, query.clone())
        .await
        .map_err(|e| c.fail(e))?;
    let channels = names(&c).await?;
    let types = event_types(&c, list.iter().map(|d| d.event_id.as_str())).await?;
    let rows = list
        .into_iter()
        .filter(|d| {
            hours == 0
                || d.created_at
                    .parse::<jiff::Timestamp>()
                    .is_ok_and(|t| t.as_millisecond() >= since)
        })
        .map(|d| Row {
            channel: channels.get(&d.channel_id).cloned().unwrap_or_default(),
            event_type: types.get(&d.event_id).cloned().unwrap_or_default(),
            d,
        })
        .collect::<Vec<_>>();
    let failed_shown = rows.iter().any(|r| r.d.status == DeliveryStatus::Failed);
    Ok(html(&ListPage {
        c,
        rows,
        channels,
        status,
        channel,
        event_type,
        period,
        statuses: DeliveryStatus::ALL.iter().map(|s| s.as_str()).collect(),
        periods: &PERIODS,
        failed_shown,
    }))
}

/// The types of the events deliveries belong to: the recent feed, then one by one for
/// the few older ones.
async fn event_types<'a>(
    c: &Ctx,
    ids: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, String>, axum::response::Response> {
    let mut types: BTreeMap<String, String> = events::list(
        c.app(),
        &c.principal,
        EventQuery {
            limit: 500,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| c.fail(e))?
    .into_iter()
    .map(|e| (e.id, e.event_type))
    .collect();
    let missing: Vec<&str> = ids.filter(|id| !types.contains_key(*id)).collect();
    for id in missing.into_iter().take(50) {
        if let Ok(ulid) = parse_id("event", id)
            && let Ok(e) = events::get(c.app(), &c.principal, ulid).await
        {
            types.insert(e.id, e.event_type);
        }
    }
    Ok(types)
}

#[derive(Template)]
#[template(path = "ui/delivery.html")]
struct ShowPage {
    c: Ctx,
    d: DeliveryView,
    channel: String,
    event: Option<EventView>,
}

async fn show(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "deliveries";
    let id = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("delivery")))?;
    let d = deliveries::get(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    let channel = names(&c)
        .await?
        .get(&d.channel_id)
        .cloned()
        .unwrap_or_default();
    let event = match parse_id("event", &d.event_id) {
        Ok(eid) => events::get(c.app(), &c.principal, eid).await.ok(),
        Err(_) => None,
    };
    Ok(html(&ShowPage {
        c,
        d,
        channel,
        event,
    }))
}

async fn retry(c: Ctx, Path(id): Path<String>) -> Page {
    let id = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("delivery")))?;
    deliveries::retry(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    Ok(done(&format!("/ui/deliveries/{id}"), "retried"))
}

/// Retries every failed delivery (of a channel, when the form names one).
async fn retry_failed(c: Ctx, form: form::Form) -> Page {
    let query = DeliveryQuery {
        status: Some(DeliveryStatus::Failed),
        channel_id: form
            .text("channel")
            .and_then(|c| parse_id("channel", &c).ok()),
        limit: 500,
        ..Default::default()
    };
    let failed = deliveries::list(c.app(), &c.principal, query.clone())
        .await
        .map_err(|e| c.fail(e))?;
    for d in failed {
        if let Ok(id) = parse_id("id", &d.id) {
            // One that changed state meanwhile is simply no longer failed.
            match deliveries::retry(c.app(), &c.principal, id).await {
                Ok(_) | Err(ServiceError::Conflict(_) | ServiceError::NotFound(_)) => {}
                Err(e) => return Err(c.fail(e)),
            }
        }
    }
    Ok(done("/ui/deliveries?status=failed", "retried-all"))
}
