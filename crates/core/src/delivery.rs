//! Deliveries: one event to one channel, and the state machine that moves it from
//! `pending` through attempts to `delivered` or `failed`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ulid::Ulid;
use utoipa::ToSchema;

use crate::FieldError;
use crate::outbound::Outcome;
use crate::time::Millis;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for its first attempt.
    Pending,
    /// Claimed by a worker, which holds a lease on it.
    Sending,
    Delivered,
    /// An attempt failed transiently; another is scheduled.
    Retrying,
    /// Given up: a permanent error, or the retry schedule ran out.
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 5] = [
        Self::Pending,
        Self::Sending,
        Self::Delivered,
        Self::Retrying,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::Retrying => "retrying",
            Self::Failed => "failed",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Failed)
    }
}

impl fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DeliveryStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown delivery status `{s}`; use pending, sending, delivered, retrying or failed"
                )
            })
    }
}

/// One event to one channel.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Also the `webhook-id` receivers use to drop repeats: stable across retries.
    pub id: Ulid,
    pub event_id: Ulid,
    pub channel_id: Ulid,
    pub status: DeliveryStatus,
    /// Attempts made so far, over the delivery's whole life.
    pub attempts: u32,
    /// Position in the retry schedule; a manual retry starts the schedule again.
    pub step: u32,
    pub next_attempt_at: Option<Millis>,
    pub last_error: Option<String>,
    /// Recipients a rule set in place of the channel's own (email kinds).
    pub recipients: Option<String>,
    /// A template a rule set in place of the channel's own (webhook kind).
    pub template: Option<String>,
    /// Set on a digest: the end of its window. Until then (while it waits), events a digest
    /// rule routes to the channel join it; when it falls due it renders them as one message.
    pub digest_until: Option<Millis>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// The result of one attempt, kept in the delivery log.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub delivery_id: Ulid,
    /// 1 for the first attempt.
    pub number: u32,
    pub started_at: Millis,
    pub duration_ms: u32,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<u16>,
    /// The status the delivery moved to after this attempt.
    pub outcome: DeliveryStatus,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

/// Delays before each attempt: the first is usually zero ("immediately"). When the last
/// attempt fails, the delivery fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule(Vec<Duration>);

/// Longest delay a receiver's `Retry-After` can impose before we retry anyway.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
const MAX_STEPS: usize = 20;
const MAX_DELAY: Duration = Duration::from_secs(7 * 24 * 3600);

impl Default for RetrySchedule {
    /// Immediately, then after 30 s, 2 min and 5 min.
    fn default() -> Self {
        Self(
            [0, 30, 120, 300]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
        )
    }
}

impl RetrySchedule {
    pub fn new(delays: Vec<Duration>) -> Result<Self, FieldError> {
        if delays.is_empty() {
            return Err(FieldError::new(
                "retry_schedule",
                "needs at least one step (use [\"0s\"] for a single attempt)",
            ));
        }
        if delays.len() > MAX_STEPS {
            return Err(FieldError::new(
                "retry_schedule",
                format!("has {} steps; the limit is {MAX_STEPS}", delays.len()),
            ));
        }
        if delays.iter().any(|d| *d > MAX_DELAY) {
            return Err(FieldError::new(
                "retry_schedule",
                "a step is longer than 7 days; shorten it",
            ));
        }
        Ok(Self(delays))
    }

    /// Parses steps written as seconds (`30`) or with a unit (`"30s"`, `"2m"`, `"1h"`).
    pub fn parse(steps: &serde_json::Value) -> Result<Self, FieldError> {
        let err = || {
            FieldError::new(
                "retry_schedule",
                "must be a list of delays such as [\"0s\", \"30s\", \"2m\", \"5m\"] (numbers are seconds)",
            )
        };
        let list = steps.as_array().ok_or_else(err)?;
        let delays = list
            .iter()
            .map(|step| match step {
                serde_json::Value::Number(n) => n.as_u64().map(Duration::from_secs).ok_or_else(err),
                serde_json::Value::String(s) => parse_duration(s).ok_or_else(err),
                _ => Err(err()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(delays)
    }

    pub fn delays(&self) -> &[Duration] {
        &self.0
    }

    /// The schedule in its API form: a list of `"30s"`-style strings.
    pub fn to_json(&self) -> serde_json::Value {
        self.0
            .iter()
            .map(|d| serde_json::Value::String(format_duration(*d)))
            .collect()
    }

    /// The delay before attempt `step` (0-based), if the schedule has one.
    pub fn delay(&self, step: u32) -> Option<Duration> {
        self.0.get(step as usize).copied()
    }
}

/// What happens to a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub status: DeliveryStatus,
    /// When the next attempt is due (for `retrying`).
    pub next_attempt_at: Option<Millis>,
    /// The schedule position of that next attempt.
    pub step: u32,
}

/// Decides the next state after the attempt at schedule position `step` ended with
/// `outcome` at `now`. `jitter` in `[0, 1)` spreads retries by up to a tenth of the delay,
/// so that many deliveries that failed together do not all come back at the same instant.
pub fn after_attempt(
    schedule: &RetrySchedule,
    step: u32,
    outcome: &Outcome,
    now: Millis,
    jitter: f64,
) -> Transition {
    match outcome {
        Outcome::Delivered => Transition {
            status: DeliveryStatus::Delivered,
            next_attempt_at: None,
            step,
        },
        Outcome::Failed { .. } => Transition {
            status: DeliveryStatus::Failed,
            next_attempt_at: None,
            step,
        },
        Outcome::Retry { after, .. } => {
            let next_step = step + 1;
            let Some(planned) = schedule.delay(next_step) else {
                return Transition {
                    status: DeliveryStatus::Failed,
                    next_attempt_at: None,
                    step,
                };
            };
            let jittered = planned.mul_f64(1.0 + 0.1 * jitter.clamp(0.0, 1.0));
            // The receiver knows best when it can take more: its Retry-After wins over the
            // schedule, within reason.
            let delay = match after {
                Some(after) => (*after).min(MAX_RETRY_AFTER),
                None => jittered,
            };
            Transition {
                status: DeliveryStatus::Retrying,
                next_attempt_at: Some(now + delay.as_millis() as Millis),
                step: next_step,
            }
        }
    }
}

/// `500ms`, `30s`, `5m`, `4h`, `2d`.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "ms" => return Some(Duration::from_millis(n)),
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// The shortest of `parse_duration`'s forms for `d`.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if !ms.is_multiple_of(1000) {
        format!("{ms}ms")
    } else {
        let s = ms / 1000;
        if s != 0 && s.is_multiple_of(3600) {
            format!("{}h", s / 3600)
        } else if s != 0 && s.is_multiple_of(60) {
            format!("{}m", s / 60)
        } else {
            format!("{s}s")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn retry() -> Outcome {
        Outcome::retry("HTTP 503")
    }

    #[test]
    fn default_schedule_is_immediately_30s_2m_5m() {
        let s = RetrySchedule::default();
        assert_eq!(s.to_json(), json!(["0s", "30s", "2m", "5m"]));
    }

    #[test]
    fn retries_a_503_after_30_seconds_then_2_then_5_minutes_then_fails() {
        let s = RetrySchedule::default();
        let t = after_attempt(&s, 0, &retry(), 1_000, 0.0);
        assert_eq!(t.status, DeliveryStatus::Retrying);
        assert_eq!(t.next_attempt_at, Some(31_000));
        let t = after_attempt(&s, t.step, &retry(), 31_000, 0.0);
        assert_eq!(t.next_attempt_at, Some(151_000));
        let t = after_attempt(&s, t.step, &retry(), 151_000, 0.0);
        assert_eq!(t.next_attempt_at, Some(451_000));
        let t = after_attempt(&s, t.step, &retry(), 451_000, 0.0);
        assert_eq!(t.status, DeliveryStatus::Failed);
        assert_eq!(t.next_attempt_at, None);
    }

    #[test]
    fn jitter_adds_at_most_a_tenth() {
        let s = RetrySchedule::default();
        let t = after_attempt(&s, 0, &retry(), 0, 0.999);
        let at = t.next_attempt_at.unwrap();
        assert!((30_000..=33_000).contains(&at), "{at}");
    }

    #[test]
    fn retry_after_wins_over_the_schedule_but_is_capped() {
        let s = RetrySchedule::default();
        let out = Outcome::Retry {
            reason: "429".into(),
            after: Some(Duration::from_secs(7)),
        };
        assert_eq!(
            after_attempt(&s, 0, &out, 0, 0.5).next_attempt_at,
            Some(7_000)
        );
        let out = Outcome::Retry {
            reason: "429".into(),
            after: Some(Duration::from_secs(86_400)),
        };
        assert_eq!(
            after_attempt(&s, 0, &out, 0, 0.0).next_attempt_at,
            Some(3_600_000)
        );
    }

    #[test]
    fn permanent_failure_and_success_end_the_delivery() {
        let s = RetrySchedule::default();
        assert_eq!(
            after_attempt(&s, 0, &Outcome::failed("HTTP 404"), 0, 0.0).status,
            DeliveryStatus::Failed
        );
        assert_eq!(
            after_attempt(&s, 2, &Outcome::Delivered, 0, 0.0).status,
            DeliveryStatus::Delivered
        );
    }

    #[test]
    fn parses_schedules_in_both_forms() {
        let s = RetrySchedule::parse(&json!([0, "10s", "1m", "2h"])).unwrap();
        assert_eq!(s.to_json(), json!(["0s", "10s", "1m", "2h"]));
        assert!(RetrySchedule::parse(&json!([])).is_err());
        assert!(RetrySchedule::parse(&json!(["soon"])).is_err());
        assert!(RetrySchedule::parse(&json!("30s")).is_err());
        assert!(RetrySchedule::parse(&json!(["8d"])).is_err());
    }
}
