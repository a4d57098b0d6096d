//! Routing: from an event and the rules to the set of channels that must receive it, and
//! the explanation of that decision. `route` is `explain` without the reasons, so what
//! `POST /api/v1/rules/explain` says is what ingest does.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use ulid::Ulid;

use crate::catalog;
use crate::event::Event;
use crate::rule::{Mismatch, Rule};

/// One channel an event goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub channel: Ulid,
    /// Recipients a matching rule puts in place of the channel's own (email kinds).
    pub recipients: Option<String>,
}

/// Why a rule does not take an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Events of this type are never routed ([`catalog::never_routed`] says why).
    NeverRouted(&'static str),
    /// The rule's own conditions do not hold.
    Rule(Mismatch),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NeverRouted(why) => f.write_str(why),
            Self::Rule(m) => m.fmt(f),
        }
    }
}

/// One rule and whether it takes the event.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleVerdict<'a> {
    pub rule: &'a Rule,
    /// `None` when the rule takes the event.
    pub refusal: Option<Refusal>,
}

/// A channel that receives the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub channel: Ulid,
    pub recipients: Option<String>,
    /// The rules that take the event and name this channel, in the order given.
    pub rules: Vec<Ulid>,
}

/// A channel that a rule taking the event names, but that will not receive it because it
/// is not enabled (disabled, or gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub channel: Ulid,
    pub rules: Vec<Ulid>,
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
    /// Channels a matching rule names that are not enabled, ordered by id.
    pub skipped: Vec<Skipped>,
}

/// The channels that receive `event`: every channel named by a rule that takes the event,
/// each once, in a stable order, and only channels that are in `enabled_channels`. When
/// several matching rules override a channel's recipients, the first rule in `rules` wins.
pub fn route(event: &Event, rules: &[Rule], enabled_channels: &BTreeSet<Ulid>) -> Vec<Route> {
    decide(event, rules, enabled_channels, |_, _| {})
        .0
        .into_iter()
        .map(|t| Route {
            channel: t.channel,
            recipients: t.recipients,
        })
        .collect()
}

/// What [`route`] decides for `event`, and why: each rule's verdict, the channels that
/// receive the event with the rules that send it there, and the channels left out.
pub fn explain<'a>(
    event: &Event,
    rules: &'a [Rule],
    enabled_channels: &BTreeSet<Ulid>,
) -> Explanation<'a> {
    let mut verdicts = Vec::with_capacity(rules.len());
    let (targets, skipped) = decide(event, rules, enabled_channels, |rule, refusal| {
        verdicts.push(RuleVerdict { rule, refusal })
    });
    Explanation {
        never_routed: catalog::never_routed(&event.event_type),
        rules: verdicts,
        targets,
        skipped,
    }
}

/// The one routing walk: calls `verdict` for every rule, in order, and returns the targets
/// and the skipped channels.
fn decide<'a>(
    event: &Event,
    rules: &'a [Rule],
    enabled_channels: &BTreeSet<Ulid>,
    mut verdict: impl FnMut(&'a Rule, Option<Refusal>),
) -> (Vec<Target>, Vec<Skipped>) {
    let never_routed = catalog::never_routed(&event.event_type);
    let mut targets: BTreeMap<Ulid, Target> = BTreeMap::new();
    let mut skipped: BTreeMap<Ulid, Vec<Ulid>> = BTreeMap::new();
    for rule in rules {
        let refusal = match never_routed {
            Some(why) => Some(Refusal::NeverRouted(why)),
            None => rule.check(event).err().map(Refusal::Rule),
        };
        if refusal.is_none() {
            for channel in &rule.channels {
                if !enabled_channels.contains(channel) {
                    skipped.entry(*channel).or_default().push(rule.id);
                    continue;
                }
                let target = targets.entry(*channel).or_insert_with(|| Target {
                    channel: *channel,
                    recipients: None,
                    rules: Vec::new(),
                });
                if target.recipients.is_none() {
                    target.recipients.clone_from(&rule.recipients);
                }
                target.rules.push(rule.id);
            }
        }
        verdict(rule, refusal);
    }
    (
        targets.into_values().collect(),
        skipped
            .into_iter()
            .map(|(channel, rules)| Skipped { channel, rules })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventInput, Severity};
    use crate::rule::{EventPattern, Matcher};

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
        let channels: Vec<Ulid> = route(&e, &rules, &enabled)
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
        assert!(route(&e, &rules, &BTreeSet::from([a, b])).is_empty());
        let e = event("deploy.success", "production", Severity::Critical);
        let channels: Vec<Ulid> = route(&e, &rules, &BTreeSet::from([a]))
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
                &enabled
            )
            .is_empty()
        );
        let recovered = event("service.health.recovered", "p", Severity::Ok);
        assert_eq!(route(&recovered, &[severe], &enabled).len(), 1);
    }

    #[test]
    fn the_first_matching_rule_with_recipients_sets_them() {
        let a = Ulid::from_parts(1, 1);
        let plain = rule(&["*"], &[], &[a]);
        let mut first = rule(&["deploy.*"], &[], &[a]);
        first.recipients = Some("oncall@example.com".into());
        let mut second = rule(&["*"], &[], &[a]);
        second.recipients = Some("all@example.com".into());
        let e = event("deploy.success", "production", Severity::Info);
        let routes = route(&e, &[plain, first, second], &BTreeSet::from([a]));
        assert_eq!(
            routes,
            vec![Route {
                channel: a,
                recipients: Some("oncall@example.com".into())
            }]
        );
    }

    fn reasons(e: &Event, rules: &[Rule]) -> Vec<Option<String>> {
        explain(e, rules, &BTreeSet::new())
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
        let why = explain(&e, &rules, &BTreeSet::from([a]));
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
        let why = explain(&e, &rules, &enabled);
        assert_eq!(
            why.targets,
            [
                Target {
                    channel: a,
                    recipients: None,
                    rules: vec![first.id, second.id]
                },
                Target {
                    channel: c,
                    recipients: None,
                    rules: vec![second.id]
                },
            ]
        );
        assert_eq!(
            why.skipped,
            [Skipped {
                channel: b,
                rules: vec![first.id]
            }]
        );
        let routed: Vec<Ulid> = route(&e, &rules, &enabled)
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
            assert!(route(&e, &rules, &BTreeSet::from([a])).is_empty(), "{t}");
            let why = explain(&e, &rules, &BTreeSet::from([a]));
            assert!(why.never_routed.is_some());
            assert!(matches!(
                why.rules[0].refusal,
                Some(Refusal::NeverRouted(_))
            ));
        }
    }
}
