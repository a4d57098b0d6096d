//! Mute windows (quiet hours): named weekly intervals in a time zone that rules name in
//! their `mute` list. The time zone is looked up here, in the system's time zone database;
//! the window math is `core::mute`'s.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use tocsin_core::FieldError;
use tocsin_core::id::new_id;
use tocsin_core::mute::{IntervalText, MuteInterval, MuteWindow};
use tocsin_core::time::to_rfc3339;
use tocsin_store::MuteWindowDeletion;
use ulid::Ulid;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::{Principal, Scope, ServiceError, ServiceResult};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MuteWindowInput {
    pub name: Option<String>,
    /// An IANA time zone name: `Europe/Berlin`, `America/New_York`, `UTC`.
    pub time_zone: Option<String>,
    /// Weekly intervals, e.g. `{"days": ["mon", "tue", "wed", "thu", "fri"], "start":
    /// "22:00", "end": "07:00"}`; an end at or before the start is on the next day.
    pub intervals: Option<Vec<IntervalText>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MuteWindowView {
    pub id: String,
    pub name: String,
    pub time_zone: String,
    pub intervals: Vec<IntervalText>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&MuteWindow> for MuteWindowView {
    fn from(w: &MuteWindow) -> Self {
        Self {
            id: w.id.to_string(),
            name: w.name.clone(),
            time_zone: w.zone_name(),
            intervals: w.intervals.iter().map(MuteInterval::to_text).collect(),
            created_at: to_rfc3339(w.created_at),
            updated_at: to_rfc3339(w.updated_at),
        }
    }
}

fn time_zone(name: &str) -> Result<TimeZone, FieldError> {
    // Only named zones: a window follows its zone's daylight saving rules.
    if name.is_empty() || name.len() > 64 || name.starts_with(['/', '.']) || name.contains("..") {
        return Err(FieldError::new(
            "time_zone",
            format!("`{name}` is not a time zone name; write one like Europe/Berlin or UTC"),
        ));
    }
    TimeZone::get(name).map_err(|_| {
        FieldError::new(
            "time_zone",
            format!(
                "`{name}` is not a time zone this server knows; write an IANA name like \
                 Europe/Berlin or UTC (the server reads the system's tz database)"
            ),
        )
    })
}

fn build(
    input: &MuteWindowInput,
    previous: Option<&MuteWindow>,
    now: i64,
) -> Result<MuteWindow, FieldError> {
    let name = input
        .name
        .clone()
        .or_else(|| previous.map(|w| w.name.clone()))
        .ok_or_else(|| FieldError::new("name", "is required"))?;
    tocsin_core::channel::check_name(&name)?;
    let time_zone = match (&input.time_zone, previous) {
        (Some(text), _) => time_zone(text)?,
        (None, Some(w)) => w.time_zone.clone(),
        (None, None) => return Err(FieldError::new("time_zone", "is required")),
    };
    let intervals = match (&input.intervals, previous) {
        (Some(list), _) => MuteWindow::parse_intervals(list)?,
        (None, Some(w)) => w.intervals.clone(),
        (None, None) => return Err(FieldError::new("intervals", "is required")),
    };
    Ok(MuteWindow {
        id: previous.map_or_else(new_id, |w| w.id),
        name,
        time_zone,
        intervals,
        created_at: previous.map_or(now, |w| w.created_at),
        updated_at: now,
    })
}

fn change(window: &MuteWindow, action: &'static str) -> Change<'static> {
    let verb = action.rsplit('.').next().unwrap_or(action);
    Change {
        action,
        target_id: window.id.to_string(),
        tenant: None,
        summary: format!("mute window `{}` {verb}", window.name),
    }
}

/// Mute windows are server-wide: changing one takes `admin`; reading them, `rules:read`.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: MuteWindowInput,
) -> ServiceResult<MuteWindowView> {
    principal.require(Scope::Admin)?;
    let window = build(&input, None, state.now())?;
    state.store.create_mute_window(&window).await?;
    state.routing.invalidate().await;
    audit::record(state, principal, change(&window, "mute_window.created")).await;
    Ok(MuteWindowView::from(&window))
}

async fn find(state: &AppState, id: Ulid) -> ServiceResult<MuteWindow> {
    state
        .store
        .get_mute_window(id)
        .await?
        .ok_or(ServiceError::NotFound("mute window"))
}

pub async fn get(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
) -> ServiceResult<MuteWindowView> {
    principal.require(Scope::RulesRead)?;
    Ok(MuteWindowView::from(&find(state, id).await?))
}

pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<MuteWindowView>> {
    principal.require(Scope::RulesRead)?;
    Ok(state
        .store
        .list_mute_windows()
        .await?
        .iter()
        .map(MuteWindowView::from)
        .collect())
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    input: MuteWindowInput,
) -> ServiceResult<MuteWindowView> {
    principal.require(Scope::Admin)?;
    let previous = find(state, id).await?;
    let window = build(&input, Some(&previous), state.now())?;
    state.store.update_mute_window(&window).await?;
    state.routing.invalidate().await;
    audit::record(state, principal, change(&window, "mute_window.updated")).await;
    Ok(MuteWindowView::from(&window))
}

/// Deletes a window no rule names; one in use is a conflict that names the rules.
pub async fn delete(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<()> {
    principal.require(Scope::Admin)?;
    let window = find(state, id).await?;
    match state.store.delete_mute_window(id).await? {
        MuteWindowDeletion::Deleted => {
            state.routing.invalidate().await;
            audit::record(state, principal, change(&window, "mute_window.deleted")).await;
            Ok(())
        }
        MuteWindowDeletion::NotFound => Err(ServiceError::NotFound("mute window")),
        MuteWindowDeletion::InUse(rules) => {
            let names: Vec<String> = rules
                .iter()
                .map(|(id, name)| format!("{name} ({id})"))
                .collect();
            Err(ServiceError::Conflict(format!(
                "the mute window is named by the rules {}; take it out of their `mute` first",
                names.join(", ")
            )))
        }
    }
}
