//! Monitor states: the last `state` seen per `state_key`, so that an event with a state
//! notifies only on a transition. The store keeps the last state and applies
//! [`StateChange::between`] in the same transaction as the event insert.

use std::fmt;

use ulid::Ulid;

use crate::routing::RouteRule;
use crate::time::Millis;

/// States that mean "back to normal" (compared without regard to case).
pub const GOOD_STATES: &[&str] = &["ok", "up", "resolved", "recovered", "healthy", "normal"];

/// Whether `state` means "nothing is wrong".
pub fn is_good(state: &str) -> bool {
    GOOD_STATES
        .iter()
        .any(|good| good.eq_ignore_ascii_case(state))
}

/// What an event's state means against the last state seen for its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    /// The state last seen for the key; `None` on its first sighting.
    pub previous: Option<String>,
    /// The event's own state.
    pub current: String,
    /// Whether the event notifies; when false it is stored without deliveries.
    pub notify: bool,
}

impl StateChange {
    /// The rules of transitions. States are compared without regard to case.
    ///
    /// - first sighting of a bad state: notify;
    /// - first sighting of a good state: nothing was wrong, stay quiet;
    /// - the same state again: stay quiet;
    /// - a bad state after another state (good or bad): notify;
    /// - a good state after a bad one: notify (a recovery);
    /// - a good state after another good one (`ok` then `up`): stay quiet.
    pub fn between(previous: Option<&str>, current: &str) -> Self {
        let notify = match previous {
            None => !is_good(current),
            Some(p) if p.eq_ignore_ascii_case(current) => false,
            Some(p) => !(is_good(p) && is_good(current)),
        };
        Self {
            previous: previous.map(str::to_owned),
            current: current.to_owned(),
            notify,
        }
    }

    /// Whether the event ends a bad state.
    pub fn is_recovery(&self) -> bool {
        self.notify && is_good(&self.current)
    }

    /// Why a quiet change stays quiet, for the API's answer; `None` when it notifies.
    pub fn suppressed_because(&self) -> Option<String> {
        if self.notify {
            return None;
        }
        Some(match &self.previous {
            None => format!(
                "first state seen is a good one ({}): nothing was wrong",
                self.current
            ),
            Some(p) if p.eq_ignore_ascii_case(&self.current) => {
                format!("state unchanged ({})", self.current)
            }
            Some(p) => format!("still in a good state ({p} → {})", self.current),
        })
    }
}

impl fmt::Display for StateChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.previous {
            None => write!(f, "→ {}", self.current),
            Some(p) => write!(f, "{p} → {}", self.current),
        }
    }
}

/// When one channel's delivery of an event falls due, and the rules that notify with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub at: Millis,
    /// The rules this delivery notifies for: the store records when they last notified for
    /// the event's `state_key`, for their `repeat_interval`.
    pub notifying: Vec<Ulid>,
    /// Set when every notifying rule batches in a digest: the shortest of their windows.
    pub digest: Option<Millis>,
}

/// Decides the delivery a channel gets from an event routed there by `rules` (empty: one
/// rule without options):
///
/// - an event without a state, or whose state notifies: every rule notifies;
/// - a bad state seen again unchanged: only the rules with a `repeat_interval` that has
///   passed since they last notified for the key (`last_notified`), or that never did;
/// - otherwise no rule does, and there is no delivery (`None`).
///
/// The delivery falls due at the earliest instant one of the notifying rules allows: `now`,
/// or the end of the mute window a holding rule waits for. It goes into a digest only when
/// every notifying rule asks for one: a rule that sends at once wins, as with holds.
pub fn due(
    rules: &[RouteRule],
    change: Option<&StateChange>,
    last_notified: impl Fn(Ulid) -> Option<Millis>,
    now: Millis,
) -> Option<Due> {
    let transition = change.is_none_or(|c| c.notify);
    if rules.is_empty() {
        return transition.then_some(Due {
            at: now,
            notifying: Vec::new(),
            digest: None,
        });
    }
    let repeats = change.is_some_and(|c| !c.notify && !is_good(&c.current));
    let notifying: Vec<&RouteRule> = rules
        .iter()
        .filter(|r| {
            transition
                || (repeats
                    && r.repeat_interval.is_some_and(|every| {
                        last_notified(r.rule).is_none_or(|last| now.saturating_sub(last) >= every)
                    }))
        })
        .collect();
    let at = notifying
        .iter()
        .map(|r| r.hold_until.unwrap_or(now))
        .min()?;
    let digest = notifying
        .iter()
        .map(|r| r.digest)
        .collect::<Option<Vec<Millis>>>()
        .and_then(|windows| windows.into_iter().min());
    Some(Due {
        at,
        notifying: notifying.iter().map(|r| r.rule).collect(),
        digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notifies(previous: Option<&str>, current: &str) -> bool {
        StateChange::between(previous, current).notify
    }

    #[test]
    fn notifies_only_on_transitions() {
        assert!(notifies(None, "down"), "first bad sighting");
        assert!(!notifies(None, "up"), "first good sighting");
        assert!(!notifies(Some("down"), "down"), "repeat");
        assert!(!notifies(Some("down"), "DOWN"), "repeat, other case");
        assert!(notifies(Some("warning"), "critical"), "bad to worse");
        assert!(notifies(Some("up"), "down"), "good to bad");
        assert!(notifies(Some("down"), "up"), "recovery");
        assert!(!notifies(Some("ok"), "Healthy"), "good to good");
    }

    #[test]
    fn recoveries_and_reasons() {
        let recovery = StateChange::between(Some("firing"), "resolved");
        assert!(recovery.is_recovery());
        assert_eq!(recovery.suppressed_because(), None);
        assert_eq!(recovery.to_string(), "firing → resolved");
        assert!(!StateChange::between(None, "down").is_recovery());
        assert_eq!(
            StateChange::between(Some("down"), "down").suppressed_because(),
            Some("state unchanged (down)".into())
        );
        assert_eq!(
            StateChange::between(None, "ok").suppressed_because(),
            Some("first state seen is a good one (ok): nothing was wrong".into())
        );
    }

    #[test]
    fn good_states_ignore_case() {
        for s in ["ok", "UP", "Resolved", "recovered", "healthy", "NORMAL"] {
            assert!(is_good(s), "{s}");
        }
        for s in ["down", "firing", "degraded", "okay-ish"] {
            assert!(!is_good(s), "{s}");
        }
    }

    fn repeating(rule: u64, every: Millis) -> RouteRule {
        RouteRule {
            repeat_interval: Some(every),
            ..RouteRule::of(Ulid::from_parts(rule, 0))
        }
    }

    #[test]
    fn a_repeat_interval_renotifies_an_unchanged_bad_state_once_it_has_passed() {
        const HOUR: Millis = 3_600_000;
        let plain = RouteRule::of(Ulid::from_parts(1, 0));
        let hourly = repeating(2, HOUR);
        let rules = [plain, hourly];
        let down = StateChange::between(None, "down");
        let again = StateChange::between(Some("down"), "down");
        let up_again = StateChange::between(Some("up"), "up");
        let never = |_| None;
        let at = |t: Millis| move |_| Some(t);

        // A transition notifies every rule.
        let d = due(&rules, Some(&down), never, 0).unwrap();
        assert_eq!(d.notifying, [plain.rule, hourly.rule]);
        // The same bad state: only the repeating rule, and only once its hour has passed.
        assert_eq!(due(&rules, Some(&again), at(0), HOUR - 1), None);
        let d = due(&rules, Some(&again), at(0), HOUR).unwrap();
        assert_eq!((d.at, d.notifying), (HOUR, vec![hourly.rule]));
        // A rule that never notified for the key repeats at once.
        assert!(due(&rules, Some(&again), never, 5).is_some());
        // A good state does not repeat.
        assert_eq!(due(&rules, Some(&up_again), never, 10 * HOUR), None);
        // No state: always.
        assert!(due(&[plain], None, never, 0).is_some());
        assert!(due(&[], None, never, 0).is_some());
        assert!(due(&[], Some(&again), never, 0).is_none());
    }

    #[test]
    fn a_delivery_falls_due_when_the_first_notifying_rule_allows() {
        let held = |rule, until| RouteRule {
            hold_until: Some(until),
            ..RouteRule::of(Ulid::from_parts(rule, 0))
        };
        let never = |_| None;
        let d = due(&[held(1, 500), held(2, 300)], None, never, 100).unwrap();
        assert_eq!(d.at, 300);
        let d = due(
            &[held(1, 500), RouteRule::of(Ulid::nil())],
            None,
            never,
            100,
        )
        .unwrap();
        assert_eq!(d.at, 100, "a rule that is not muted sends at once");
        // A held rule that does not repeat does not set the time of a repeat.
        let again = StateChange::between(Some("down"), "down");
        let d = due(&[held(1, 500), repeating(2, 10)], Some(&again), never, 100).unwrap();
        assert_eq!((d.at, d.notifying.len()), (100, 1));
    }

    #[test]
    fn a_delivery_is_a_digest_only_when_every_notifying_rule_asks_for_one() {
        let digest = |rule, window| RouteRule {
            digest: Some(window),
            ..RouteRule::of(Ulid::from_parts(rule, 0))
        };
        let never = |_| None;
        let d = due(&[digest(1, 600), digest(2, 300)], None, never, 0).unwrap();
        assert_eq!(d.digest, Some(300), "the shortest window");
        let d = due(
            &[digest(1, 600), RouteRule::of(Ulid::nil())],
            None,
            never,
            0,
        )
        .unwrap();
        assert_eq!(d.digest, None, "a rule that sends each event wins");
        assert_eq!(due(&[], None, never, 0).unwrap().digest, None);
    }
}
