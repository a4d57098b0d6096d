//! `tocsin event emit`.

use serde_json::{Value, json};

use super::show;
use crate::client::{Api, ApiArgs, cell, pairs};
use crate::exit;

#[derive(clap::Args)]
pub struct EventArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(subcommand)]
    pub command: EventCommand,
}

#[derive(clap::Subcommand)]
pub enum EventCommand {
    /// Post an event, as an application would.
    Emit {
        /// The event type, e.g. deploy.success.
        #[arg(value_name = "TYPE")]
        event_type: String,
        #[arg(short, long)]
        title: Option<String>,
        #[arg(short, long)]
        message: Option<String>,
        /// ok, info, warning or critical.
        #[arg(short, long)]
        severity: Option<String>,
        /// A source label, `key=value` (application=api, environment=production).
        #[arg(long = "source", value_name = "KEY=VALUE")]
        source: Vec<String>,
        /// Free JSON for templates.
        #[arg(long, value_name = "JSON")]
        data: Option<String>,
        #[arg(long)]
        idempotency_key: Option<String>,
        #[arg(long, requires = "state")]
        state_key: Option<String>,
        #[arg(long, requires = "state_key")]
        state: Option<String>,
    },
}

pub async fn run(api: Api, command: EventCommand) -> anyhow::Result<u8> {
    let EventCommand::Emit {
        event_type,
        title,
        message,
        severity,
        source,
        data,
        idempotency_key,
        state_key,
        state,
    } = command;
    let mut body = json!({"type": event_type});
    let optional = [
        ("title", title),
        ("message", message),
        ("severity", severity),
        ("idempotency_key", idempotency_key),
        ("state_key", state_key),
        ("state", state),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            body[key] = json!(v);
        }
    }
    if !source.is_empty() {
        body["source"] = Value::Object(pairs(&source, "--source")?);
    }
    if let Some(data) = data {
        body["data"] =
            serde_json::from_str(&data).map_err(|e| anyhow::anyhow!("--data is not JSON: {e}"))?;
    }
    let accepted = api.post("/events", &body).await?;
    show(&api, &accepted, |a| {
        let mut out = format!(
            "event {}: {} deliveries",
            cell(&a["id"]),
            cell(&a["deliveries"])
        );
        if a["duplicate"] == true {
            out.push_str(" (a repeated idempotency key: nothing new was created)");
        }
        if a["suppressed"] == true {
            out.push_str(&format!(" (suppressed: {})", cell(&a["reason"])));
        }
        out + "\n"
    });
    Ok(exit::OK)
}
