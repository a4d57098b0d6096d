//! `tocsin deliveries list|retry`.

use serde_json::json;

use super::{find_id, show};
use crate::client::{Api, ApiArgs, cell};
use crate::exit;
use crate::output::table;

#[derive(clap::Args)]
pub struct DeliveriesArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(subcommand)]
    pub command: DeliveriesCommand,
}

#[derive(clap::Subcommand)]
pub enum DeliveriesCommand {
    /// The delivery log, newest first.
    List {
        /// pending, sending, delivered, retrying or failed.
        #[arg(long)]
        status: Option<String>,
        /// A channel id or name.
        #[arg(long)]
        channel: Option<String>,
        /// An event type.
        #[arg(long = "type", value_name = "TYPE")]
        event_type: Option<String>,
        /// At most this many (default 50).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Send failed deliveries again, from the start of their retry schedule.
    Retry {
        #[arg(required = true)]
        ids: Vec<String>,
    },
}

pub async fn run(api: Api, command: DeliveriesCommand) -> anyhow::Result<u8> {
    match command {
        DeliveriesCommand::List {
            status,
            channel,
            event_type,
            limit,
        } => {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            if let Some(s) = status {
                query.append_pair("status", &s);
            }
            if let Some(c) = channel {
                query.append_pair("channel", &find_id(&api, "channels", &c).await?);
            }
            if let Some(t) = event_type {
                query.append_pair("type", &t);
            }
            if let Some(l) = limit {
                query.append_pair("limit", &l.to_string());
            }
            let query = query.finish();
            let path = if query.is_empty() {
                "/deliveries".to_owned()
            } else {
                format!("/deliveries?{query}")
            };
            let list = api.get(&path).await?;
            show(&api, &list, |list| {
                let rows: Vec<Vec<String>> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        vec![
                            cell(&d["id"]),
                            cell(&d["event_id"]),
                            cell(&d["channel_id"]),
                            cell(&d["status"]),
                            cell(&d["attempt_count"]),
                            cell(&d["updated_at"]),
                            cell(&d["last_error"]),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "ID",
                        "EVENT",
                        "CHANNEL",
                        "STATUS",
                        "ATTEMPTS",
                        "UPDATED",
                        "LAST ERROR",
                    ],
                    &rows,
                )
            });
            Ok(exit::OK)
        }
        DeliveriesCommand::Retry { ids } => {
            for id in ids {
                let answer = api
                    .post(&format!("/deliveries/{id}/retry"), &json!({}))
                    .await?;
                show(&api, &answer, |_| {
                    format!("delivery {id} scheduled again\n")
                });
            }
            Ok(exit::OK)
        }
    }
}
