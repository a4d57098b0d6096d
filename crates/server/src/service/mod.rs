//! The operations Tocsin offers, shared by every interface (JSON API, CLI, UI): each takes
//! the application state and checked input and returns domain results. Handlers only
//! translate HTTP to these calls and back.

use tocsin_core::FieldError;
use tocsin_store::StoreError;

pub mod audit;
pub mod catalog;
pub mod channels;
pub mod commit;
pub mod deliveries;
pub mod events;
pub mod ingest;
pub mod metrics_tokens;
pub mod mute_windows;
pub mod profiles;
pub mod reconcile;
pub mod rules;
pub mod states;
pub mod threshold;
pub mod tokens;
mod views;

pub use tokens::{Principal, Scope};
pub use views::*;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(FieldError),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// The principal lacks a scope; the message names it.
    #[error("{0}")]
    Forbidden(String),
    /// Over a rate limit: nothing was done; the same request succeeds after `retry_after_secs`.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(e)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Parses an id from a path or body.
pub fn parse_id(field: &str, text: &str) -> Result<ulid::Ulid, FieldError> {
    ulid::Ulid::from_string(text).map_err(|_| {
        FieldError::new(
            field,
            format!("`{text}` is not an id (26 characters, as returned on create)"),
        )
    })
}

/// Accepts `null` as a value distinct from a missing field: `Some(None)` clears.
pub(crate) fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}
