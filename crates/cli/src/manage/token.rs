//! `tocsin token create|list|revoke`.

use serde_json::{Value, json};

use super::show;
use crate::client::{Api, ApiArgs, cell};
use crate::exit;
use crate::output::table;

#[derive(clap::Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token; it is shown once.
    Create {
        name: String,
        /// A scope (admin, channels:read, channels:write, events:write, …); repeat for more.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Bind the token to a tenant.
        #[arg(long)]
        tenant: Option<String>,
    },
    /// List API tokens (never the tokens themselves).
    List,
    /// Revoke a token by id.
    Revoke { id: String },
}

pub async fn run(api: Api, command: TokenCommand) -> anyhow::Result<u8> {
    match command {
        TokenCommand::Create {
            name,
            scopes,
            tenant,
        } => {
            let body = json!({"name": name, "scopes": scopes, "tenant": tenant});
            let created = api.post("/tokens", &body).await?;
            show(&api, &created, |t| {
                format!(
                    "created token {} ({}); shown only this once:\n\n    {}\n",
                    cell(&t["name"]),
                    cell(&t["id"]),
                    cell(&t["token"])
                )
            });
            Ok(exit::OK)
        }
        TokenCommand::List => {
            let list = api.get("/tokens").await?;
            show(&api, &list, |list| {
                let rows: Vec<Vec<String>> = list
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t: &Value| {
                        vec![
                            cell(&t["id"]),
                            cell(&t["name"]),
                            cell(&t["scopes"]),
                            cell(&t["tenant"]),
                            cell(&t["created_at"]),
                            cell(&t["last_used_at"]),
                        ]
                    })
                    .collect();
                table(
                    &["ID", "NAME", "SCOPES", "TENANT", "CREATED", "LAST USED"],
                    &rows,
                )
            });
            Ok(exit::OK)
        }
        TokenCommand::Revoke { id } => {
            api.delete(&format!("/tokens/{id}")).await?;
            if !api.json {
                println!("revoked token {id}");
            }
            Ok(exit::OK)
        }
    }
}
