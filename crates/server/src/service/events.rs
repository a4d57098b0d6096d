//! Accepting events: validate, deduplicate by idempotency key, route, and commit the event
//! with its deliveries in one transaction before answering. An event with a `state` queues
//! its deliveries only on a transition of its `state_key` (decided in that transaction).

use serde::Serialize;
use tocsin_core::FieldError;
use tocsin_core::catalog;
use tocsin_core::event::{Event, EventInput};
use tocsin_core::id::new_id;
use tocsin_core::monitor::StateChange;
use tocsin_core::routing::route_indexed;
use tocsin_store::{EventQuery, Inserted, NewDelivery};
use ulid::Ulid;
use utoipa::ToSchema;

use super::{EventView, Principal, Scope, ServiceError, ServiceResult, deliveries};
use crate::limits::Denied;
use crate::metrics as m;
use crate::state::AppState;

/// The answer to an accepted event.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Accepted {
    pub id: String,
    /// How many deliveries were queued.
    pub deliveries: u32,
    /// True when an earlier event had the same idempotency key; nothing new was created.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
    /// True when the event's `state` is no transition for its `state_key` (the same state
    /// again, or a first state that is a good one): the event was stored, nothing was queued.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// Why the event was suppressed, e.g. `state unchanged (down)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Accepts one event. Returns once the event and all its deliveries are committed.
pub async fn ingest(
    state: &AppState,
    principal: &Principal,
    input: EventInput,
) -> ServiceResult<Accepted> {
    principal.require(Scope::EventsWrite)?;
    let mut event = Event::parse(input, new_id(), state.now())?;
    check_posted(principal, &mut event)?;
    accept(state, event).await
}

/// What every event a client posts must pass beyond its own validity: it is not one of
/// Tocsin's own audit events, and it belongs to the principal's tenant.
pub(crate) fn check_posted(principal: &Principal, event: &mut Event) -> Result<(), FieldError> {
    if catalog::is_tocsin_audit(&event.event_type) {
        return Err(FieldError::new(
            "type",
            format!(
                "`{}` is reserved for Tocsin's own audit events; use another type",
                event.event_type
            ),
        ));
    }
    bind_to_tenant(principal, event)
}

/// An event of a tenant-bound principal is its tenant's: `source.customer` is set to the
/// tenant, and another customer is refused.
pub(crate) fn bind_to_tenant(principal: &Principal, event: &mut Event) -> Result<(), FieldError> {
    let Some(tenant) = &principal.tenant else {
        return Ok(());
    };
    match event.source.get("customer") {
        Some(customer) if customer != tenant => Err(FieldError::new(
            "source.customer",
            format!("a token of tenant `{tenant}` posts only events of customer `{tenant}`"),
        )),
        Some(_) => Ok(()),
        None => {
            event.source.insert("customer".into(), tenant.clone());
            Ok(())
        }
    }
}

/// Routes a valid event and commits it with its deliveries: those of its routes, or none
/// when its state is no transition. Every ingest path ends here. An event over its
/// application's rate limit is refused and nothing is stored.
pub(crate) async fn accept(state: &AppState, event: Event) -> ServiceResult<Accepted> {
    admit(state, std::slice::from_ref(&event))?;
    commit(state, event).await
}

/// As [`accept`] for the events of one payload: the rate limit takes all of them or none,
/// so a refused payload stores nothing; each event is then committed in its own transaction.
pub(crate) async fn accept_all(
    state: &AppState,
    events: Vec<Event>,
) -> ServiceResult<Vec<Accepted>> {
    admit(state, &events)?;
    let mut accepted = Vec::with_capacity(events.len());
    for event in events {
        accepted.push(commit(state, event).await?);
    }
    Ok(accepted)
}

/// Takes the events from their applications' ingest budgets (`[api]
/// events_per_minute_per_application`), all or none.
fn admit(state: &AppState, events: &[Event]) -> ServiceResult<()> {
    let applications = events
        .iter()
        .map(|e| e.source.get("application").map(String::as_str));
    let Err((application, denied)) = state.api_limits.admit_events(applications, state.now())
    else {
        return Ok(());
    };
    metrics::counter!(m::RATE_LIMITED, "limit" => "application").increment(1);
    let wait = denied.retry_after_secs();
    let limit = state.api_limits.events_per_minute().unwrap_or_default();
    let message = match (denied, application) {
        (Denied::Full { .. }, _) => format!(
            "more than {} applications are sending events at once to this server; \
             try again in {wait} s",
            crate::limits::MAX_KEYS
        ),
        (Denied::Over { .. }, Some(application)) => format!(
            "application `{application}` sent more than {limit} events in a minute; \
             try again in {wait} s (the limit is api.events_per_minute_per_application)"
        ),
        (Denied::Over { .. }, None) => format!(
            "events without source.application sent more than {limit} in a minute; \
             try again in {wait} s (the limit is api.events_per_minute_per_application)"
        ),
    };
    Err(ServiceError::RateLimited {
        message,
        retry_after_secs: wait,
    })
}

/// Routes an admitted event and commits it with its deliveries.
async fn commit(state: &AppState, event: Event) -> ServiceResult<Accepted> {
    let snapshot = state.routing.get(state.store.as_ref()).await?;
    let routes = route_indexed(
        &event,
        &snapshot.rules,
        &snapshot.index,
        &snapshot.gates(),
        &snapshot.mute_windows,
    );
    let deliveries: Vec<NewDelivery> = routes
        .into_iter()
        .map(|route| NewDelivery {
            id: new_id(),
            channel_id: route.channel,
            recipients: route.recipients,
            template: route.template,
            rules: route.rules,
        })
        .collect();
    let id = event.id;
    match state.commits.insert(event, deliveries).await? {
        Inserted::Created {
            deliveries,
            state_change,
        } => {
            metrics::counter!(m::EVENTS_RECEIVED).increment(1);
            metrics::counter!(m::DELIVERIES_CREATED).increment(u64::from(deliveries));
            if deliveries > 0 {
                state.wake.notify_one();
            }
            // An unchanged state that a rule's repeat_interval notifies again is no suppression.
            let reason = state_change
                .as_ref()
                .filter(|_| deliveries == 0)
                .and_then(StateChange::suppressed_because);
            if reason.is_some() {
                metrics::counter!(m::EVENTS_SUPPRESSED).increment(1);
            }
            Ok(Accepted {
                id: id.to_string(),
                deliveries,
                duplicate: false,
                suppressed: reason.is_some(),
                reason,
            })
        }
        Inserted::Duplicate { id, deliveries } => {
            metrics::counter!(m::EVENTS_DUPLICATE).increment(1);
            Ok(Accepted {
                id: id.to_string(),
                deliveries,
                duplicate: true,
                suppressed: false,
                reason: None,
            })
        }
    }
}

/// An event with its deliveries and their attempts. A tenant-bound principal sees only
/// its tenant's events (`source.customer`), with the deliveries to its tenant's channels.
pub async fn get(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<EventView> {
    principal.require(Scope::DeliveriesRead)?;
    let event = state
        .store
        .get_event(id)
        .await?
        .filter(|e| principal.sees(e.source.get("customer").map(String::as_str)))
        .ok_or(ServiceError::NotFound("event"))?;
    let mut shown = Vec::new();
    for d in state.store.deliveries_of_event(id).await? {
        if deliveries::sees_channel(state, principal, d.0.channel_id).await? {
            shown.push(d);
        }
    }
    Ok(EventView::new(&event, Some(&shown)))
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    query: EventQuery,
) -> ServiceResult<Vec<EventView>> {
    principal.require(Scope::DeliveriesRead)?;
    let query = EventQuery {
        customer: principal.tenant.clone().or(query.customer),
        // Asking for an audit type shows the audit events; the feed leaves them out.
        audit: query.audit
            || query
                .event_type
                .as_deref()
                .is_some_and(catalog::is_tocsin_audit),
        ..query
    };
    Ok(state
        .store
        .list_events(&query)
        .await?
        .iter()
        .map(|e| EventView::new(e, None))
        .collect())
}
