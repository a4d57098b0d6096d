//! Channels and rules declared in `tocsin.toml` (`[[channels]]`, `[[rules]]`): configuration
//! as code. The same `[[channels]]` tables are the targets of `tocsin send --config`.
//!
//! A declared object's `name` is its stable key: the server reconciles by it (see
//! `service::reconcile`). Secret values may be references, `${env:NAME}` or
//! `${file:/path}`; they are kept as written here and resolved where they are used.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A channel as the configuration file declares it: a `url`, or a `kind` with `settings`
/// and `secrets` (both may be given: the tables then add to what the URL says).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredChannel {
    /// The stable key: renaming a declared channel removes the old one and creates a new one.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub settings: Map<String, Value>,
    /// Values may be `${env:NAME}` or `${file:/path}`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub secrets: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The channel's own subscription, as in the API (`["deploy.*"]`, `@defaults`); left out:
    /// the catalogue's defaults; `[]`: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<String>>,
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matchers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_severity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_schedule: Option<Vec<String>>,
}

/// A standalone rule as the configuration file declares it. `channels` names channels by
/// their declared name (or by id, for channels made through the API).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredRule {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_labels: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matchers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_severity: Option<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Mute windows, by name or id; the windows themselves are made through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mute: Option<Vec<String>>,
    /// `drop` (the default) or `hold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub while_muted: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_breaks_through: Option<bool>,
}

/// One problem of a declaration: where (`channels[2].url`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Whether a value is a secret reference (`${env:NAME}`, `${file:/path}`).
pub fn is_secret_ref(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with("${env:") || v.starts_with("${file:")) && v.ends_with('}')
}

/// A channel's kind, settings and secrets as written.
pub type RawChannel = (
    tocsin_providers::Kind,
    Map<String, Value>,
    Map<String, Value>,
);

impl DeclaredChannel {
    /// Kind, settings and secrets as written (references left in place), not yet checked
    /// against the kind's schema.
    pub fn raw(&self) -> Result<RawChannel, tocsin_core::FieldError> {
        use tocsin_core::FieldError;
        use tocsin_providers::Kind;
        let (kind, mut settings, mut secrets) = match &self.url {
            Some(url) => {
                let (kind, config) = tocsin_providers::from_url(url)?;
                let secrets: Map<String, Value> = config
                    .secrets
                    .iter_exposed()
                    .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
                    .collect();
                if let Some(k) = &self.kind
                    && Kind::parse(k) != Some(kind)
                {
                    return Err(FieldError::new(
                        "kind",
                        format!("the URL is a `{}` channel", kind.name()),
                    ));
                }
                (kind, config.settings, secrets)
            }
            None => {
                let name = self.kind.as_deref().ok_or_else(|| {
                    FieldError::new("kind", "give `url`, or `kind` with `settings`")
                })?;
                let kind = Kind::parse(name)
                    .ok_or_else(|| FieldError::new("kind", format!("unknown kind `{name}`")))?;
                (kind, Map::new(), Map::new())
            }
        };
        settings.extend(self.settings.clone());
        secrets.extend(self.secrets.clone());
        Ok((kind, settings, secrets))
    }

    /// The channel checked against its kind's schema. A secret given as a reference is
    /// checked only for being there: its value is known where it is resolved.
    pub fn check(&self) -> Result<(), tocsin_core::FieldError> {
        let (kind, settings, mut secrets) = self.raw()?;
        let refs: Vec<String> = secrets
            .iter()
            .filter(|(_, v)| v.as_str().is_some_and(is_secret_ref))
            .map(|(k, _)| k.clone())
            .collect();
        secrets.retain(|k, _| !refs.contains(k));
        match tocsin_providers::configure(kind, settings, secrets, None) {
            Err(e) if refs.iter().any(|r| e.field == format!("secrets.{r}")) => Ok(()),
            Err(e) => Err(e),
            Ok(_) => Ok(()),
        }
    }
}

/// Every problem of a set of declarations: names missing or repeated, channels that do not
/// configure, rules naming channels that are not declared (ids pass; the server checks
/// them).
pub fn check(channels: &[DeclaredChannel], rules: &[DeclaredRule]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut names = BTreeSet::new();
    for (i, c) in channels.iter().enumerate() {
        let at = format!("channels[{i}]");
        if let Err(e) = tocsin_core::channel::check_name(&c.name) {
            problems.push(Problem {
                path: format!("{at}.name"),
                message: e.message,
            });
        } else if !names.insert(c.name.as_str()) {
            problems.push(Problem {
                path: format!("{at}.name"),
                message: format!("`{}` is declared twice; names are the keys", c.name),
            });
        }
        if let Err(e) = c.check() {
            problems.push(Problem {
                path: format!("{at}.{}", e.field),
                message: e.message,
            });
        }
        if let Some(s) = &c.min_severity
            && s.parse::<tocsin_core::event::Severity>().is_err()
        {
            problems.push(Problem {
                path: format!("{at}.min_severity"),
                message: format!("unknown severity `{s}`; use ok, info, warning or critical"),
            });
        }
    }
    let mut rule_names = BTreeSet::new();
    for (i, r) in rules.iter().enumerate() {
        let at = format!("rules[{i}]");
        if let Err(e) = tocsin_core::channel::check_name(&r.name) {
            problems.push(Problem {
                path: format!("{at}.name"),
                message: e.message,
            });
        } else if !rule_names.insert(r.name.as_str()) {
            problems.push(Problem {
                path: format!("{at}.name"),
                message: format!("`{}` is declared twice; names are the keys", r.name),
            });
        }
        if r.channels.is_empty() {
            problems.push(Problem {
                path: format!("{at}.channels"),
                message: "name at least one channel".into(),
            });
        }
        for (j, c) in r.channels.iter().enumerate() {
            if !names.contains(c.as_str()) && c.parse::<ulid::Ulid>().is_err() {
                problems.push(Problem {
                    path: format!("{at}.channels[{j}]"),
                    message: format!("no channel named `{c}` is declared"),
                });
            }
        }
        let empty = BTreeMap::new();
        if let Err(e) = tocsin_core::rule::RuleFilter::parse(
            &r.events,
            r.match_labels.as_ref().unwrap_or(&empty),
            r.matchers.as_deref().unwrap_or_default(),
        ) {
            problems.push(Problem {
                path: format!("{at}.{}", e.field),
                message: e.message,
            });
        }
        if let Some(s) = &r.min_severity
            && s.parse::<tocsin_core::event::Severity>().is_err()
        {
            problems.push(Problem {
                path: format!("{at}.min_severity"),
                message: format!("unknown severity `{s}`; use ok, info, warning or critical"),
            });
        }
        let mut fail = |e: Result<(), tocsin_core::FieldError>| {
            if let Err(e) = e {
                problems.push(Problem {
                    path: format!("{at}.{}", e.field),
                    message: e.message,
                });
            }
        };
        if let Some(text) = &r.digest {
            fail(crate::service::rules::digest_window(text).map(drop));
        }
        if let Some(text) = &r.repeat_interval {
            fail(crate::service::rules::repeat_interval(text).map(drop));
        }
        if let Some(list) = &r.recipients {
            fail(tocsin_providers::mail::mailbox_list("recipients", list, true).map(drop));
        }
        if let Some(text) = &r.while_muted {
            fail(
                tocsin_core::mute::WhileMuted::parse(text)
                    .map(drop)
                    .map_err(|m| tocsin_core::FieldError::new("while_muted", m)),
            );
        }
        if let Some(template) = &r.template
            && template.trim().is_empty()
        {
            fail(Err(tocsin_core::FieldError::new(
                "template",
                "is empty; leave it out to keep each channel's own",
            )));
        }
        for (j, m) in r.mute.iter().flatten().enumerate() {
            if m.trim().is_empty() {
                fail(Err(tocsin_core::FieldError::new(
                    format!("mute[{j}]"),
                    "name a mute window by its name or id",
                )));
            }
        }
    }
    problems
}
