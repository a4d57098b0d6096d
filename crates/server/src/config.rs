//! Configuration: defaults, then `tocsin.toml` (when present or named), then `TOCSIN_*`
//! environment variables, then command-line flags. `config.example.toml` documents every
//! option.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};

/// Everything `tocsin serve` needs to know.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// Where the SQLite database and the key file live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; when empty, `<data_dir>/tocsin.db`.
    pub database_url: Option<String>,
    /// Accepted as an admin bearer token, for automation.
    #[serde(skip_serializing, deserialize_with = "secret_opt")]
    pub admin_token: Option<SecretString>,
    /// The master key that seals stored secrets (base64 or hex of 32 bytes); when unset,
    /// the key file `<data_dir>/secret.key`, created on first start.
    #[serde(skip_serializing, deserialize_with = "secret_opt")]
    pub secret_key: Option<SecretString>,
    /// Directories whose files channel secrets may name as `${file:/path}`.
    #[serde(deserialize_with = "list")]
    pub secret_dirs: Vec<String>,
    /// CIDRs and host names the SSRF guard lets through (e.g. `127.0.0.0/8`, `gotify.lan`).
    #[serde(deserialize_with = "list")]
    pub allow_private: Vec<String>,
    pub delivery: DeliveryConfig,
    pub api: ApiConfig,
    /// `text` or `json`.
    pub log_format: String,
    /// The URL people and services reach this server at (e.g. `https://tocsin.example.com`),
    /// used for Tocsin's icon in messages.
    pub public_url: Option<String>,
    /// Channels declared as code (`[[channels]]`), reconciled at start and on reload.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<crate::declared::DeclaredChannel>,
    /// Rules declared as code (`[[rules]]`), reconciled with the channels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<crate::declared::DeclaredRule>,
    /// The file this configuration was read from, read again on reload.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// How deliveries are made.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// Timeout of one outbound request, in seconds.
    pub timeout_secs: u64,
    /// Deliveries in flight at once, over all channels.
    pub concurrency: usize,
    /// Deliveries in flight at once to any one channel, so that a slow or hanging receiver
    /// cannot take every worker.
    pub channel_concurrency: usize,
    /// Most deliveries claimed in one database round trip.
    pub claim_batch: u32,
    /// How long a worker holds a claimed delivery before another may take it, in seconds.
    pub lease_secs: u64,
    /// How often the queue is polled when nothing woke the dispatcher, in milliseconds.
    pub poll_interval_ms: u64,
    /// Default delays before each attempt (`"0s"`, `"30s"`, `"2m"`, `"5m"`).
    pub retry_schedule: Vec<String>,
    /// Finished deliveries kept per channel in the delivery log.
    pub log_keep_per_channel: u32,
    /// How often the delivery log is trimmed, in seconds.
    pub log_prune_interval_secs: u64,
    /// How long shutdown waits for deliveries in flight, in seconds.
    pub shutdown_grace_secs: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Deepest nesting of arrays and objects accepted in a JSON body.
    pub max_json_depth: usize,
    /// Most request headers accepted (at most 100, the HTTP parser's own limit).
    pub max_headers: usize,
    /// Events a minute accepted per `source.application` (events without one share a
    /// budget), in this process; 0: no limit.
    pub events_per_minute_per_application: u32,
    /// Requests a minute accepted per API token, in this process; 0: no limit.
    pub requests_per_minute_per_token: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8400)),
            data_dir: PathBuf::from("tocsin-data"),
            database_url: None,
            admin_token: None,
            secret_key: None,
            secret_dirs: vec!["/run/secrets".into()],
            allow_private: Vec::new(),
            delivery: DeliveryConfig::default(),
            api: ApiConfig::default(),
            log_format: "text".into(),
            public_url: None,
            channels: Vec::new(),
            rules: Vec::new(),
            source: None,
        }
    }
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            timeout_secs: 10,
            concurrency: 64,
            channel_concurrency: 16,
            claim_batch: 128,
            lease_secs: 60,
            poll_interval_ms: 1_000,
            retry_schedule: ["0s", "30s", "2m", "5m"].map(String::from).to_vec(),
            log_keep_per_channel: 100,
            log_prune_interval_secs: 60,
            shutdown_grace_secs: 15,
        }
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 256 * 1024,
            max_json_depth: 32,
            max_headers: 64,
            events_per_minute_per_application: 100,
            requests_per_minute_per_token: 6_000,
        }
    }
}

impl DeliveryConfig {
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs)
    }

    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.lease_secs)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(Box<figment::Error>),
    #[error("configuration: {field}: {message}")]
    Invalid { field: String, message: String },
}

impl Config {
    /// Loads the configuration from `file` (or `./tocsin.toml` when it exists) and the
    /// environment, then applies `overrides` (flags).
    pub fn load(file: Option<&Path>, overrides: Figment) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let source = match file {
            Some(path) => Some(path.to_owned()),
            None if Path::new("tocsin.toml").exists() => Some(PathBuf::from("tocsin.toml")),
            None => None,
        };
        if let Some(path) = &source {
            figment = figment.merge(Toml::file_exact(path));
        }
        let mut config: Config = figment
            .merge(env_provider())
            .merge(overrides)
            .extract()
            .map_err(|e| ConfigError::Load(Box::new(e)))?;
        config.check()?;
        config.source = source;
        Ok(config)
    }

    /// Cross-field checks that serde cannot make.
    pub fn check(&self) -> Result<(), ConfigError> {
        let invalid = |field: &str, message: &str| ConfigError::Invalid {
            field: field.into(),
            message: message.into(),
        };
        let d = &self.delivery;
        if d.timeout_secs == 0 {
            return Err(invalid("delivery.timeout_secs", "must be at least 1"));
        }
        if d.lease_secs <= d.timeout_secs {
            return Err(invalid(
                "delivery.lease_secs",
                "must be longer than delivery.timeout_secs, or a slow delivery would be sent twice",
            ));
        }
        if d.concurrency == 0 || d.claim_batch == 0 {
            return Err(invalid(
                "delivery.concurrency",
                "concurrency and claim_batch must be at least 1",
            ));
        }
        if d.channel_concurrency == 0 {
            return Err(invalid(
                "delivery.channel_concurrency",
                "must be at least 1",
            ));
        }
        if self.api.max_json_depth == 0 {
            return Err(invalid("api.max_json_depth", "must be at least 1"));
        }
        if !(1..=100).contains(&self.api.max_headers) {
            return Err(invalid(
                "api.max_headers",
                "must be from 1 to 100 (the HTTP parser refuses more than 100 headers itself)",
            ));
        }
        if !["text", "json"].contains(&self.log_format.as_str()) {
            return Err(invalid("log_format", "must be text or json"));
        }
        self.retry_schedule()
            .map_err(|e| invalid("delivery.retry_schedule", &e.message))?;
        tocsin_core::address::AddressPolicy::parse(&self.allow_private)
            .map_err(|e| invalid("allow_private", &e.message))?;
        if let Some(p) = crate::declared::check(&self.channels, &self.rules).first() {
            return Err(invalid(&p.path, &p.message));
        }
        Ok(())
    }

    pub fn retry_schedule(
        &self,
    ) -> Result<tocsin_core::delivery::RetrySchedule, tocsin_core::FieldError> {
        tocsin_core::delivery::RetrySchedule::parse(&serde_json::json!(
            self.delivery.retry_schedule
        ))
    }

    /// How Tocsin presents itself in messages.
    pub fn identity(&self) -> tocsin_providers::Identity {
        let icon_url = self
            .public_url
            .as_deref()
            .filter(|u| !u.is_empty())
            .map(|u| format!("{}/static/icon.png", u.trim_end_matches('/')));
        tocsin_providers::Identity {
            icon_url,
            ..Default::default()
        }
    }

    /// The database to open: `database_url`, or the file in the data directory.
    pub fn database(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!("sqlite://{}", self.data_dir.join("tocsin.db").display()),
        }
    }
}

/// `TOCSIN_LISTEN`, `TOCSIN_DATA_DIR`, `TOCSIN_DELIVERY__TIMEOUT_SECS`, …: a double
/// underscore descends into a section.
/// Other `TOCSIN_*` variables (`TOCSIN_LOG`, `TOCSIN_CONFIG`, …) belong to the command
/// line, not to this file's settings, and are left alone.
fn env_provider() -> Env {
    const KEYS: &[&str] = &[
        "listen",
        "data_dir",
        "database_url",
        "admin_token",
        "secret_key",
        "secret_dirs",
        "allow_private",
        "log_format",
    ];
    const SECTIONS: &[&str] = &["delivery__", "api__"];
    Env::prefixed("TOCSIN_")
        .filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            KEYS.contains(&key.as_str()) || SECTIONS.iter().any(|s| key.starts_with(s))
        })
        .split("__")
        // Values that are lists or secrets are taken as plain strings, never parsed as TOML.
        .map(|key| key.as_str().to_ascii_lowercase().into())
}

/// Environment values arrive parsed (`1234` as a number): take any scalar as text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn into_text(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Int(n) => n.to_string(),
            Scalar::Float(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn secret_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    let s: Option<Scalar> = Option::deserialize(d)?;
    Ok(s.map(Scalar::into_text)
        .filter(|s| !s.is_empty())
        .map(SecretString::from))
}

/// A list given either as a list or as one comma-separated string (environment variables).
fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Scalar),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s
            .into_text()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        OneOrMany::Many(v) => v,
    })
}

#[cfg(test)]
// figment::Jail fixes the closure's error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_contract() {
        let c = Config::default();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8400");
        assert_eq!(c.data_dir, PathBuf::from("tocsin-data"));
        assert_eq!(c.database(), "sqlite://tocsin-data/tocsin.db");
        assert_eq!(c.api.events_per_minute_per_application, 100);
        assert_eq!(c.api.requests_per_minute_per_token, 6_000);
        assert_eq!(c.api.max_body_bytes, 256 * 1024);
        assert_eq!(c.api.max_json_depth, 32);
        assert_eq!(c.api.max_headers, 64);
        c.check().unwrap();
    }

    #[test]
    fn environment_and_file_layer_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "tocsin.toml",
                "listen = \"127.0.0.1:9000\"\n[delivery]\ntimeout_secs = 5\n",
            )?;
            jail.set_env("TOCSIN_LISTEN", "127.0.0.1:9100");
            jail.set_env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8, ::1");
            jail.set_env("TOCSIN_ADMIN_TOKEN", "t0ken");
            let c = Config::load(None, Figment::new()).map_err(|e| e.to_string())?;
            assert_eq!(c.listen.to_string(), "127.0.0.1:9100");
            assert_eq!(c.delivery.timeout_secs, 5);
            assert_eq!(c.allow_private, vec!["127.0.0.0/8", "::1"]);
            assert!(c.admin_token.is_some());
            Ok(())
        });
    }

    #[test]
    fn the_example_file_is_valid_and_states_the_defaults() {
        // Inside a jail: other tests set TOCSIN_* variables, and the jail serialises them.
        figment::Jail::expect_with(|_| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config.example.toml");
            let example = Config::load(Some(&path), Figment::new()).map_err(|e| e.to_string())?;
            assert_eq!(
                serde_json::to_value(&example).unwrap(),
                serde_json::to_value(Config::default()).unwrap()
            );
            Ok(())
        });
    }

    #[test]
    fn rejects_a_lease_shorter_than_the_timeout() {
        let mut c = Config::default();
        c.delivery.lease_secs = 5;
        assert!(c.check().unwrap_err().to_string().contains("lease_secs"));
    }

    #[test]
    fn rejects_a_channel_bound_of_zero() {
        let mut c = Config::default();
        c.delivery.channel_concurrency = 0;
        assert!(
            c.check()
                .unwrap_err()
                .to_string()
                .contains("channel_concurrency")
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("tocsin.toml", "lisen = \"x\"\n")?;
            let err = Config::load(None, Figment::new()).unwrap_err().to_string();
            assert!(err.contains("lisen"), "{err}");
            Ok(())
        });
    }

    mod never_panics {
        use proptest::prelude::*;

        use super::*;

        const KEYS: &[&str] = &[
            "listen",
            "data_dir",
            "database_url",
            "admin_token",
            "allow_private",
            "log_format",
            "public_url",
            "delivery.timeout_secs",
            "delivery.concurrency",
            "delivery.channel_concurrency",
            "delivery.claim_batch",
            "delivery.lease_secs",
            "delivery.poll_interval_ms",
            "delivery.retry_schedule",
            "delivery.log_keep_per_channel",
            "delivery.shutdown_grace_secs",
            "api.max_body_bytes",
            "api.max_json_depth",
            "api.max_headers",
            "api.events_per_minute_per_application",
            "api.requests_per_minute_per_token",
            "unknown",
        ];

        fn value() -> impl Strategy<Value = String> {
            prop_oneof![
                any::<i64>().prop_map(|n| n.to_string()),
                Just("18446744073709551616".to_owned()),
                Just("-0".to_owned()),
                any::<bool>().prop_map(|b| b.to_string()),
                any::<f64>().prop_map(|f| format!("{f:?}")),
                "[a-zA-Z0-9 ./:*,\\[\\]-]{0,30}".prop_map(|s| format!("{s:?}")),
                prop::collection::vec("[0-9a-z./:*]{0,15}", 0..4).prop_map(|v| format!("{v:?}")),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn config_files_never_panic(
                lines in prop::collection::vec((prop::sample::select(KEYS), value()), 0..8),
            ) {
                let text: String = lines.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
                let loaded = Figment::from(Serialized::defaults(Config::default()))
                    .merge(Toml::string(&text))
                    .extract::<Config>();
                if let Ok(config) = loaded {
                    let _ = config.check();
                }
            }

            #[test]
            fn any_text_as_a_config_file_never_panics(text in ".{0,200}") {
                let loaded = Figment::from(Serialized::defaults(Config::default()))
                    .merge(Toml::string(&text))
                    .extract::<Config>();
                if let Ok(config) = loaded {
                    let _ = config.check();
                }
            }
        }
    }
}
