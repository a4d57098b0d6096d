//! Operations endpoints, outside `/api/v1` and without a token: liveness, readiness and
//! Prometheus metrics.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::metrics as m;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/static/icon.png", get(icon))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: its database answers.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Tocsin's icon, for services that show a sender's picture (`TOCSIN_PUBLIC_URL`).
async fn icon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        &include_bytes!("../../assets/icon.png")[..],
    )
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.queue_depth().await {
        Ok(depth) => {
            metrics::gauge!(m::QUEUE_DEPTH, "status" => "pending").set(depth.pending as f64);
            metrics::gauge!(m::QUEUE_DEPTH, "status" => "retrying").set(depth.retrying as f64);
            metrics::gauge!(m::QUEUE_DEPTH, "status" => "sending").set(depth.sending as f64);
        }
        Err(e) => tracing::warn!(error = %e, "could not read the queue depth"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
