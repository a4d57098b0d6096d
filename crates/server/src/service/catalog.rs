//! The event catalogue as the interfaces show it: every well-known type and the presets.

use serde::Serialize;
use tocsin_core::catalog::{EVENT_TYPES, EventType, Preset};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Catalogue {
    pub events: Vec<EventType>,
    /// The types each preset stands for; event patterns name a preset as `@defaults`.
    pub presets: Presets,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Presets {
    /// What a channel created without `events` subscribes to.
    pub defaults: Vec<&'static str>,
    /// The audit actions that delete something or take access away.
    pub destructive: Vec<&'static str>,
}

pub fn catalogue() -> Catalogue {
    Catalogue {
        events: EVENT_TYPES.to_vec(),
        presets: Presets {
            defaults: Preset::Defaults.types().collect(),
            destructive: Preset::Destructive.types().collect(),
        },
    }
}
