//! Monitor states: the last `state` seen per `state_key`, so that an event with a state
//! notifies only on a transition. The store keeps the last state and applies
//! [`StateChange::between`] in the same transaction as the event insert.

use std::fmt;

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
}
