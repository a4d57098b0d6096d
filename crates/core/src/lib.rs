//! Tocsin's domain: what an event, a channel, a rule and a delivery are, how an event is
//! routed, how a delivery moves through its states, how a message is rendered from a
//! template and signed, and which network addresses may be reached. Nothing here does I/O:
//! every function takes its inputs (including the current time) and returns a value.

pub mod address;
pub mod catalog;
pub mod channel;
pub mod crypto;
pub mod delivery;
pub mod digest;
pub mod error;
pub mod event;
pub mod id;
pub mod ingest;
pub mod monitor;
pub mod mute;
pub mod outbound;
pub mod profile;
pub mod routing;
pub mod rule;
pub mod secret_ref;
pub mod signing;
pub mod template;
pub mod time;

pub use error::FieldError;
