//! Prometheus metrics. The recorder is process-wide (the `metrics` facade has one global
//! slot); `/metrics` renders it after refreshing the gauges read from the store.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const EVENTS_RECEIVED: &str = "tocsin_events_received_total";
pub const EVENTS_DUPLICATE: &str = "tocsin_events_duplicate_total";
pub const EVENTS_SUPPRESSED: &str = "tocsin_events_suppressed_total";
pub const DELIVERIES_CREATED: &str = "tocsin_deliveries_created_total";
pub const ATTEMPTS: &str = "tocsin_delivery_attempts_total";
pub const ATTEMPT_DURATION: &str = "tocsin_delivery_attempt_duration_seconds";
pub const RETRIES: &str = "tocsin_delivery_retries_total";
pub const QUEUE_DEPTH: &str = "tocsin_queue_depth";
pub const LEASES_REAPED: &str = "tocsin_leases_reaped_total";
pub const RATE_LIMITED: &str = "tocsin_rate_limited_total";
pub const DELIVERIES_PACED: &str = "tocsin_deliveries_paced_total";
pub const DELIVERIES_HELD: &str = "tocsin_deliveries_held_total";
pub const GROUP_COMMIT_EVENTS: &str = "tocsin_group_commit_events";

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the recorder on first use and returns the handle that renders it.
pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full(ATTEMPT_DURATION.into()),
                    &[
                        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    ],
                )
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(GROUP_COMMIT_EVENTS.into()),
                        &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0],
                    )
                })
                .map(PrometheusBuilder::build_recorder)
                // Only fails on an empty bucket list, and ours are literals.
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            // Fails only if another recorder was installed first, e.g. by an embedding
            // program; then that one receives the metrics.
            let _ = metrics::set_global_recorder(recorder);
            describe();
            handle
        })
        .clone()
}

fn describe() {
    metrics::describe_counter!(EVENTS_RECEIVED, "Events accepted through the API.");
    metrics::describe_counter!(
        EVENTS_DUPLICATE,
        "Events answered from an earlier event with the same idempotency key."
    );
    metrics::describe_counter!(
        EVENTS_SUPPRESSED,
        "Events stored without deliveries because their state was no transition."
    );
    metrics::describe_counter!(DELIVERIES_CREATED, "Deliveries queued by routing.");
    metrics::describe_counter!(ATTEMPTS, "Delivery attempts, by channel kind and outcome.");
    metrics::describe_histogram!(
        ATTEMPT_DURATION,
        metrics::Unit::Seconds,
        "Duration of delivery attempts."
    );
    metrics::describe_counter!(RETRIES, "Attempts that scheduled a retry.");
    metrics::describe_gauge!(QUEUE_DEPTH, "Deliveries waiting or in flight, by status.");
    metrics::describe_counter!(
        LEASES_REAPED,
        "Claimed deliveries made due again after their worker stopped."
    );
    metrics::describe_counter!(
        RATE_LIMITED,
        "Requests refused with 429, by limit (application, token)."
    );
    metrics::describe_counter!(
        DELIVERIES_PACED,
        "Claimed deliveries put back to wait for their channel's pace."
    );
    metrics::describe_counter!(
        DELIVERIES_HELD,
        "Claimed deliveries put back because their channel had as many in flight as it may."
    );
    metrics::describe_histogram!(
        GROUP_COMMIT_EVENTS,
        "Events written by each group commit (one transaction, one sync to disk)."
    );
}
