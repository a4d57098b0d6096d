//! Routing: from an event and the rules to the set of channels that must receive it.

use std::collections::{BTreeMap, BTreeSet};

use ulid::Ulid;

use crate::event::Event;
use crate::rule::Rule;

/// One channel an event goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub channel: Ulid,
    /// Recipients a matching rule puts in place of the channel's own (email kinds).
    pub recipients: Option<String>,
}

/// The channels that receive `event`: every channel named by a rule that takes the event,
/// each once, in a stable order, and only channels that are in `enabled_channels`. When
/// several matching rules override a channel's recipients, the first rule in `rules` wins.
pub fn route(event: &Event, rules: &[Rule], enabled_channels: &BTreeSet<Ulid>) -> Vec<Route> {
    let mut targets: BTreeMap<Ulid, Option<String>> = BTreeMap::new();
    for rule in rules.iter().filter(|r| r.check(event).is_ok()) {
        for channel in rule
            .channels
            .iter()
            .filter(|c| enabled_channels.contains(c))
        {
            let recipients = targets.entry(*channel).or_default();
            if recipients.is_none() {
                recipients.clone_from(&rule.recipients);
            }
        }
    }
    targets
        .into_iter()
        .map(|(channel, recipients)| Route {
            channel,
            recipients,
        })
        .collect()
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
}
