//! Rate limits kept in memory: a keyed limiter (the generic cell rate algorithm, GCRA) that
//! reads time as an argument, so it follows the application's [`Clock`](crate::clock::Clock)
//! and tests move it with the manual clock instead of sleeping.
//!
//! Every limit here is per process: two nodes behind one load balancer each allow the full
//! rate. The number of keys is bounded: a key whose bucket is full again is indistinguishable
//! from a new one and is dropped, and when the table is full of busy keys a new key is refused
//! (or, for pacing, not paced) rather than let memory grow.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::Duration;

use tocsin_core::time::Millis;

/// Most keys one limiter tracks at once.
pub const MAX_KEYS: usize = 10_000;

/// A rate: `burst` cells at once, refilled evenly over `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Time between two cells once the burst is spent, in microseconds.
    interval_us: i64,
    burst: u32,
}

impl Rate {
    /// `burst` cells per `per`; `None` when either is zero (no limit).
    pub fn new(per: Duration, burst: u32) -> Option<Rate> {
        let per_us = i64::try_from(per.as_micros()).unwrap_or(i64::MAX);
        (burst > 0 && per_us > 0).then(|| Rate {
            interval_us: (per_us / i64::from(burst)).max(1),
            burst,
        })
    }

    /// `n` a minute, all of them at once if they come at once; `None` for 0.
    pub fn per_minute(n: u32) -> Option<Rate> {
        Rate::new(Duration::from_secs(60), n)
    }

    fn tolerance_us(self) -> i64 {
        self.interval_us.saturating_mul(i64::from(self.burst))
    }
}

/// Why a limiter said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The key is over its rate; this many cells fit again after the wait.
    Over { retry_after: Duration },
    /// The table holds [`MAX_KEYS`] busy keys and this key is not one of them.
    Full { retry_after: Duration },
}

impl Denied {
    pub fn retry_after(self) -> Duration {
        match self {
            Denied::Over { retry_after } | Denied::Full { retry_after } => retry_after,
        }
    }

    /// The wait in whole seconds, rounded up and at least 1 (for `Retry-After`).
    pub fn retry_after_secs(self) -> u64 {
        let d = self.retry_after();
        (d.as_secs() + u64::from(d.subsec_nanos() > 0)).max(1)
    }
}

/// One GCRA state per key: the theoretical arrival time of the next cell, in microseconds.
pub struct KeyedLimiter<K> {
    max_keys: usize,
    table: Mutex<Table<K>>,
}

struct Table<K> {
    tats: HashMap<K, i64>,
    /// While the table is full of busy keys: when the first of them falls idle.
    full_until: i64,
}

impl<K: Hash + Eq + Clone> Default for KeyedLimiter<K> {
    fn default() -> Self {
        Self::with_capacity(MAX_KEYS)
    }
}

impl<K: Hash + Eq + Clone> KeyedLimiter<K> {
    pub fn with_capacity(max_keys: usize) -> Self {
        Self {
            max_keys: max_keys.max(1),
            table: Mutex::new(Table {
                tats: HashMap::new(),
                full_until: i64::MIN,
            }),
        }
    }

    /// Takes one cell of `key` at `now`, or says how long to wait.
    pub fn check(&self, key: &K, rate: Rate, now: Millis) -> Result<(), Denied> {
        self.check_all(&[(key.clone(), 1)], rate, now)
    }

    /// Takes `n` cells of each key, all of them or none: when one key is over its rate,
    /// nothing is taken from the others either.
    pub fn check_all(&self, wants: &[(K, u32)], rate: Rate, now: Millis) -> Result<(), Denied> {
        let now_us = now.saturating_mul(1_000);
        // A poisoned lock only means another thread panicked mid-update of plain numbers;
        // the table is still usable.
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let mut updates: Vec<(K, i64)> = Vec::with_capacity(wants.len());
        let mut new_keys = 0;
        for (key, n) in wants {
            let seen = updates
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, t)| *t)
                .or_else(|| table.tats.get(key).copied());
            if seen.is_none() {
                new_keys += 1;
            }
            let start = seen.unwrap_or(now_us).max(now_us);
            let tat = start.saturating_add(rate.interval_us.saturating_mul(i64::from(*n)));
            // More cells than the whole burst never fit: they are taken when the key's bucket
            // is full, and the key then waits until the excess has been paid back.
            let wait = if *n > rate.burst {
                start - now_us
            } else {
                tat - now_us - rate.tolerance_us()
            };
            if wait > 0 {
                return Err(Denied::Over {
                    retry_after: micros(wait),
                });
            }
            match updates.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = tat,
                None => updates.push((key.clone(), tat)),
            }
        }
        if new_keys > 0 && table.tats.len() + new_keys > self.max_keys {
            if now_us < table.full_until {
                return Err(Denied::Full {
                    retry_after: micros(table.full_until - now_us),
                });
            }
            // Keys whose bucket is full again carry no information: forget them.
            table.tats.retain(|_, tat| *tat > now_us);
            if table.tats.len() + new_keys > self.max_keys {
                table.full_until = table.tats.values().copied().min().unwrap_or(now_us);
                return Err(Denied::Full {
                    retry_after: micros(table.full_until - now_us),
                });
            }
        }
        for (key, tat) in updates {
            table.tats.insert(key, tat);
        }
        Ok(())
    }

    /// When `n` more cells of `key` would be allowed, without taking any: `now` or later.
    pub fn next_free(&self, key: &K, rate: Rate, n: u32, now: Millis) -> Millis {
        let now_us = now.saturating_mul(1_000);
        let table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let tat = table.tats.get(key).copied().unwrap_or(now_us).max(now_us);
        let at = tat + rate.interval_us.saturating_mul(i64::from(n)) - rate.tolerance_us();
        // Round up to the millisecond, so that the cell is surely free by then.
        (at.max(now_us) + 999).div_euclid(1_000)
    }

    /// How many keys are tracked.
    pub fn len(&self) -> usize {
        self.table.lock().map(|t| t.tats.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The API's limits, from `[api]`: events per application and requests per token.
pub struct ApiLimits {
    per_application: Option<Rate>,
    applications: KeyedLimiter<String>,
    per_token: Option<Rate>,
    tokens: KeyedLimiter<[u8; 32]>,
}

impl ApiLimits {
    pub fn new(events_per_minute_per_application: u32, requests_per_minute_per_token: u32) -> Self {
        Self {
            per_application: Rate::per_minute(events_per_minute_per_application),
            applications: KeyedLimiter::default(),
            per_token: Rate::per_minute(requests_per_minute_per_token),
            tokens: KeyedLimiter::default(),
        }
    }

    /// Takes one cell per event from the bucket of its application (`None`: the events
    /// without one share a bucket), for all the events or none. On refusal: the application
    /// that is over and how long to wait.
    pub fn admit_events<'a>(
        &self,
        applications: impl IntoIterator<Item = Option<&'a str>>,
        now: Millis,
    ) -> Result<(), (Option<String>, Denied)> {
        let Some(rate) = self.per_application else {
            return Ok(());
        };
        let mut wants: Vec<(String, u32)> = Vec::new();
        for app in applications {
            // The empty key stands for "no application"; a real one is never empty.
            let key = app.unwrap_or_default();
            match wants.iter_mut().find(|(k, _)| k == key) {
                Some((_, n)) => *n += 1,
                None => wants.push((key.to_owned(), 1)),
            }
        }
        // `check_all` takes nothing on refusal; the key to blame is one whose cells would not
        // fit now (none when the table of applications is full).
        self.applications
            .check_all(&wants, rate, now)
            .map_err(|denied| {
                let culprit = wants
                    .iter()
                    .find(|(k, n)| self.applications.next_free(k, rate, *n, now) > now)
                    .map(|(k, _)| k.clone())
                    .filter(|k| !k.is_empty());
                (culprit, denied)
            })
    }

    /// Whether one more event of `application` would be refused now, without taking
    /// anything: how long it would have to wait.
    pub fn events_wait(&self, application: Option<&str>, now: Millis) -> Option<Duration> {
        let rate = self.per_application?;
        let key = application.unwrap_or_default().to_owned();
        let free = self.applications.next_free(&key, rate, 1, now);
        (free > now).then(|| Duration::from_millis((free - now) as u64))
    }

    /// The configured events a minute per application, when limited.
    pub fn events_per_minute(&self) -> Option<u32> {
        self.per_application.map(|r| r.burst)
    }

    /// Takes one request of the token whose SHA-256 is `token_hash`.
    pub fn admit_request(&self, token_hash: [u8; 32], now: Millis) -> Result<(), Denied> {
        match self.per_token {
            Some(rate) => self.tokens.check(&token_hash, rate, now),
            None => Ok(()),
        }
    }

    /// The configured requests a minute per token, when limited.
    pub fn requests_per_minute(&self) -> Option<u32> {
        self.per_token.map(|r| r.burst)
    }
}

fn micros(us: i64) -> Duration {
    Duration::from_micros(us.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Millis = 1_800_000_000_000;
    const SEC: Millis = 1_000;

    #[test]
    fn a_rate_of_zero_is_no_limit() {
        assert_eq!(Rate::per_minute(0), None);
        assert_eq!(Rate::new(Duration::ZERO, 5), None);
    }

    #[test]
    fn allows_the_burst_then_one_cell_per_interval() {
        let rate = Rate::per_minute(100).unwrap();
        let limiter = KeyedLimiter::default();
        for _ in 0..100 {
            limiter.check(&"app", rate, T0).unwrap();
        }
        let denied = limiter.check(&"app", rate, T0).unwrap_err();
        assert_eq!(
            denied,
            Denied::Over {
                retry_after: Duration::from_millis(600)
            }
        );
        assert_eq!(denied.retry_after_secs(), 1);
        limiter.check(&"app", rate, T0 + 600).unwrap();
        assert!(limiter.check(&"app", rate, T0 + 600).is_err());
    }

    #[test]
    fn a_minute_later_the_whole_burst_is_back() {
        let rate = Rate::per_minute(3).unwrap();
        let limiter = KeyedLimiter::default();
        for _ in 0..3 {
            limiter.check(&"app", rate, T0).unwrap();
        }
        assert_eq!(
            limiter
                .check(&"app", rate, T0)
                .unwrap_err()
                .retry_after_secs(),
            20
        );
        for _ in 0..3 {
            limiter.check(&"app", rate, T0 + 60 * SEC).unwrap();
        }
    }

    #[test]
    fn more_than_the_burst_at_once_is_taken_from_a_full_bucket_and_paid_back() {
        let rate = Rate::per_minute(2).unwrap();
        let limiter = KeyedLimiter::default();
        limiter.check(&"a", rate, T0).unwrap();
        let denied = limiter.check_all(&[("a", 3)], rate, T0).unwrap_err();
        assert_eq!(denied.retry_after_secs(), 30);
        limiter.check_all(&[("a", 3)], rate, T0 + 30 * SEC).unwrap();
        // 90 s of budget spent at once: nothing more until 30 s after the burst refilled.
        assert_eq!(
            limiter
                .check(&"a", rate, T0 + 30 * SEC)
                .unwrap_err()
                .retry_after_secs(),
            60
        );
        limiter.check(&"a", rate, T0 + 90 * SEC).unwrap();
    }

    #[test]
    fn keys_are_independent() {
        let rate = Rate::per_minute(1).unwrap();
        let limiter = KeyedLimiter::default();
        limiter.check(&"a", rate, T0).unwrap();
        assert!(limiter.check(&"a", rate, T0).is_err());
        limiter.check(&"b", rate, T0).unwrap();
    }

    #[test]
    fn check_all_takes_every_cell_or_none() {
        let rate = Rate::per_minute(2).unwrap();
        let limiter = KeyedLimiter::default();
        limiter.check(&"b", rate, T0).unwrap();
        limiter.check(&"b", rate, T0).unwrap();
        assert!(limiter.check_all(&[("a", 1), ("b", 1)], rate, T0).is_err());
        // Nothing was taken from `a`: both of its cells are still there.
        limiter.check_all(&[("a", 1), ("a", 1)], rate, T0).unwrap();
    }

    #[test]
    fn a_flood_of_keys_is_bounded_and_idle_keys_make_room() {
        let rate = Rate::per_minute(10).unwrap();
        let limiter = KeyedLimiter::with_capacity(3);
        for key in ["a", "b", "c"] {
            limiter.check(&key, rate, T0).unwrap();
        }
        let denied = limiter.check(&"d", rate, T0).unwrap_err();
        assert_eq!(
            denied,
            Denied::Full {
                retry_after: Duration::from_secs(6)
            }
        );
        assert_eq!(limiter.len(), 3);
        // Known keys go on as before.
        limiter.check(&"a", rate, T0 + 1).unwrap();
        // Once `b` and `c` are idle again, new keys take their places.
        limiter.check(&"d", rate, T0 + 6 * SEC).unwrap();
        limiter.check(&"e", rate, T0 + 6 * SEC).unwrap();
        assert!(limiter.len() <= 3);
    }

    #[test]
    fn next_free_says_when_the_pace_allows_more() {
        let rate = Rate::new(Duration::from_secs(1), 1).unwrap();
        let limiter = KeyedLimiter::default();
        assert_eq!(limiter.next_free(&"ch", rate, 1, T0), T0);
        limiter.check(&"ch", rate, T0).unwrap();
        assert_eq!(limiter.next_free(&"ch", rate, 1, T0), T0 + SEC);
        assert_eq!(limiter.next_free(&"ch", rate, 2, T0), T0 + 2 * SEC);
        assert!(limiter.check(&"ch", rate, T0 + SEC - 1).is_err());
        limiter.check(&"ch", rate, T0 + SEC).unwrap();
    }

    #[test]
    fn admit_events_names_the_application_over_its_budget() {
        let limits = ApiLimits::new(2, 0);
        limits.admit_events([Some("a"), Some("a")], T0).unwrap();
        let (who, denied) = limits.admit_events([Some("b"), Some("a")], T0).unwrap_err();
        assert_eq!(who.as_deref(), Some("a"));
        assert_eq!(denied.retry_after_secs(), 30);
        // `b` was not charged for the refused payload.
        limits.admit_events([Some("b"), Some("b")], T0).unwrap();
        limits.admit_events([None], T0).unwrap();
        let (who, _) = limits.admit_events([None, None], T0).unwrap_err();
        assert_eq!(who, None);
        // No token limit configured.
        for _ in 0..1_000 {
            limits.admit_request([7; 32], T0).unwrap();
        }
        assert_eq!(
            ApiLimits::new(0, 0).admit_events([Some("a"); 500], T0),
            Ok(())
        );
    }

    #[test]
    fn a_burst_of_five_per_two_seconds() {
        let rate = Rate::new(Duration::from_secs(2), 5).unwrap();
        let limiter = KeyedLimiter::default();
        for _ in 0..5 {
            limiter.check(&"ch", rate, T0).unwrap();
        }
        assert!(limiter.check(&"ch", rate, T0).is_err());
        assert_eq!(limiter.next_free(&"ch", rate, 1, T0), T0 + 400);
    }
}
