//! Routing: from an event and the rules to the set of channels that must receive it, and
//! the explanation of that decision. `route` is `explain` without the reasons, so what
//! `POST /api/v1/rules/explain` says is what ingest does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use ulid::Ulid;

use crate::catalog;
use crate::event::{Event, Severity};
use crate::mute::{self, MuteWindow, WhileMuted};
use crate::rule::{MatchOp, Mismatch, Rule};
use crate::time::{Millis, to_rfc3339};

/// Mute windows by id, as rules name them.
pub type MuteWindows = BTreeMap<Ulid, MuteWindow>;

/// One rule that sends an event to a channel, with what it asks of the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteRule {
    pub rule: Ulid,
    /// The rule is muted and holds the event: the delivery falls due then.
    pub hold_until: Option<Millis>,
    /// The rule's `repeat_interval`, in milliseconds.
    pub repeat_interval: Option<Millis>,
    /// The rule's `digest` window, in milliseconds.
    pub digest: Option<Millis>,
}

impl RouteRule {
    pub fn of(rule: Ulid) -> Self {
        Self {
            rule,
            hold_until: None,
            repeat_interval: None,
            digest: None,
        }
    }
}

/// One channel an event goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub channel: Ulid,
    /// Recipients a matching rule puts in place of the channel's own (email kinds).
    pub recipients: Option<String>,
    /// A template a matching rule puts in place of the channel's own (webhook kind).
    pub template: Option<String>,
    /// The rules that send the event there, in the order given.
    pub rules: Vec<RouteRule>,
}

/// Why a rule does not take an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal<'a> {
    /// Events of this type are never routed ([`catalog::never_routed`] says why).
    NeverRouted(&'static str),
    /// The rule's own conditions do not hold.
    Rule(Mismatch<'a>),
    /// The event is one of Tocsin's own audit events, and the rule does not name it with a
    /// pattern of its own (`audit.…`): `*` and rules without patterns do not take them.
    AuditNotNamed,
    /// The rule takes the event but a mute window of its is on, and it drops what it takes.
    Muted { window: String, until: Millis },
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NeverRouted(why) => f.write_str(why),
            Self::Rule(m) => m.fmt(f),
            Self::AuditNotNamed => f.write_str(
                "Tocsin's audit events reach only rules with an audit.… pattern; * does not take them",
            ),
            Self::Muted { window, until } => write!(
                f,
                "muted by {window} until {}; the rule drops what it takes while muted",
                to_rfc3339(*until)
            ),
        }
    }
}

/// A rule that takes the event while muted, and holds its deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub window: String,
    pub until: Millis,
}

impl fmt::Display for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "muted by {} until {}; held until then",
            self.window,
            to_rfc3339(self.until)
        )
    }
}

/// One rule and whether it takes the event.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleVerdict<'a> {
    pub rule: &'a Rule,
    /// `None` when the rule takes the event.
    pub refusal: Option<Refusal<'a>>,
    /// Set when the rule takes the event but holds it until a mute window ends.
    pub held: Option<Held>,
}

/// A channel that receives the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub channel: Ulid,
    pub recipients: Option<String>,
    pub template: Option<String>,
    /// The rules that take the event and name this channel, in the order given.
    pub rules: Vec<RouteRule>,
}

/// A channel that a rule taking the event names, but that will not receive it: it is not
/// enabled (disabled, or gone), or it is restricted to a tenant or to projects the event
/// is not of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub channel: Ulid,
    pub rules: Vec<Ulid>,
    pub reason: ChannelRefusal,
}

/// Why a channel does not take an event that a rule routes to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelRefusal {
    /// Disabled, or gone.
    Disabled,
    /// The channel belongs to a tenant, and the event's `source.customer` is not that tenant.
    Tenant {
        tenant: String,
        customer: Option<String>,
    },
    /// The channel is restricted to projects, and the event's `source.project` is none of them.
    Project {
        projects: Vec<String>,
        project: Option<String>,
    },
}

impl fmt::Display for ChannelRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Disabled => f.write_str("the channel is disabled"),
            Self::Tenant { tenant, customer } => match customer {
                Some(c) => write!(
                    f,
                    "the channel belongs to tenant {tenant}, the event's customer is {c}"
                ),
                None => write!(
                    f,
                    "the channel belongs to tenant {tenant}, the event has no source.customer"
                ),
            },
            Self::Project { projects, project } => match project {
                Some(p) => write!(
                    f,
                    "the channel takes only projects {}, the event's project is {p}",
                    projects.join(", ")
                ),
                None => write!(
                    f,
                    "the channel takes only projects {}, the event has no source.project",
                    projects.join(", ")
                ),
            },
        }
    }
}

/// Which channels may receive an event: enabled ones, within their tenant and projects.
pub trait ChannelGate {
    fn admits(&self, channel: Ulid, event: &Event) -> Result<(), ChannelRefusal>;
}

/// A plain set of enabled channels, none of them restricted.
impl ChannelGate for BTreeSet<Ulid> {
    fn admits(&self, channel: Ulid, _: &Event) -> Result<(), ChannelRefusal> {
        if self.contains(&channel) {
            Ok(())
        } else {
            Err(ChannelRefusal::Disabled)
        }
    }
}

/// What restricts a channel to some events: its tenant and its projects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restriction {
    pub tenant: Option<String>,
    pub projects: Vec<String>,
}

impl Restriction {
    /// Whether the channel may receive `event`: a tenant's channel only events whose
    /// `source.customer` is the tenant, a channel with projects only events of one of them.
    pub fn admits(&self, event: &Event) -> Result<(), ChannelRefusal> {
        if let Some(tenant) = &self.tenant {
            let customer = event.source.get("customer");
            if customer != Some(tenant) {
                return Err(ChannelRefusal::Tenant {
                    tenant: tenant.clone(),
                    customer: customer.cloned(),
                });
            }
        }
        if !self.projects.is_empty() {
            let project = event.source.get("project");
            if !project.is_some_and(|p| self.projects.contains(p)) {
                return Err(ChannelRefusal::Project {
                    projects: self.projects.clone(),
                    project: project.cloned(),
                });
            }
        }
        Ok(())
    }
}

/// The enabled channels with the restrictions of those that have any.
#[derive(Debug, Clone, Copy)]
pub struct Gates<'a> {
    pub enabled: &'a BTreeSet<Ulid>,
    pub restrictions: &'a BTreeMap<Ulid, Restriction>,
}

impl ChannelGate for Gates<'_> {
    fn admits(&self, channel: Ulid, event: &Event) -> Result<(), ChannelRefusal> {
        self.enabled.admits(channel, event)?;
        match self.restrictions.get(&channel) {
            Some(r) => r.admits(event),
            None => Ok(()),
        }
    }
}

/// The routing decision for one event with its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation<'a> {
    /// Set when the event's type is never routed.
    pub never_routed: Option<&'static str>,
    /// Every rule, in the order given, with why it does not take the event.
    pub rules: Vec<RuleVerdict<'a>>,
    /// The channels that receive the event, each once, ordered by id.
    pub targets: Vec<Target>,
    /// Channels a matching rule names that will not receive it, ordered by id.
    pub skipped: Vec<Skipped>,
}

/// The channels that receive `event`: every channel named by a rule that takes the event,
/// each once, in a stable order, and only channels that `channels` admits. When
/// several matching rules override a channel's recipients or template, the first rule in
/// `rules` wins. Mute windows are judged at the event's `received_at`.
pub fn route(
    event: &Event,
    rules: &[Rule],
    channels: &impl ChannelGate,
    windows: &MuteWindows,
) -> Vec<Route> {
    routes(decide(event, rules, channels, windows, |_, _, _| {}).0)
}

/// [`route`] through an index of the same `rules`: only the rules the index names for the
/// event are checked, in their order in `rules`, so the result is [`route`]'s, with the same
/// channel gate (enabled, tenant and project restrictions). An index built from other rules
/// is not trusted: then every rule is checked.
pub fn route_indexed(
    event: &Event,
    rules: &[Rule],
    index: &RuleIndex,
    channels: &impl ChannelGate,
    windows: &MuteWindows,
) -> Vec<Route> {
    if index.rules != rules.len() {
        return route(event, rules, channels, windows);
    }
    let candidates = index.candidates(event);
    let rules = candidates.iter().map(|&i| &rules[i]);
    routes(decide(event, rules, channels, windows, |_, _, _| {}).0)
}

fn routes(targets: Vec<Target>) -> Vec<Route> {
    targets
        .into_iter()
        .map(|t| Route {
            channel: t.channel,
            recipients: t.recipients,
            template: t.template,
            rules: t.rules,
        })
        .collect()
}

/// Rules filed by what an event must carry for them to take it, so that routing an event
/// checks the few rules that can take it rather than all of them. Each enabled rule is
/// filed under one key: an equality matcher (`label=value`, value not empty) when it has
/// one, else each of its event patterns (an exact type, or the text before a pattern's
/// first `*`); a rule with neither, or with a pattern that starts with `*`, is checked for
/// every event. Disabled rules take nothing and are not filed. Filing only narrows: each
/// candidate still goes through [`Rule::check`].
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    /// How many rules the index was built from.
    rules: usize,
    always: Vec<usize>,
    /// label → value → rules.
    by_label: HashMap<String, HashMap<String, Vec<usize>>>,
    by_type: HashMap<String, Vec<usize>>,
    by_prefix: HashMap<String, Vec<usize>>,
    /// The lengths of the prefixes in `by_prefix`, so a lookup tries only those.
    prefix_lengths: BTreeSet<usize>,
}

impl RuleIndex {
    pub fn new(rules: &[Rule]) -> Self {
        let mut index = RuleIndex {
            rules: rules.len(),
            ..Default::default()
        };
        for (i, rule) in rules.iter().enumerate() {
            if !rule.enabled {
                continue;
            }
            let equal = rule
                .matchers
                .iter()
                .find(|m| m.op == MatchOp::Eq && !m.value.is_empty());
            if let Some(m) = equal {
                index
                    .by_label
                    .entry(m.label.clone())
                    .or_default()
                    .entry(m.value.clone())
                    .or_default()
                    .push(i);
                continue;
            }
            if rule.events.is_empty() || rule.events.iter().any(|p| p.as_str().starts_with('*')) {
                index.always.push(i);
                continue;
            }
            for pattern in &rule.events {
                let text = pattern.as_str();
                match text.find('*') {
                    Some(star) => {
                        index.prefix_lengths.insert(star);
                        index
                            .by_prefix
                            .entry(text[..star].to_owned())
                            .or_default()
                            .push(i);
                    }
                    None => index.by_type.entry(text.to_owned()).or_default().push(i),
                }
            }
        }
        index
    }

    /// The rules that may take `event`, by position, in order, each once.
    fn candidates(&self, event: &Event) -> Vec<usize> {
        let mut found = self.always.clone();
        for (label, value) in &event.source {
            if let Some(list) = self.by_label.get(label).and_then(|v| v.get(value)) {
                found.extend_from_slice(list);
            }
        }
        let event_type = event.event_type.as_str();
        if let Some(list) = self.by_type.get(event_type) {
            found.extend_from_slice(list);
        }
        for &length in self.prefix_lengths.range(..=event_type.len()) {
            if let Some(list) = event_type
                .get(..length)
                .and_then(|prefix| self.by_prefix.get(prefix))
            {
                found.extend_from_slice(list);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// What [`route`] decides for `event`, and why: each rule's verdict, the channels that
/// receive the event with the rules that send it there, and the channels left out.
pub fn explain<'a>(
    event: &Event,
    rules: &'a [Rule],
    channels: &impl ChannelGate,
    windows: &MuteWindows,
) -> Explanation<'a> {
    let mut verdicts = Vec::with_capacity(rules.len());
    let (targets, skipped) = decide(event, rules, channels, windows, |rule, refusal, held| {
        verdicts.push(RuleVerdict {
            rule,
            refusal,
            held,
        })
    });
    Explanation {
        never_routed: catalog::never_routed(&event.event_type),
        rules: verdicts,
        targets,
        skipped,
    }
}

/// Whether one of the rule's mute windows is on when the event arrives: a refusal when the
/// rule drops, a hold when it holds. A window the rule names that no longer exists mutes
/// nothing.
fn muting(
    rule: &Rule,
    event: &Event,
    windows: &MuteWindows,
) -> (Option<Refusal<'static>>, Option<Held>) {
    if rule.mute.is_empty()
        || (rule.critical_breaks_through && event.severity == Severity::Critical)
    {
        return (None, None);
    }
    let named: Vec<&MuteWindow> = rule.mute.iter().filter_map(|id| windows.get(id)).collect();
    let Some((window, until)) = mute::muted_until(&named, event.received_at) else {
        return (None, None);
    };
    let window = window.name.clone();
    match rule.while_muted {
        WhileMuted::Drop => (Some(Refusal::Muted { window, until }), None),
        WhileMuted::Hold => (None, Some(Held { window, until })),
    }
}

/// Whether a rule names audit events with a pattern of its own (`audit.*`,
/// `audit.channel.deleted`, the expanded `@destructive` preset).
fn names_audit(rule: &Rule) -> bool {
    rule.events.iter().any(|p| p.as_str().starts_with("audit."))
}

fn millis(d: std::time::Duration) -> Millis {
    Millis::try_from(d.as_millis()).unwrap_or(Millis::MAX)
}

/// The one routing walk: calls `verdict` for every rule, in order, and returns the targets
/// and the skipped channels.
fn decide<'a>(
    event: &Event,
    rules: impl IntoIterator<Item = &'a Rule>,
    channels: &impl ChannelGate,
    windows: &MuteWindows,
    mut verdict: impl FnMut(&'a Rule, Option<Refusal<'a>>, Option<Held>),
) -> (Vec<Target>, Vec<Skipped>) {
    let never_routed = catalog::never_routed(&event.event_type);
    let audit = catalog::is_tocsin_audit(&event.event_type);
    let mut targets: BTreeMap<Ulid, Target> = BTreeMap::new();
    let mut skipped: BTreeMap<Ulid, (Vec<Ulid>, ChannelRefusal)> = BTreeMap::new();
    for rule in rules {
        let (refusal, held) = match never_routed {
            Some(why) => (Some(Refusal::NeverRouted(why)), None),
            None if audit && !names_audit(rule) => (Some(Refusal::AuditNotNamed), None),
            None => match rule.check(event) {
                Err(m) => (Some(Refusal::Rule(m)), None),
                Ok(()) => muting(rule, event, windows),
            },
        };
        if refusal.is_none() {
            let sender = RouteRule {
                rule: rule.id,
                hold_until: held.as_ref().map(|h| h.until),
                repeat_interval: rule.repeat_interval.map(millis),
                digest: rule.digest.map(millis),
            };
            for channel in &rule.channels {
                if let Err(refusal) = channels.admits(*channel, event) {
                    skipped
                        .entry(*channel)
                        .or_insert_with(|| (Vec::new(), refusal))
                        .0
                        .push(rule.id);
                    continue;
                }
                let target = targets.entry(*channel).or_insert_with(|| Target {
                    channel: *channel,
                    recipients: None,
                    template: None,
                    rules: Vec::new(),
                });
                if target.recipients.is_none() {
                    target.recipients.clone_from(&rule.recipients);
                }
                if target.template.is_none() {
                    target.template.clone_from(&rule.template);
                }
                target.rules.push(sender);
            }
        }
        verdict(rule, refusal, held);
    }
    (
        targets.into_values().collect(),
        skipped
            .into_iter()
            .map(|(channel, (rules, reason))| Skipped {
                channel,
                rules,
                reason,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventInput, Severity};
    use crate::rule::{EventPattern, Matcher};

    static NONE: MuteWindows = MuteWindows::new();

    fn event(t: &str, env: &str, sev: Severity) -> Event {
        let mut e = Event::parse(
            EventInput {
                event_type: Some(t.into()),
                title: Some("t".into()),
                ..Default::default()
            },
            Ulid::nil(),
            0,
        )
        .unwrap();
        e.source.insert("environment".into(), env.into());
        e.severity = sev;
        e
    }

    fn rule(events: &[&str], matchers: &[&str], channels: &[Ulid]) -> Rule {
        Rule {
            id: Ulid::new(),
            name: "r".into(),
            events: events
                .iter()
                .map(|p| EventPattern::parse(p).unwrap())
                .collect(),
            matchers: matchers
                .iter()
                .map(|m| Matcher::parse(m).unwrap())
                .collect(),
            min_severity: None,
            channels: channels.to_vec(),
            enabled: true,
            owner_channel: None,
            recipients: None,
            mute: Vec::new(),
            while_muted: WhileMuted::Drop,
            critical_breaks_through: false,
            repeat_interval: None,
            template: None,
            digest: None,
            tenant: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn an_event_reaches_each_channel_once() {
        let (a, b) = (Ulid::from_parts(1, 1), Ulid::from_parts(2, 2));
        let rules = [
            rule(&["deploy.*"], &[], &[a, b]),
            rule(&["deploy.success"], &["environment=production"], &[a]),
        ];
        let enabled = BTreeSet::from([a, b]);
        let e = event("deploy.success", "production", Severity::Info);
        let channels: Vec<Ulid> = route(&e, &rules, &enabled, &NONE)
            .into_iter()
            .map(|r| r.channel)
            .collect();
        assert_eq!(channels, vec![a, b]);
    }

    #[test]
    fn disabled_channels_rules_and_mismatches_are_skipped() {
        let (a, b) = (Ulid::from_parts(1, 1), Ulid::from_parts(2, 2));
        let mut off = rule(&["*"], &[], &[b]);
        off.enabled = false;
        let mut severe = rule(&["*"], &[], &[b]);
        severe.min_severity = Some(Severity::Warning);
        let rules = [
            rule(&["deploy.*"], &["environment=production"], &[a, b]),
            off,
            severe,
        ];
        let e = event("deploy.success", "staging", Severity::Info);
        assert!(route(&e, &rules, &BTreeSet::from([a, b]), &NONE).is_empty());
        let e = event("deploy.success", "production", Severity::Critical);
        let channels: Vec<Ulid> = route(&e, &rules, &BTreeSet::from([a]), &NONE)
            .into_iter()
            .map(|r| r.channel)
            .collect();
        assert_eq!(channels, vec![a]);
    }

    #[test]
    fn a_recovery_passes_the_severity_floor() {
        let a = Ulid::from_parts(1, 1);
        let mut severe = rule(&["*"], &[], &[a]);
        severe.min_severity = Some(Severity::Warning);
        let enabled = BTreeSet::from([a]);
        assert!(
            route(
                &event("service.health.down", "p", Severity::Info),
                &[severe.clone()],
                &enabled,
                &NONE
            )
            .is_empty()
        );
        let recovered = event("service.health.recovered", "p", Severity::Ok);
        assert_eq!(route(&recovered, &[severe], &enabled, &NONE).len(), 1);
    }

    #[test]
    fn the_first_matching_rule_with_recipients_or_a_template_sets_them() {
        let a = Ulid::from_parts(1, 1);
        let plain = rule(&["*"], &[], &[a]);
        let mut first = rule(&["deploy.*"], &[], &[a]);
        first.recipients = Some("oncall@example.com".into());
        let mut second = rule(&["*"], &[], &[a]);
        second.recipients = Some("all@example.com".into());
        second.template = Some("slack".into());
        let mut third = rule(&["*"], &[], &[a]);
        third.template = Some("teams".into());
        let ids = [plain.id, first.id, second.id, third.id];
        let e = event("deploy.success", "production", Severity::Info);
        let routes = route(
            &e,
            &[plain, first, second, third],
            &BTreeSet::from([a]),
            &NONE,
        );
        assert_eq!(
            routes,
            vec![Route {
                channel: a,
                recipients: Some("oncall@example.com".into()),
                template: Some("slack".into()),
                rules: ids.into_iter().map(RouteRule::of).collect(),
            }]
        );
    }

    fn reasons(e: &Event, rules: &[Rule]) -> Vec<Option<String>> {
        explain(e, rules, &BTreeSet::new(), &NONE)
            .rules
            .iter()
            .map(|v| v.refusal.as_ref().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn explain_names_the_matcher_that_does_not_hold_for_every_operator() {
        let a = Ulid::from_parts(1, 1);
        let rules = [
            rule(&[], &["environment=production"], &[a]),
            rule(&[], &["environment!=staging"], &[a]),
            rule(&[], &["environment=~prod.*"], &[a]),
            rule(&[], &["environment!~stag.*"], &[a]),
        ];
        let e = event("deploy.success", "staging", Severity::Info);
        assert_eq!(
            reasons(&e, &rules),
            [
                Some("matcher environment=production does not hold".into()),
                Some("matcher environment!=staging does not hold".into()),
                Some("matcher environment=~prod.* does not hold".into()),
                Some("matcher environment!~stag.* does not hold".into()),
            ]
        );
        let e = event("deploy.success", "production", Severity::Info);
        assert_eq!(reasons(&e, &rules), [None, None, None, None]);
    }

    #[test]
    fn explain_names_pattern_severity_and_disabled_rules() {
        let a = Ulid::from_parts(1, 1);
        let mut severe = rule(&["*"], &[], &[a]);
        severe.min_severity = Some(Severity::Warning);
        let mut off = rule(&["*"], &[], &[a]);
        off.enabled = false;
        let rules = [rule(&["backup.*"], &[], &[a]), severe, off];
        let e = event("deploy.success", "production", Severity::Info);
        let why = explain(&e, &rules, &BTreeSet::from([a]), &NONE);
        let refusals: Vec<_> = why.rules.iter().map(|v| v.refusal.clone()).collect();
        assert_eq!(
            refusals,
            [
                Some(Refusal::Rule(Mismatch::EventType)),
                Some(Refusal::Rule(Mismatch::Severity {
                    min: Severity::Warning,
                    got: Severity::Info
                })),
                Some(Refusal::Rule(Mismatch::Disabled)),
            ]
        );
        assert!(why.targets.is_empty());
        assert!(why.never_routed.is_none());
    }

    #[test]
    fn explain_lists_each_channel_once_with_its_rules_and_the_disabled_ones_apart() {
        let (a, b, c) = (
            Ulid::from_parts(1, 1),
            Ulid::from_parts(2, 2),
            Ulid::from_parts(3, 3),
        );
        let first = rule(&["deploy.*"], &[], &[a, b]);
        let second = rule(&["*"], &[], &[a, c]);
        let rules = [first.clone(), second.clone()];
        let e = event("deploy.success", "production", Severity::Info);
        let enabled = BTreeSet::from([a, c]);
        let why = explain(&e, &rules, &enabled, &NONE);
        assert_eq!(
            why.targets,
            [
                Target {
                    channel: a,
                    recipients: None,
                    template: None,
                    rules: vec![RouteRule::of(first.id), RouteRule::of(second.id)]
                },
                Target {
                    channel: c,
                    recipients: None,
                    template: None,
                    rules: vec![RouteRule::of(second.id)]
                },
            ]
        );
        assert_eq!(
            why.skipped,
            [Skipped {
                channel: b,
                rules: vec![first.id],
                reason: ChannelRefusal::Disabled,
            }]
        );
        let routed: Vec<Ulid> = route(&e, &rules, &enabled, &NONE)
            .into_iter()
            .map(|r| r.channel)
            .collect();
        let explained: Vec<Ulid> = why.targets.iter().map(|t| t.channel).collect();
        assert_eq!(routed, explained, "route and explain agree");
    }

    #[test]
    fn test_events_and_tocsin_events_are_never_routed() {
        let a = Ulid::from_parts(1, 1);
        let rules = [rule(&["*"], &[], &[a])];
        for t in ["notification.test", "tocsin.delivery.failed"] {
            let e = event(t, "production", Severity::Critical);
            assert!(
                route(&e, &rules, &BTreeSet::from([a]), &NONE).is_empty(),
                "{t}"
            );
            let why = explain(&e, &rules, &BTreeSet::from([a]), &NONE);
            assert!(why.never_routed.is_some());
            assert!(matches!(
                why.rules[0].refusal,
                Some(Refusal::NeverRouted(_))
            ));
        }
    }

    #[test]
    fn a_tenants_channel_takes_only_its_customers_events_and_projects_restrict_a_channel() {
        let (a, b, c) = (
            Ulid::from_parts(1, 1),
            Ulid::from_parts(2, 2),
            Ulid::from_parts(3, 3),
        );
        let rules = [rule(&["*"], &[], &[a, b, c])];
        let enabled = BTreeSet::from([a, b, c]);
        let restrictions = BTreeMap::from([
            (
                a,
                Restriction {
                    tenant: Some("acme".into()),
                    projects: Vec::new(),
                },
            ),
            (
                b,
                Restriction {
                    tenant: None,
                    projects: vec!["shop".into(), "blog".into()],
                },
            ),
        ]);
        let gates = Gates {
            enabled: &enabled,
            restrictions: &restrictions,
        };
        let mut e = event("deploy.success", "production", Severity::Info);
        e.source.insert("customer".into(), "globex".into());
        e.source.insert("project".into(), "shop".into());
        let routed: Vec<Ulid> = route(&e, &rules, &gates, &NONE)
            .into_iter()
            .map(|r| r.channel)
            .collect();
        assert_eq!(routed, [b, c]);
        let why = explain(&e, &rules, &gates, &NONE);
        assert_eq!(why.skipped.len(), 1);
        assert_eq!(
            why.skipped[0].reason.to_string(),
            "the channel belongs to tenant acme, the event's customer is globex"
        );

        e.source.insert("customer".into(), "acme".into());
        e.source.insert("project".into(), "wiki".into());
        let why = explain(&e, &rules, &gates, &NONE);
        let routed: Vec<Ulid> = why.targets.iter().map(|t| t.channel).collect();
        assert_eq!(routed, [a, c]);
        assert_eq!(
            why.skipped[0].reason.to_string(),
            "the channel takes only projects shop, blog, the event's project is wiki"
        );
        e.source.remove("project");
        e.source.remove("customer");
        let why = explain(&e, &rules, &gates, &NONE);
        let reasons: Vec<String> = why.skipped.iter().map(|s| s.reason.to_string()).collect();
        assert_eq!(
            reasons,
            [
                "the channel belongs to tenant acme, the event has no source.customer",
                "the channel takes only projects shop, blog, the event has no source.project",
            ]
        );
    }

    #[test]
    fn tocsins_audit_events_reach_only_rules_that_name_them() {
        let a = Ulid::from_parts(1, 1);
        let rules = [
            rule(&["*"], &[], &[a]),
            rule(&[], &[], &[a]),
            rule(&["audit.*"], &[], &[a]),
        ];
        let e = event("audit.channel.created", "production", Severity::Info);
        let why = explain(&e, &rules, &BTreeSet::from([a]), &NONE);
        let refusals: Vec<_> = why.rules.iter().map(|v| v.refusal.clone()).collect();
        assert_eq!(
            refusals,
            [
                Some(Refusal::AuditNotNamed),
                Some(Refusal::AuditNotNamed),
                None
            ]
        );
        // A source's own audit events are routed like any other.
        let e = event("audit.domain.delete", "production", Severity::Info);
        let why = explain(&e, &rules, &BTreeSet::from([a]), &NONE);
        assert!(why.rules.iter().all(|v| v.refusal.is_none()));
    }

    fn berlin_nights() -> MuteWindow {
        let zone = jiff::tz::TimeZone::get("Europe/Berlin").unwrap_or_else(|e| {
            panic!("Europe/Berlin is missing from the system tz database (install tzdata): {e}")
        });
        MuteWindow {
            id: Ulid::from_parts(9, 9),
            name: "nights".into(),
            time_zone: zone,
            intervals: MuteWindow::parse_intervals(&[crate::mute::IntervalText {
                days: vec!["mon".into()],
                start: "22:00".into(),
                end: "07:00".into(),
            }])
            .unwrap(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_muted_rule_drops_or_holds_and_critical_breaks_through_when_allowed() {
        let (a, b) = (Ulid::from_parts(1, 1), Ulid::from_parts(2, 2));
        let nights = berlin_nights();
        let windows = MuteWindows::from([(nights.id, nights.clone())]);
        let mut dropping = rule(&["*"], &[], &[a]);
        dropping.mute = vec![nights.id];
        let mut holding = rule(&["*"], &[], &[b]);
        holding.mute = vec![nights.id];
        holding.while_muted = WhileMuted::Hold;
        holding.repeat_interval = Some(std::time::Duration::from_secs(3600));
        let rules = [dropping.clone(), holding];
        let enabled = BTreeSet::from([a, b]);
        // Monday 2026-11-23 22:30 Berlin (21:30 UTC), muted until Tuesday 07:00 (06:00 UTC).
        let mut e = event("deploy.failure", "production", Severity::Warning);
        e.received_at = crate::time::parse_rfc3339("2026-11-23T21:30:00Z").unwrap();
        let end = crate::time::parse_rfc3339("2026-11-24T06:00:00Z").unwrap();
        let routes = route(&e, &rules, &enabled, &windows);
        assert_eq!(routes.len(), 1);
        assert_eq!(routes[0].channel, b);
        assert_eq!(routes[0].rules[0].hold_until, Some(end));
        assert_eq!(routes[0].rules[0].repeat_interval, Some(3_600_000));
        let why = explain(&e, &rules, &enabled, &windows);
        assert_eq!(
            why.rules[0]
                .refusal
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some(
                "muted by nights until 2026-11-24T06:00:00Z; the rule drops what it takes while muted"
            )
        );
        assert_eq!(
            why.rules[1]
                .held
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("muted by nights until 2026-11-24T06:00:00Z; held until then")
        );

        // A critical event is muted too, unless the rule lets it through.
        e.severity = Severity::Critical;
        assert_eq!(route(&e, &rules, &enabled, &windows).len(), 1);
        dropping.critical_breaks_through = true;
        let rules = [dropping];
        assert_eq!(route(&e, &rules, &enabled, &windows).len(), 1);

        // Outside the window, nothing is muted.
        e.received_at = end;
        e.severity = Severity::Warning;
        let routes = route(&e, &rules, &enabled, &windows);
        assert_eq!(routes[0].rules[0].hold_until, None);
    }

    #[test]
    fn the_index_routes_exactly_as_the_full_walk() {
        let channels: Vec<Ulid> = (1..=4u64).map(|i| Ulid::from_parts(i, i.into())).collect();
        let enabled: BTreeSet<Ulid> = channels[..3].iter().copied().collect();
        let patterns: &[&[&str]] = &[
            &[],
            &["deploy.*"],
            &["deploy.failure"],
            &["*.failure"],
            &["dep*", "backup.failure"],
            &["*"],
            &["backup.*", "deploy.success"],
        ];
        let matchers: &[&[&str]] = &[
            &[],
            &["environment=production"],
            &["environment="],
            &["environment!=production"],
            &["environment=~prod.*", "application=api"],
            &["application=api"],
            &["application!~api"],
        ];
        let mut rules = Vec::new();
        for (i, events) in patterns.iter().enumerate() {
            for (j, matchers) in matchers.iter().enumerate() {
                let mut r = rule(events, matchers, &[channels[(i + j) % 4]]);
                r.enabled = (i * 7 + j) % 5 != 0;
                r.template = Some(format!("t{i}{j}"));
                rules.push(r);
            }
        }
        let index = RuleIndex::new(&rules);
        // A gate with a tenant's channel and a channel of one project.
        let restrictions: BTreeMap<Ulid, Restriction> = [
            (
                channels[0],
                Restriction {
                    tenant: Some("acme".into()),
                    projects: Vec::new(),
                },
            ),
            (
                channels[1],
                Restriction {
                    tenant: None,
                    projects: vec!["p1".into()],
                },
            ),
        ]
        .into_iter()
        .collect();
        let gates = Gates {
            enabled: &enabled,
            restrictions: &restrictions,
        };
        let mut checked = 0;
        let mut gated = 0;
        for t in [
            "deploy.failure",
            "deploy.success",
            "backup.failure",
            "d",
            "x.y",
            "deployx.y",
        ] {
            for env in ["production", "staging", ""] {
                for app in [None, Some("api"), Some("web")] {
                    let mut e = event(t, env, Severity::Warning);
                    if env.is_empty() {
                        e.source.remove("environment");
                    }
                    if let Some(app) = app {
                        e.source.insert("application".into(), app.into());
                    }
                    let all = route(&e, &rules, &enabled, &NONE);
                    let indexed = route_indexed(&e, &rules, &index, &enabled, &NONE);
                    assert_eq!(indexed, all, "{t} {env} {app:?}");
                    checked += all.len();
                    for customer in [None, Some("acme"), Some("other")] {
                        for project in [None, Some("p1"), Some("p2")] {
                            let mut e = e.clone();
                            if let Some(c) = customer {
                                e.source.insert("customer".into(), c.into());
                            }
                            if let Some(p) = project {
                                e.source.insert("project".into(), p.into());
                            }
                            let all = route(&e, &rules, &gates, &NONE);
                            let indexed = route_indexed(&e, &rules, &index, &gates, &NONE);
                            assert_eq!(indexed, all, "{t} {env} {app:?} {customer:?} {project:?}");
                            let plain = route(&e, &rules, &enabled, &NONE);
                            gated += plain.len() - all.len();
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "the cases route somewhere: {checked}");
        assert!(gated > 0, "the gate refuses some channels");
        // An index of other rules is not trusted.
        let e = event("deploy.failure", "production", Severity::Warning);
        assert_eq!(
            route_indexed(&e, &rules, &RuleIndex::new(&rules[..3]), &enabled, &NONE),
            route(&e, &rules, &enabled, &NONE)
        );
        assert_eq!(
            route_indexed(&e, &rules, &RuleIndex::new(&rules[..3]), &gates, &NONE),
            route(&e, &rules, &gates, &NONE)
        );
    }
}
