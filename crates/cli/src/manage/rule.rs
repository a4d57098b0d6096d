//! `tocsin rule list|add|rm`.

use serde_json::{Value, json};

use super::channel::managed_by;
use super::{find_id, show};
use crate::client::{Api, ApiArgs, cell, pairs};
use crate::exit;
use crate::output::table;

#[derive(clap::Args)]
pub struct RuleArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(subcommand)]
    pub command: RuleCommand,
}

#[derive(clap::Subcommand)]
pub enum RuleCommand {
    /// List the standalone rules.
    List,
    /// Create a rule.
    Add {
        name: String,
        /// Channels (ids or names) the rule routes to.
        #[arg(long = "channel", required = true, value_name = "CHANNEL")]
        channels: Vec<String>,
        /// Event type patterns (`deploy.*`); none: every type.
        #[arg(long = "event", value_name = "PATTERN")]
        events: Vec<String>,
        /// A source label that must be equal, `key=value`.
        #[arg(long = "match", value_name = "KEY=VALUE")]
        matches: Vec<String>,
        /// A matcher: `application=~api-.*`, `environment!=staging`.
        #[arg(long = "matcher")]
        matchers: Vec<String>,
        /// ok, info, warning or critical.
        #[arg(long)]
        min_severity: Option<String>,
    },
    /// Delete rules.
    Rm {
        /// Ids or names.
        #[arg(required = true)]
        rules: Vec<String>,
    },
}

pub async fn run(api: Api, command: RuleCommand) -> anyhow::Result<u8> {
    match command {
        RuleCommand::List => {
            let list = api.get("/rules").await?;
            show(&api, &list, |list| {
                let rows: Vec<Vec<String>> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        vec![
                            cell(&r["id"]),
                            cell(&r["name"]),
                            cell(&r["events"]),
                            cell(&r["min_severity"]),
                            cell(&r["channels"]),
                            if r["enabled"] == true { "yes" } else { "no" }.into(),
                            managed_by(r),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "ID",
                        "NAME",
                        "EVENTS",
                        "MIN SEVERITY",
                        "CHANNELS",
                        "ENABLED",
                        "MANAGED BY",
                    ],
                    &rows,
                )
            });
            Ok(exit::OK)
        }
        RuleCommand::Add {
            name,
            channels,
            events,
            matches,
            matchers,
            min_severity,
        } => {
            let mut ids = Vec::new();
            for c in &channels {
                ids.push(find_id(&api, "channels", c).await?);
            }
            let mut body = json!({"name": name, "channels": ids, "events": events});
            if !matches.is_empty() {
                body["match"] = Value::Object(pairs(&matches, "--match")?);
            }
            if !matchers.is_empty() {
                body["matchers"] = json!(matchers);
            }
            if let Some(s) = min_severity {
                body["min_severity"] = json!(s);
            }
            let created = api.post("/rules", &body).await?;
            show(&api, &created, |r| {
                format!("created rule {} ({})\n", cell(&r["name"]), cell(&r["id"]))
            });
            Ok(exit::OK)
        }
        RuleCommand::Rm { rules } => {
            for r in rules {
                let id = find_id(&api, "rules", &r).await?;
                api.delete(&format!("/rules/{id}")).await?;
                if !api.json {
                    println!("deleted rule {r}");
                }
            }
            Ok(exit::OK)
        }
    }
}
