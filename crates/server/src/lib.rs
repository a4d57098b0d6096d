//! Tocsin's I/O shell: configuration, the HTTP API, the dispatch workers, the guarded
//! outbound transport and metrics, around the pure core (`tocsin-core`), the providers
//! (`tocsin-providers`) and the store (`tocsin-store`).

pub mod api;
pub mod app;
pub mod clock;
pub mod config;
pub mod declared;
pub mod dispatch;
pub mod limits;
pub mod metrics;
pub mod secrets;
pub mod service;
pub mod state;
pub mod transport;
pub mod ui;

pub use app::Application;
pub use config::Config;
