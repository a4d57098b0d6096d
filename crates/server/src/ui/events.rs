//! The event feed with search, and an event's page with its deliveries and attempts.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::Uri;
use axum::routing::get;
use tocsin_store::EventQuery;

use super::channels::names;
use super::{Ctx, Page, UiState, form, html};
use crate::service::{EventView, ServiceError, events, parse_id};

pub fn routes() -> Router<UiState> {
    Router::new()
        .route("/ui/events", get(list))
        .route("/ui/events/{id}", get(show))
}

#[derive(Template)]
#[template(path = "ui/events.html")]
struct ListPage {
    c: Ctx,
    events: Vec<EventView>,
    q: String,
    event_type: String,
}

/// Whether an event's type, title, message or labels contain the search, ignoring case.
fn matches(e: &EventView, q: &str) -> bool {
    let q = q.to_lowercase();
    [&e.event_type, &e.title, &e.message]
        .into_iter()
        .chain(e.source.values())
        .any(|t| t.to_lowercase().contains(&q))
}

async fn list(mut c: Ctx, uri: Uri) -> Page {
    c.nav = "events";
    let query = form::query(&uri);
    let q = query.text("q").unwrap_or_default();
    let event_type = query.text("type").unwrap_or_default();
    // The search reads the newest events; the store filters by type only.
    let events = events::list(
        c.app(),
        &c.principal,
        EventQuery {
            event_type: (!event_type.is_empty()).then(|| event_type.clone()),
            before: None,
            limit: if q.is_empty() { 100 } else { 500 },
            ..Default::default()
        },
    )
    .await
    .map_err(|e| c.fail(e))?
    .into_iter()
    .filter(|e| q.is_empty() || matches(e, &q))
    .take(100)
    .collect();
    Ok(html(&ListPage {
        c,
        events,
        q,
        event_type,
    }))
}

#[derive(Template)]
#[template(path = "ui/event.html")]
struct ShowPage {
    c: Ctx,
    e: EventView,
    data: String,
    channels: BTreeMap<String, String>,
}

async fn show(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "events";
    let id = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("event")))?;
    let e = events::get(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    let data = serde_json::to_string_pretty(&e.data).unwrap_or_default();
    let channels = names(&c).await?;
    Ok(html(&ShowPage {
        c,
        e,
        data,
        channels,
    }))
}
