//! `tocsin channel list|add|test|rm`.

use serde_json::{Value, json};

use super::{find_id, show};
use crate::client::{Api, ApiArgs, cell, pairs};
use crate::exit;
use crate::output::table;

#[derive(clap::Args)]
pub struct ChannelArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(subcommand)]
    pub command: ChannelCommand,
}

#[derive(clap::Subcommand)]
pub enum ChannelCommand {
    /// List the channels.
    List,
    /// Create a channel from a URL, or from --kind with --setting and --secret.
    Add {
        name: String,
        /// The channel as a URL (`ntfys://…`, `discord://…`, `https://hooks.slack.com/…`).
        url: Option<String>,
        #[arg(long)]
        kind: Option<String>,
        /// A setting, `key=value`; repeat for more.
        #[arg(long = "setting", value_name = "KEY=VALUE")]
        settings: Vec<String>,
        /// A secret, `key=value`; repeat for more.
        #[arg(long = "secret", value_name = "KEY=VALUE")]
        secrets: Vec<String>,
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Event type patterns the channel subscribes to (default: the catalogue's defaults).
        #[arg(long = "event", value_name = "PATTERN")]
        events: Vec<String>,
        /// A source label that must be equal, `key=value`.
        #[arg(long = "match", value_name = "KEY=VALUE")]
        matches: Vec<String>,
        /// Create it disabled.
        #[arg(long)]
        disabled: bool,
    },
    /// Send a test message through a saved channel, or through a URL without saving it.
    Test {
        /// The channel's id or name.
        channel: Option<String>,
        #[arg(long, conflicts_with = "channel")]
        url: Option<String>,
    },
    /// Delete channels.
    Rm {
        /// Ids or names.
        #[arg(required = true)]
        channels: Vec<String>,
    },
}

pub async fn run(api: Api, command: ChannelCommand) -> anyhow::Result<u8> {
    match command {
        ChannelCommand::List => {
            let list = api.get("/channels").await?;
            show(&api, &list, |list| {
                let rows: Vec<Vec<String>> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        vec![
                            cell(&c["id"]),
                            cell(&c["name"]),
                            cell(&c["kind"]),
                            if c["enabled"] == true { "yes" } else { "no" }.into(),
                            cell(&c["tags"]),
                            managed_by(c),
                            cell(&c["url"]),
                        ]
                    })
                    .collect();
                table(
                    &["ID", "NAME", "KIND", "ENABLED", "TAGS", "MANAGED BY", "URL"],
                    &rows,
                )
            });
            Ok(exit::OK)
        }
        ChannelCommand::Add {
            name,
            url,
            kind,
            settings,
            secrets,
            tags,
            events,
            matches,
            disabled,
        } => {
            let mut body = json!({"name": name, "enabled": !disabled});
            if let Some(url) = url {
                body["url"] = json!(url);
            }
            if let Some(kind) = kind {
                body["kind"] = json!(kind);
            }
            if !settings.is_empty() {
                body["settings"] = Value::Object(pairs(&settings, "--setting")?);
            }
            if !secrets.is_empty() {
                body["secrets"] = Value::Object(pairs(&secrets, "--secret")?);
            }
            if !tags.is_empty() {
                body["tags"] = json!(tags);
            }
            if !events.is_empty() {
                body["events"] = json!(events);
            }
            if !matches.is_empty() {
                body["match"] = Value::Object(pairs(&matches, "--match")?);
            }
            let created = api.post("/channels", &body).await?;
            show(&api, &created, |c| {
                let mut out = format!(
                    "created channel {} ({}, {})\n",
                    cell(&c["name"]),
                    cell(&c["kind"]),
                    cell(&c["id"])
                );
                if let Some(secret) = c["signing_secret"].as_str() {
                    // The server shows a generated signing secret once; so does this.
                    out.push_str(&format!(
                        "signing secret (shown once; receivers verify with it): {secret}\n"
                    ));
                }
                out
            });
            Ok(exit::OK)
        }
        ChannelCommand::Test { channel, url } => {
            let result = match (channel, url) {
                (Some(c), _) => {
                    let id = find_id(&api, "channels", &c).await?;
                    api.post(&format!("/channels/{id}/test"), &json!({}))
                        .await?
                }
                (None, Some(url)) => {
                    api.post("/channels/test", &json!({"name": "test", "url": url}))
                        .await?
                }
                (None, None) => anyhow::bail!("give a channel id or name, or --url"),
            };
            let ok = result["ok"] == true;
            show(&api, &result, |r| {
                let status = cell(&r["status"]);
                let status = if status.is_empty() {
                    "-".into()
                } else {
                    status
                };
                if ok {
                    format!("ok (status {status}, {} ms)\n", cell(&r["duration_ms"]))
                } else {
                    format!(
                        "failed (status {status}, {} ms): {}\n",
                        cell(&r["duration_ms"]),
                        cell(&r["error"])
                    )
                }
            });
            Ok(if ok { exit::OK } else { exit::FAILURE })
        }
        ChannelCommand::Rm { channels } => {
            for c in channels {
                let id = find_id(&api, "channels", &c).await?;
                api.delete(&format!("/channels/{id}")).await?;
                if !api.json {
                    println!("deleted channel {c}");
                }
            }
            Ok(exit::OK)
        }
    }
}

/// `config` or `api`; servers from before configuration as code say nothing: `api`.
pub fn managed_by(object: &Value) -> String {
    object["managed_by"].as_str().unwrap_or("api").to_owned()
}
