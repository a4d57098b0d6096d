//! Rules: which events reach which channels. A rule matches an event by its type (patterns
//! with `*`), its source labels (`=`, `!=`, `=~`, `!~`, regexes anchored) and its severity.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use regex::Regex;
use ulid::Ulid;

use crate::FieldError;
use crate::catalog::Preset;
use crate::event::{Event, Severity};
use crate::mute::WhileMuted;
use crate::time::Millis;

const MAX_PATTERNS: usize = 100;
const MAX_MATCHERS: usize = 50;

/// An event type pattern: `deploy.success`, `deploy.*`, `*`. `*` stands for any run of
/// characters, dots included, so `audit.*` covers `audit.domain.delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventPattern(String);

impl EventPattern {
    pub fn parse(text: &str) -> Result<Self, String> {
        let ok = !text.is_empty()
            && text.len() <= 128
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '*'));
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not an event pattern; write a type like \"deploy.success\", \"deploy.*\" or \"*\""
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn matches(&self, event_type: &str) -> bool {
        glob_match(self.0.as_bytes(), event_type.as_bytes())
    }
}

/// `*`-only glob matching, iterative with backtracking to the last star: linear in practice.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Eq,
    NotEq,
    Regex,
    NotRegex,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::NotEq => "!=",
            Self::Regex => "=~",
            Self::NotRegex => "!~",
        }
    }
}

/// A condition on one source label. A missing label counts as the empty string, as in
/// Alertmanager: `team != ops` holds for an event without a `team` label.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub label: String,
    pub op: MatchOp,
    pub value: String,
    regex: Option<Regex>,
}

impl Eq for Matcher {}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.label == other.label && self.op == other.op && self.value == other.value
    }
}

impl Matcher {
    pub fn new(label: &str, op: MatchOp, value: &str) -> Result<Self, String> {
        let label_ok = !label.is_empty()
            && label.len() <= 64
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !label_ok {
            return Err(format!("`{label}` is not a label name"));
        }
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => Some(
                regex::RegexBuilder::new(&format!("^(?:{value})$"))
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| format!("`{value}` is not a valid regular expression: {e}"))?,
            ),
            MatchOp::Eq | MatchOp::NotEq => None,
        };
        Ok(Self {
            label: label.to_owned(),
            op,
            value: value.to_owned(),
            regex,
        })
    }

    /// Parses `label=value`, `label!=value`, `label=~regex`, `label!~regex`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let at = text
            .find(['=', '!'])
            .ok_or_else(|| format!("`{text}` is not a matcher; write e.g. environment=production or application=~api-.*"))?;
        let (label, rest) = text.split_at(at);
        let (op, value) = if let Some(v) = rest.strip_prefix("=~") {
            (MatchOp::Regex, v)
        } else if let Some(v) = rest.strip_prefix("!~") {
            (MatchOp::NotRegex, v)
        } else if let Some(v) = rest.strip_prefix("!=") {
            (MatchOp::NotEq, v)
        } else if let Some(v) = rest.strip_prefix('=') {
            (MatchOp::Eq, v)
        } else {
            return Err(format!("`{text}` has no operator; use =, !=, =~ or !~"));
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        Self::new(label.trim(), op, value)
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let actual = labels.get(&self.label).map(String::as_str).unwrap_or("");
        match (&self.op, &self.regex) {
            (MatchOp::Eq, _) => actual == self.value,
            (MatchOp::NotEq, _) => actual != self.value,
            (MatchOp::Regex, Some(re)) => re.is_match(actual),
            (MatchOp::NotRegex, Some(re)) => !re.is_match(actual),
            // Matcher::new always compiles a regex for the regex operators.
            (MatchOp::Regex | MatchOp::NotRegex, None) => false,
        }
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.label, self.op.as_str(), self.value)
    }
}

/// Which events reach which channels.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: Ulid,
    pub name: String,
    /// Empty means every event type.
    pub events: Vec<EventPattern>,
    pub matchers: Vec<Matcher>,
    pub min_severity: Option<Severity>,
    pub channels: Vec<Ulid>,
    pub enabled: bool,
    /// Set when this is a channel's own rule (its `events` and `match` fields).
    pub owner_channel: Option<Ulid>,
    /// Replaces the recipients (`to`) of the email channels this rule routes to.
    pub recipients: Option<String>,
    /// Mute windows (ids): while one is on, the rule does not notify.
    pub mute: Vec<Ulid>,
    /// What the rule does with an event it takes while muted.
    pub while_muted: WhileMuted,
    /// A `critical` event is not muted.
    pub critical_breaks_through: bool,
    /// While a `state_key` stays in the same bad state, notify again once this much time
    /// has passed since the rule last notified for the key.
    pub repeat_interval: Option<Duration>,
    /// Replaces the template (a preset name or a template text) of the webhook channels
    /// this rule routes to.
    pub template: Option<String>,
    /// Batch the events the rule takes per channel: the first opens a window this long,
    /// and one message lists them all when it closes.
    pub digest: Option<Duration>,
    /// The tenant that owns the rule; `None` for a global (admin-owned) one.
    pub tenant: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Why a rule does not take an event. Borrows the failing matcher, so that checking many
/// rules allocates nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch<'a> {
    Disabled,
    EventType,
    Matcher(&'a Matcher),
    Severity { min: Severity, got: Severity },
}

impl fmt::Display for Mismatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Disabled => f.write_str("the rule is disabled"),
            Self::EventType => f.write_str("no event pattern matches the type"),
            Self::Matcher(m) => write!(f, "matcher {m} does not hold"),
            Self::Severity { min, got } => write!(f, "severity {got} is below {min}"),
        }
    }
}

impl Rule {
    pub fn check(&self, event: &Event) -> Result<(), Mismatch<'_>> {
        if !self.enabled {
            return Err(Mismatch::Disabled);
        }
        if !self.events.is_empty() && !self.events.iter().any(|p| p.matches(&event.event_type)) {
            return Err(Mismatch::EventType);
        }
        if let Some(m) = self.matchers.iter().find(|m| !m.matches(&event.source)) {
            return Err(Mismatch::Matcher(m));
        }
        // A recovery resolves what an alert of this rule opened: it passes the severity
        // floor, or a channel would hear "down" and never "up".
        if let Some(min) = self.min_severity
            && event.severity < min
            && !event.is_recovery()
        {
            return Err(Mismatch::Severity {
                min,
                got: event.severity,
            });
        }
        Ok(())
    }
}

/// The parts of a rule a user writes, checked. Shared by standalone rules and a channel's
/// own `events`/`match` fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleFilter {
    pub events: Vec<EventPattern>,
    pub matchers: Vec<Matcher>,
}

impl RuleFilter {
    /// `events`: list of patterns, where `@defaults` and `@destructive` stand for the
    /// catalogue's presets; `exact`: the `match` object (label → value, equality);
    /// `matchers`: Alertmanager-style matcher strings.
    pub fn parse(
        events: &[String],
        exact: &BTreeMap<String, String>,
        matchers: &[String],
    ) -> Result<Self, FieldError> {
        if events.len() > MAX_PATTERNS {
            return Err(FieldError::new(
                "events",
                format!("has {} patterns; the limit is {MAX_PATTERNS}", events.len()),
            ));
        }
        if exact.len() + matchers.len() > MAX_MATCHERS {
            return Err(FieldError::new(
                "match",
                format!("too many matchers; the limit is {MAX_MATCHERS}"),
            ));
        }
        let mut patterns: Vec<EventPattern> = Vec::with_capacity(events.len());
        for (i, text) in events.iter().enumerate() {
            let field = || format!("events[{i}]");
            let expanded: Vec<&str> = match Preset::named_by(text) {
                None => vec![text.as_str()],
                Some(preset) => preset
                    .map_err(|m| FieldError::new(field(), m))?
                    .types()
                    .collect(),
            };
            for one in expanded {
                let pattern = EventPattern::parse(one).map_err(|m| FieldError::new(field(), m))?;
                if !patterns.contains(&pattern) {
                    patterns.push(pattern);
                }
            }
        }
        if patterns.len() > MAX_PATTERNS {
            return Err(FieldError::new(
                "events",
                format!(
                    "has {} patterns once presets are expanded; the limit is {MAX_PATTERNS}",
                    patterns.len()
                ),
            ));
        }
        let mut parsed = exact
            .iter()
            .map(|(label, value)| {
                Matcher::new(label, MatchOp::Eq, value)
                    .map_err(|m| FieldError::new(format!("match.{label}"), m))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (i, text) in matchers.iter().enumerate() {
            parsed.push(
                Matcher::parse(text).map_err(|m| FieldError::new(format!("matchers[{i}]"), m))?,
            );
        }
        Ok(Self {
            events: patterns,
            matchers: parsed,
        })
    }
}

/// Splits matchers into the API's two forms: the `match` object (equalities) and the
/// `matchers` list (everything else).
pub fn split_matchers(matchers: &[Matcher]) -> (BTreeMap<String, String>, Vec<String>) {
    let mut exact = BTreeMap::new();
    let mut other = Vec::new();
    for m in matchers {
        if m.op == MatchOp::Eq && !exact.contains_key(&m.label) {
            exact.insert(m.label.clone(), m.value.clone());
        } else {
            other.push(m.to_string());
        }
    }
    (exact, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_with_stars() {
        let p = |s| EventPattern::parse(s).unwrap();
        assert!(p("deploy.*").matches("deploy.success"));
        assert!(p("audit.*").matches("audit.domain.delete"));
        assert!(p("*").matches("anything.at.all"));
        assert!(p("*.failure").matches("backup.failure"));
        assert!(p("deploy.success").matches("deploy.success"));
        assert!(!p("deploy.success").matches("deploy.successful"));
        assert!(!p("deploy.*").matches("build.success"));
        assert!(!p("deploy.*").matches("deploy"));
        assert!(p("a*b*c").matches("axxbyyc"));
        assert!(!p("a*b*c").matches("axxbyy"));
        assert!(EventPattern::parse("deploy success").is_err());
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn matchers_use_all_four_operators_anchored() {
        let l = labels(&[
            ("environment", "production"),
            ("application", "api-gateway"),
        ]);
        let m = |s| Matcher::parse(s).unwrap();
        assert!(m("environment=production").matches(&l));
        assert!(!m("environment!=production").matches(&l));
        assert!(m("application=~api-.*").matches(&l));
        assert!(!m("application=~api").matches(&l), "regexes are anchored");
        assert!(m("application!~web-.*").matches(&l));
        assert!(m("team!=ops").matches(&l), "a missing label is empty");
        assert!(m("team=").matches(&l));
        assert!(m("environment=\"production\"").matches(&l));
    }

    #[test]
    fn bad_matchers_say_why() {
        assert!(Matcher::parse("environment").is_err());
        assert!(
            Matcher::parse("application=~(")
                .unwrap_err()
                .contains("regular expression")
        );
        assert!(Matcher::parse("=x").is_err());
    }

    #[test]
    fn filter_parse_names_the_field() {
        let err =
            RuleFilter::parse(&["ok".into(), "bad one".into()], &BTreeMap::new(), &[]).unwrap_err();
        assert_eq!(err.field, "events[1]");
        let err = RuleFilter::parse(&[], &BTreeMap::new(), &["x=~(".into()]).unwrap_err();
        assert_eq!(err.field, "matchers[0]");
    }

    #[test]
    fn presets_expand_when_a_filter_is_parsed() {
        let f = RuleFilter::parse(&["@destructive".into()], &BTreeMap::new(), &[]).unwrap();
        let names: Vec<&str> = f.events.iter().map(EventPattern::as_str).collect();
        assert!(names.contains(&"audit.domain.delete"), "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("audit.")));
        let err = RuleFilter::parse(&["@everything".into()], &BTreeMap::new(), &[]).unwrap_err();
        assert_eq!(err.field, "events[0]");
        let err = RuleFilter::parse(
            &["@defaults".into(), "deploy.*".into(), "bad one".into()],
            &BTreeMap::new(),
            &[],
        )
        .unwrap_err();
        assert_eq!(err.field, "events[2]", "errors name the field as written");
        let f = RuleFilter::parse(
            &["deploy.success".into(), "@defaults".into()],
            &BTreeMap::new(),
            &[],
        )
        .unwrap();
        assert_eq!(f.events.len(), 8, "no pattern twice");
    }

    #[test]
    fn split_round_trips() {
        let f = RuleFilter::parse(
            &[],
            &labels(&[("environment", "production")]),
            &["application=~api-.*".into()],
        )
        .unwrap();
        let (exact, other) = split_matchers(&f.matchers);
        assert_eq!(exact, labels(&[("environment", "production")]));
        assert_eq!(other, vec!["application=~api-.*".to_string()]);
    }
}
