//! Building and running the application: open the store, build the shared state, start the
//! dispatcher and the HTTP server, and stop both cleanly on a signal.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tocsin_core::address::AddressPolicy;
use tocsin_store::{Backend, Signal, Store, redact_url};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::limits::ApiLimits;
use crate::state::{AppState, Inner, RoutingCache, token_hash};
use crate::transport::{HttpTransport, SmtpTransport};
use crate::{api, dispatch, metrics, service, ui};

/// A built application, bound to its port, not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    shutdown_tx: watch::Sender<bool>,
    /// The first admin token, when this start created it; shown once.
    pub first_admin_token: Option<String>,
}

/// Opens the store a configuration names: SQLite (the default) or PostgreSQL, by the URL's
/// scheme.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = config.database();
    if Backend::of(&url).context("TOCSIN_DATABASE_URL")? == Backend::Sqlite
        && config.database_url.as_deref().is_none_or(str::is_empty)
    {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    tocsin_store::open(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(&url)))
}

/// Acts on what other nodes sharing the database announce: new deliveries wake the
/// dispatcher, routing changes drop the cached routing.
fn follow_signals(state: AppState, mut signals: mpsc::Receiver<Signal>) {
    tokio::spawn(async move {
        while let Some(signal) = signals.recv().await {
            match signal {
                Signal::Queued => state.wake.notify_one(),
                Signal::RoutingChanged => state.routing.invalidate().await,
            }
        }
    });
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As `build`, reading time from `clock` (tests move it by hand).
    pub async fn build_with_clock(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let (store, _) = crate::secrets::seal_store(&config, open_store(&config).await?).await?;
        let store: Arc<dyn Store> = Arc::new(store);
        let policy = AddressPolicy::parse(&config.allow_private)
            .map_err(|e| anyhow::anyhow!("allow_private: {}", e.message))?;
        let smtp = SmtpTransport::new(policy.clone(), config.delivery.timeout());
        let transport = HttpTransport::new(policy, config.delivery.timeout())?;
        let retry_schedule = config
            .retry_schedule()
            .map_err(|e| anyhow::anyhow!("delivery.retry_schedule: {}", e.message))?;
        let admin_token_hash = config.admin_token.as_ref().map(|t| {
            use secrecy::ExposeSecret;
            token_hash(t.expose_secret())
        });
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let identity = config.identity();
        let secret_refs = crate::secrets::RefPolicy::new(&config.secret_dirs);
        let api_limits = ApiLimits::new(
            config.api.events_per_minute_per_application,
            config.api.requests_per_minute_per_token,
        );
        let commits = service::commit::GroupCommit::start(store.clone());
        let state = AppState::new(Inner {
            store,
            commits,
            identity,
            config,
            clock,
            transport,
            smtp,
            retry_schedule,
            routing: RoutingCache::default(),
            wake: Default::default(),
            admin_token_hash,
            api_limits,
            metrics: metrics::handle(),
            secret_refs,
        });
        if let Some(signals) = state.store.signals().await {
            follow_signals(state.clone(), signals);
        }
        let first_admin_token = service::tokens::bootstrap_admin(&state).await?;
        reconcile_declared(&state).await?;
        let (shutdown_tx, _) = watch::channel(false);
        Ok(Self {
            listener,
            state,
            shutdown_tx,
            first_admin_token,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        // A bound listener always has an address.
        self.listener
            .local_addr()
            .unwrap_or(self.state.config.listen)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle that stops the application when triggered.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle(self.shutdown_tx.clone())
    }

    /// Serves until a shutdown is triggered (by the handle or, with `signals`, by SIGTERM
    /// or SIGINT): stops accepting requests, lets requests and deliveries in flight finish,
    /// and gives unfinished deliveries back to the queue.
    pub async fn run_until_stopped(self, signals: bool) -> anyhow::Result<()> {
        let Application {
            listener,
            state,
            shutdown_tx,
            ..
        } = self;
        if signals {
            let tx = shutdown_tx.clone();
            tokio::spawn(async move {
                wait_for_signal().await;
                tracing::info!("shutting down");
                let _ = tx.send(true);
            });
        }
        if signals {
            tokio::spawn(reload_on_hangup(state.clone(), shutdown_tx.subscribe()));
        }
        let dispatcher: JoinHandle<()> =
            tokio::spawn(dispatch::run(state.clone(), shutdown_tx.subscribe()));
        let mut stop = shutdown_tx.subscribe();
        let mut stopping = shutdown_tx.subscribe();
        let grace = std::time::Duration::from_secs(state.config.delivery.shutdown_grace_secs);
        let app = api::router(state.clone()).merge(ui::router(state.clone()));
        let serve = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|s| *s).await;
            })
            .into_future();
        // Requests still open a grace period after the signal (a client that stalls half
        // way through one, say) are not waited for: an event is answered 202 only once it
        // is committed, so a request cut off here was either not accepted or is on disk.
        tokio::select! {
            served = serve => served.context("the HTTP server failed")?,
            _ = async {
                let _ = stopping.wait_for(|s| *s).await;
                tokio::time::sleep(grace).await;
            } => tracing::warn!("requests still open after the grace period are closed"),
        }
        dispatcher.await.context("the dispatcher failed")?;
        Ok(())
    }
}

/// The name the audit log gives changes the configuration file makes (at start and on
/// SIGHUP; `POST /api/v1/reload` records the calling token instead).
const CONFIG_PRINCIPAL: &str = "config file";

/// Reconciles the channels and rules the configuration declares, at start. A declaration
/// the store refuses is logged; the server starts with the rest.
async fn reconcile_declared(state: &AppState) -> anyhow::Result<()> {
    let config = &state.config;
    if config.channels.is_empty() && config.rules.is_empty() && config.source.is_none() {
        return Ok(());
    }
    let principal = service::Principal::admin(CONFIG_PRINCIPAL);
    let summary =
        service::reconcile::reconcile(state, &principal, &config.channels, &config.rules).await?;
    log_summary(&summary);
    Ok(())
}

fn log_summary(s: &service::reconcile::ReconcileSummary) {
    tracing::info!(
        channels_created = s.channels.created.len(),
        channels_updated = s.channels.updated.len(),
        channels_removed = s.channels.removed.len(),
        rules_created = s.rules.created.len(),
        rules_updated = s.rules.updated.len(),
        rules_removed = s.rules.removed.len(),
        "reconciled the declared channels and rules"
    );
    for e in &s.errors {
        tracing::warn!(object = %e.object, name = %e.name, error = %e.message, "a declaration was not applied");
    }
}

/// SIGHUP reads the configuration file again and reconciles what it declares.
async fn reload_on_hangup(state: AppState, mut stop: watch::Receiver<bool>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangup) = signal(SignalKind::hangup()) else {
            return;
        };
        loop {
            let hung_up = tokio::select! {
                got = hangup.recv() => got.is_some(),
                _ = stop.wait_for(|s| *s) => false,
            };
            if !hung_up {
                return;
            }
            tracing::info!("SIGHUP: reloading the configuration file");
            let principal = service::Principal::admin(CONFIG_PRINCIPAL);
            match service::reconcile::reload(&state, &principal).await {
                Ok(summary) => log_summary(&summary),
                Err(e) => tracing::warn!(error = %e, "reload failed; nothing changed"),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (state, stop.wait_for(|s| *s).await);
    }
}

#[derive(Clone)]
pub struct ShutdownHandle(watch::Sender<bool>);

impl ShutdownHandle {
    pub fn shutdown(&self) {
        let _ = self.0.send(true);
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
