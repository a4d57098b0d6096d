//! Channels: configured destinations. A channel's `settings` are plain JSON; its `secrets`
//! are kept wrapped so that they cannot be printed by accident, and leave the process only
//! in the request that needs them.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use ulid::Ulid;

use crate::delivery::RetrySchedule;
use crate::time::Millis;

/// Secret values of a channel, by field name. `Debug` shows only the names.
#[derive(Clone, Default)]
pub struct Secrets(BTreeMap<String, SecretString>);

impl Secrets {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), SecretString::from(value.into()));
    }

    pub fn remove(&mut self, name: &str) {
        self.0.remove(name);
    }

    /// The plain value, for the one place that puts it into a request.
    pub fn expose(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.expose_secret())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `{"name": "set"}` for each secret: all the API ever says about them. A secret
    /// reference (`${env:NAME}`, `${file:/path}`) is no secret and shows as itself, so
    /// that people see where the value comes from.
    pub fn redacted(&self) -> Value {
        Value::Object(
            self.0
                .iter()
                .map(|(k, v)| {
                    let shown = match crate::secret_ref::SecretRef::parse(v.expose_secret()) {
                        Ok(Some(reference)) => reference.to_string(),
                        _ => "set".into(),
                    };
                    (k.clone(), Value::String(shown))
                })
                .collect(),
        )
    }

    /// Every name with its exposed value, for the store to persist.
    pub fn iter_exposed(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.expose_secret()))
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl PartialEq for Secrets {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.expose_secret() == v2.expose_secret())
    }
}

/// What a provider needs to build a request: the channel's settings and secrets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChannelConfig {
    pub settings: Map<String, Value>,
    pub secrets: Secrets,
}

/// The setting, common to every kind, that lets a channel use plain `http://` (and plain
/// SMTP) to a host that is not allow-listed. Only an admin may set it.
pub const ALLOW_HTTP: &str = "allow_http";

impl ChannelConfig {
    pub fn str_setting(&self, name: &str) -> Option<&str> {
        self.settings.get(name).and_then(Value::as_str)
    }

    /// Whether an admin let this channel use plain HTTP ([`ALLOW_HTTP`]).
    pub fn allows_http(&self) -> bool {
        self.settings.get(ALLOW_HTTP) == Some(&Value::Bool(true))
    }
}

/// A configured destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub id: Ulid,
    pub name: String,
    /// The provider kind (`webhook`, `slack`, …); the providers crate knows the list.
    pub kind: String,
    pub config: ChannelConfig,
    pub enabled: bool,
    pub tags: Vec<String>,
    /// Overrides the default retry schedule.
    pub retry_schedule: Option<RetrySchedule>,
    /// The tenant that owns the channel; `None` for a global (admin-owned) one. A tenant's
    /// channel receives only events whose `source.customer` is the tenant.
    pub tenant: Option<String>,
    /// When not empty, the channel receives only events whose `source.project` is one of
    /// these.
    pub projects: Vec<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Checks a channel name: what people see in lists and logs.
pub fn check_name(name: &str) -> Result<(), crate::FieldError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(crate::FieldError::new("name", "is required"));
    }
    if name.len() > 200 {
        return Err(crate::FieldError::new(
            "name",
            "is longer than 200 bytes; shorten it",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(crate::FieldError::new(
            "name",
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// Checks a tenant name or a project name: a `source.customer` or `source.project` label
/// value it must equal.
pub fn check_label_value(field: &str, value: &str) -> Result<(), crate::FieldError> {
    if value.trim().is_empty() {
        return Err(crate::FieldError::new(field, "must not be empty"));
    }
    if value.len() > 200 {
        return Err(crate::FieldError::new(
            field,
            "is longer than 200 bytes; shorten it",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(crate::FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_or_redacted_form() {
        let mut s = Secrets::new();
        s.insert("signing_secret", "whsec_c2VjcmV0LXZhbHVl");
        assert_eq!(format!("{s:?}"), "{\"signing_secret\"}");
        assert_eq!(s.redacted().to_string(), r#"{"signing_secret":"set"}"#);
        assert_eq!(s.expose("signing_secret"), Some("whsec_c2VjcmV0LXZhbHVl"));
        s.insert("bot_token", "${env:TG_TOKEN}");
        assert_eq!(
            s.redacted().to_string(),
            r#"{"bot_token":"${env:TG_TOKEN}","signing_secret":"set"}"#
        );
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("ops alerts").is_ok());
        assert!(check_name("  ").is_err());
        assert!(check_name("a\nb").is_err());
    }
}
