//! The HTTP client of the management commands: the server's JSON API with a bearer token
//! from `TOCSIN_TOKEN`. API errors come back as their message (and field).

use anyhow::{Context, anyhow, bail};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Where the server is and how to show answers; shared by every management command.
#[derive(clap::Args, Clone)]
pub struct ApiArgs {
    /// The server's base URL.
    #[arg(
        long,
        env = "TOCSIN_SERVER",
        default_value = "http://127.0.0.1:8400",
        global = true
    )]
    pub server: String,
    /// Print the API's JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
}

pub struct Api {
    base: String,
    /// From `TOCSIN_TOKEN` only: a token on the command line would show in `ps`.
    token: Option<String>,
    http: reqwest::Client,
    pub json: bool,
}

impl Api {
    pub fn new(args: &ApiArgs) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Self {
            base: args.server.trim_end_matches('/').to_owned(),
            token: std::env::var("TOCSIN_TOKEN").ok().filter(|t| !t.is_empty()),
            http,
            json: args.json,
        })
    }

    pub async fn get(&self, path: &str) -> anyhow::Result<Value> {
        Ok(self
            .call(Method::GET, path, None)
            .await?
            .unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        Ok(self
            .call(Method::POST, path, Some(body))
            .await?
            .unwrap_or(Value::Null))
    }

    pub async fn delete(&self, path: &str) -> anyhow::Result<()> {
        self.call(Method::DELETE, path, None).await?;
        Ok(())
    }

    /// The answer's JSON; `None` for an empty answer (204).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Option<Value>> {
        let url = format!("{}/api/v1{path}", self.base);
        let mut request = self.http.request(method, &url);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| anyhow!("cannot reach the server at {}: {}", self.base, cause(&e)))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if status.is_success() {
            if text.trim().is_empty() {
                return Ok(None);
            }
            return serde_json::from_str(&text)
                .map(Some)
                .context("the server's answer is not JSON");
        }
        if status == StatusCode::UNAUTHORIZED && self.token.is_none() {
            bail!("the server wants a token: set TOCSIN_TOKEN");
        }
        let error: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let message = error["error"]["message"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| format!("the server answered {status}"));
        match error["error"]["field"].as_str() {
            Some(field) if !message.starts_with(field) => bail!("{field}: {message}"),
            _ => bail!("{message}"),
        }
    }
}

/// The innermost cause of a client error ("Connection refused"), without the URL.
fn cause(err: &reqwest::Error) -> String {
    let mut current: &dyn std::error::Error = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// A JSON field as table text: strings bare, null empty, lists comma-separated.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(list) => list.iter().map(cell).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// `key=value` pairs from the command line into a JSON object of strings.
pub fn pairs(list: &[String], what: &str) -> anyhow::Result<serde_json::Map<String, Value>> {
    list.iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), Value::String(v.to_owned())))
                .ok_or_else(|| anyhow!("{what} `{p}`: write it as key=value"))
        })
        .collect()
}
