//! `tocsin keys`: the master key that seals stored secrets. `generate` prints a new key;
//! `rotate` re-encrypts every stored secret under a new key, with the server stopped.

use std::path::PathBuf;

use anyhow::Context;
use tocsin_server::Config;
use tocsin_server::secrets;

#[derive(clap::Subcommand)]
pub enum KeysCommand {
    /// Print a new random master key (base64 of 32 bytes), for TOCSIN_SECRET_KEY or
    /// `--new-key-file`.
    Generate,
    /// Re-encrypt every stored secret under a new master key, in one transaction, and
    /// install the new key in the key file. Stop the server first.
    Rotate(RotateArgs),
}

#[derive(clap::Args)]
pub struct RotateArgs {
    /// Configuration file (default: ./tocsin.toml when it exists).
    #[arg(long, short, env = "TOCSIN_CONFIG")]
    config: Option<PathBuf>,
    /// Directory of the database and key file [env: TOCSIN_DATA_DIR] (default ./tocsin-data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// A file holding the new key (as `tocsin keys generate` prints it; mode 0600).
    /// Default: a new random key. Required when the key comes from TOCSIN_SECRET_KEY.
    #[arg(long)]
    new_key_file: Option<PathBuf>,
}

pub fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Generate => {
            println!("{}", secrets::MasterKey::generate().encode());
            Ok(())
        }
        KeysCommand::Rotate(args) => rotate(args),
    }
}

fn rotate(args: RotateArgs) -> anyhow::Result<()> {
    let mut overrides = figment::Figment::new();
    if let Some(dir) = args.data_dir {
        overrides = overrides.merge(("data_dir", dir));
    }
    let config = Config::load(args.config.as_deref(), overrides)?;
    let new_key = args
        .new_key_file
        .as_deref()
        .map(secrets::read_key_file)
        .transpose()?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let done = runtime.block_on(async {
        let store = tocsin_server::app::open_store(&config).await?;
        secrets::rotate(&config, store, new_key).await
    })?;
    println!(
        "Re-encrypted {} secret(s) of {} channel(s) and {} sender profile(s): key {} replaces key {}.",
        done.secrets, done.channels, done.profiles, done.new_key_id, done.old_key_id
    );
    match done.key_file {
        Some(path) => println!("The new key is installed in {}.", path.display()),
        None => println!(
            "Now set TOCSIN_SECRET_KEY to the new key (the contents of the --new-key-file) \
             before starting the server; the old key opens nothing any more."
        ),
    }
    Ok(())
}
