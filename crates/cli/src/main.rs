//! The `tocsin` command.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tocsin_server::{Application, Config};

mod keys;
mod migrate;

#[derive(Parser)]
#[command(
    name = "tocsin",
    version,
    about = "A self-hosted notification hub: events in, notifications out."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: the HTTP API and the delivery workers.
    Serve(ServeArgs),
    /// The master key that encrypts stored secrets: generate one, or rotate it.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Bring the database's schema up to date, then exit.
    Migrate(migrate::MigrateArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Configuration file (default: ./tocsin.toml when it exists).
    #[arg(long, short, env = "TOCSIN_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on [env: TOCSIN_LISTEN] (default 127.0.0.1:8400).
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Directory of the database and key file [env: TOCSIN_DATA_DIR] (default ./tocsin-data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve(args),
        Command::Keys(command) => keys::run(command),
        Command::Migrate(args) => migrate::run(args),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut overrides = figment::Figment::new();
    if let Some(listen) = args.listen {
        overrides = overrides.merge(("listen", listen.to_string()));
    }
    if let Some(dir) = args.data_dir {
        overrides = overrides.merge(("data_dir", dir));
    }
    let config = Config::load(args.config.as_deref(), overrides)?;
    init_logging(&config.log_format);
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let app = Application::build(config).await?;
        if let Some(token) = &app.first_admin_token {
            // Printed once, to the terminal only, never to the log.
            println!("Created the first admin API token (shown only this once; keep it safe):\n\n    {token}\n");
        }
        tracing::info!(address = %app.local_addr(), "listening");
        app.run_until_stopped(true).await
    })
}

fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("TOCSIN_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
