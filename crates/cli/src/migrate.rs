//! `tocsin migrate`: brings the database's schema up to date and exits, for operators who
//! migrate before they start (or upgrade) their nodes. `tocsin serve` migrates at start too;
//! both refuse a database whose schema is newer than the binary.

use std::path::PathBuf;

use anyhow::Context;
use tocsin_server::Config;

#[derive(clap::Args)]
pub struct MigrateArgs {
    /// Configuration file (default: ./tocsin.toml when it exists).
    #[arg(long, short, env = "TOCSIN_CONFIG")]
    config: Option<PathBuf>,
    /// Directory of the SQLite database [env: TOCSIN_DATA_DIR] (default ./tocsin-data);
    /// unused when TOCSIN_DATABASE_URL names a database.
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

pub fn run(args: MigrateArgs) -> anyhow::Result<()> {
    let mut overrides = figment::Figment::new();
    if let Some(dir) = args.data_dir {
        overrides = overrides.merge(("data_dir", dir));
    }
    let config = Config::load(args.config.as_deref(), overrides)?;
    let url = config.database();
    let shown = tocsin_store::redact_url(&url);
    if tocsin_store::Backend::of(&url).context("TOCSIN_DATABASE_URL")?
        == tocsin_store::Backend::Sqlite
        && config.database_url.as_deref().is_none_or(str::is_empty)
    {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data directory {}",
                config.data_dir.display()
            )
        })?;
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let migrated = runtime
        .block_on(tocsin_store::migrate(&url))
        .with_context(|| format!("cannot migrate the database {shown}"))?;
    if migrated.before == migrated.after {
        println!(
            "{shown}: schema already at version {} (the newest this binary knows)",
            migrated.after
        );
    } else {
        println!(
            "{shown}: schema migrated from version {} to {}",
            migrated.before, migrated.after
        );
    }
    Ok(())
}
