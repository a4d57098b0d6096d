//! Managing a running server through its API: one module per resource.

pub mod channel;
pub mod deliveries;
pub mod event;
pub mod rule;
pub mod token;

use std::future::Future;

use crate::client::{Api, ApiArgs};
use crate::exit;

/// Runs one management command on a current-thread runtime; errors go to stderr with 1.
pub fn run<F, Fut>(args: &ApiArgs, command: F) -> u8
where
    F: FnOnce(Api) -> Fut,
    Fut: Future<Output = anyhow::Result<u8>>,
{
    let result = (|| {
        let api = Api::new(args)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(command(api))
    })();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit::FAILURE
        }
    }
}

/// Prints JSON for `--json`, else the table `human` makes.
pub fn show(
    api: &Api,
    value: &serde_json::Value,
    human: impl FnOnce(&serde_json::Value) -> String,
) {
    if api.json {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        );
    } else {
        print!("{}", human(value));
    }
}

/// The id of a channel or rule given by id or by name.
pub async fn find_id(api: &Api, collection: &str, given: &str) -> anyhow::Result<String> {
    if given.parse::<ulid::Ulid>().is_ok() {
        return Ok(given.to_owned());
    }
    let list = api.get(&format!("/{collection}")).await?;
    let matches: Vec<&serde_json::Value> = list
        .as_array()
        .map(|a| a.iter().filter(|o| o["name"] == given).collect())
        .unwrap_or_default();
    match matches.as_slice() {
        [one] => Ok(crate::client::cell(&one["id"])),
        [] => anyhow::bail!("no {} is named `{given}`", singular(collection)),
        _ => anyhow::bail!("several {collection} are named `{given}`; give the id"),
    }
}

fn singular(collection: &str) -> &str {
    collection.strip_suffix('s').unwrap_or(collection)
}
