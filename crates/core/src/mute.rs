//! Mute windows (quiet hours): named weekly intervals in a time zone. A rule that names a
//! window does not notify while the window is on: it drops the events it takes, or holds
//! their deliveries until the window ends. The time zone arrives resolved (a
//! [`jiff::tz::TimeZone`]): reading the system's time zone database is the caller's business.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use ulid::Ulid;
use utoipa::ToSchema;

use crate::FieldError;
use crate::time::Millis;

const MAX_INTERVALS: usize = 50;
/// A chain of back-to-back windows longer than this many steps is cut: the rule is muted
/// until the end of the last step looked at (at least weeks away).
const MAX_CHAIN: usize = 64;

/// What a rule does with the events it takes while one of its windows is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WhileMuted {
    /// The rule does not deliver the event at all.
    #[default]
    Drop,
    /// The delivery is created at once but falls due when the window ends.
    Hold,
}

impl WhileMuted {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Drop => "drop",
            Self::Hold => "hold",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "drop" => Ok(Self::Drop),
            "hold" => Ok(Self::Hold),
            other => Err(format!("`{other}` is neither `drop` nor `hold`")),
        }
    }
}

/// A time of day, in minutes after midnight; 1440 is "24:00" (the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// `HH:MM`, 00:00 to 24:00.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a time of day; write it as HH:MM, e.g. 22:00");
        let (h, m) = text.split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(Self(h * 60 + m))
    }

    fn hour_minute(self) -> (i8, i8) {
        ((self.0 / 60) as i8, (self.0 % 60) as i8)
    }

    /// The instant this time of day falls at on `date` in `zone`. A time the clocks skip
    /// (a DST gap) moves on by the gap's length; a time that happens twice (a fold) is the
    /// first one (RFC 5545's rule, jiff's `compatible`).
    fn on(self, date: Date, zone: &TimeZone) -> Option<Timestamp> {
        let (date, (h, m)) = if self.0 == 1440 {
            (date.tomorrow().ok()?, (0, 0))
        } else {
            (date, self.hour_minute())
        };
        let at = date.at(h, m, 0, 0);
        zone.to_ambiguous_zoned(at)
            .compatible()
            .ok()
            .map(|z| z.timestamp())
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = self.hour_minute();
        write!(f, "{h:02}:{m:02}")
    }
}

/// Days of the week as the API writes them.
const DAYS: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

fn parse_day(text: &str) -> Result<Weekday, String> {
    let lower = text.to_ascii_lowercase();
    DAYS.iter()
        .find(|(short, day)| *short == lower || format!("{day:?}").eq_ignore_ascii_case(&lower))
        .map(|(_, day)| *day)
        .ok_or_else(|| format!("`{text}` is not a day; use mon, tue, wed, thu, fri, sat or sun"))
}

fn day_name(day: Weekday) -> &'static str {
    DAYS.iter()
        .find(|(_, d)| *d == day)
        .map_or("mon", |(name, _)| name)
}

/// One weekly interval: on each of `days`, from `start` to `end` local time. When `end` is
/// not after `start` the interval crosses midnight and ends the next day (`22:00`–`07:00`);
/// `start == end` is a whole day. The days are those the interval starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuteInterval {
    pub days: Vec<Weekday>,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

/// An interval as the API writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntervalText {
    /// The days the interval starts on: `mon` … `sun`.
    pub days: Vec<String>,
    /// `HH:MM` local time.
    pub start: String,
    /// `HH:MM` local time; at or before `start` means the next day.
    pub end: String,
}

impl MuteInterval {
    pub fn parse(text: &IntervalText) -> Result<Self, FieldError> {
        if text.days.is_empty() {
            return Err(FieldError::new("days", "name at least one day"));
        }
        let mut days = Vec::with_capacity(7);
        for (i, d) in text.days.iter().enumerate() {
            let day = parse_day(d).map_err(|m| FieldError::new(format!("days[{i}]"), m))?;
            if !days.contains(&day) {
                days.push(day);
            }
        }
        days.sort_by_key(|d| d.to_monday_zero_offset());
        let start = TimeOfDay::parse(&text.start).map_err(|m| FieldError::new("start", m))?;
        if start.0 == 1440 {
            return Err(FieldError::new(
                "start",
                "24:00 is only an end; start at 00:00",
            ));
        }
        let end = TimeOfDay::parse(&text.end).map_err(|m| FieldError::new("end", m))?;
        Ok(Self { days, start, end })
    }

    pub fn to_text(&self) -> IntervalText {
        IntervalText {
            days: self.days.iter().map(|d| day_name(*d).to_owned()).collect(),
            start: self.start.to_string(),
            end: self.end.to_string(),
        }
    }

    /// The end of this interval's occurrence that covers `at`, if one does.
    fn covering(&self, at: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
        let today = at.to_zoned(zone.clone()).date();
        // An occurrence lasts at most a day (plus a DST hour), so it started today or
        // yesterday.
        for date in [today.yesterday().ok()?, today] {
            if !self.days.contains(&date.weekday()) {
                continue;
            }
            let start = self.start.on(date, zone)?;
            let end_date = if self.end <= self.start {
                date.tomorrow().ok()?
            } else {
                date
            };
            let end = self.end.on(end_date, zone)?;
            if start <= at && at < end {
                return Some(end);
            }
        }
        None
    }
}

/// A named set of weekly intervals in one time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct MuteWindow {
    pub id: Ulid,
    pub name: String,
    pub time_zone: TimeZone,
    pub intervals: Vec<MuteInterval>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl MuteWindow {
    /// Checks the intervals (the zone is resolved by the caller).
    pub fn parse_intervals(texts: &[IntervalText]) -> Result<Vec<MuteInterval>, FieldError> {
        if texts.is_empty() {
            return Err(FieldError::new("intervals", "name at least one interval"));
        }
        if texts.len() > MAX_INTERVALS {
            return Err(FieldError::new(
                "intervals",
                format!(
                    "has {} intervals; the limit is {MAX_INTERVALS}",
                    texts.len()
                ),
            ));
        }
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| MuteInterval::parse(t).map_err(|e| e.within(&format!("intervals[{i}]"))))
            .collect()
    }

    /// The IANA name of the zone (`Europe/Berlin`), or its offset text when it has none.
    pub fn zone_name(&self) -> String {
        zone_name(&self.time_zone)
    }

    /// When the window stops muting, if it mutes at `at`. Intervals that follow each other
    /// without a gap (Friday night, then the weekend) count as one.
    pub fn muted_until(&self, at: Millis) -> Option<Millis> {
        muted_until(&[self], at).map(|(_, until)| until)
    }
}

/// The IANA name of a zone, or its offset text when it has none.
pub fn zone_name(zone: &TimeZone) -> String {
    zone.iana_name().map_or_else(
        || format!("{:?}", zone.to_offset(Timestamp::UNIX_EPOCH)),
        str::to_owned,
    )
}

/// Whether any of `windows` mutes at `at`: the window that does, and when the muting ends —
/// the first instant none of the windows mutes.
pub fn muted_until<'a>(windows: &[&'a MuteWindow], at: Millis) -> Option<(&'a MuteWindow, Millis)> {
    let start = Timestamp::from_millisecond(at).ok()?;
    let mut first = None;
    let mut t = start;
    for _ in 0..MAX_CHAIN {
        let covering = windows.iter().copied().find_map(|w| {
            w.intervals
                .iter()
                .filter_map(|i| i.covering(t, &w.time_zone))
                .max()
                .map(|end| (w, end))
        });
        let Some((window, end)) = covering else {
            break;
        };
        first.get_or_insert(window);
        t = end;
    }
    first.map(|w| (w, t.as_millisecond()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_rfc3339, to_rfc3339};

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap_or_else(|e| {
            panic!("time zone {name} is missing from the system tz database (install tzdata): {e}")
        })
    }

    fn window(zone_name: &str, intervals: &[(&[&str], &str, &str)]) -> MuteWindow {
        let texts: Vec<IntervalText> = intervals
            .iter()
            .map(|(days, start, end)| IntervalText {
                days: days.iter().map(|d| d.to_string()).collect(),
                start: start.to_string(),
                end: end.to_string(),
            })
            .collect();
        MuteWindow {
            id: Ulid::nil(),
            name: "quiet".into(),
            time_zone: zone(zone_name),
            intervals: MuteWindow::parse_intervals(&texts).unwrap(),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn until(w: &MuteWindow, at: &str) -> Option<String> {
        w.muted_until(parse_rfc3339(at).unwrap()).map(to_rfc3339)
    }

    const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri"];

    #[test]
    fn a_night_window_crosses_midnight_in_its_own_zone() {
        // 22:00–07:00 Berlin on weekday nights; Berlin is UTC+1 in November.
        let w = window("Europe/Berlin", &[(WEEKDAYS, "22:00", "07:00")]);
        // Monday 2026-11-23, 21:30 UTC is 22:30 in Berlin: muted until Tuesday 07:00 Berlin.
        assert_eq!(
            until(&w, "2026-11-23T21:30:00Z").as_deref(),
            Some("2026-11-24T06:00:00Z")
        );
        // Tuesday 05:59 UTC (06:59 Berlin): still muted by Monday's night.
        assert_eq!(
            until(&w, "2026-11-24T05:59:00Z").as_deref(),
            Some("2026-11-24T06:00:00Z")
        );
        // 21:30 UTC on Monday is 22:30 in Berlin but 21:30 in London: the zone decides.
        let london = window("Europe/London", &[(WEEKDAYS, "22:00", "07:00")]);
        assert_eq!(until(&london, "2026-11-23T21:30:00Z"), None);
        // Tuesday 06:00 UTC is 07:00 in Berlin: the end is not muted.
        assert_eq!(until(&w, "2026-11-24T06:00:00Z"), None);
        // Monday 20:59 UTC is 21:59 in Berlin: not yet.
        assert_eq!(until(&w, "2026-11-23T20:59:00Z"), None);
        // Saturday night is not a weekday night.
        assert_eq!(until(&w, "2026-11-28T22:30:00Z"), None);
        // Friday night ends on Saturday morning: the days are those the night starts on.
        assert_eq!(
            until(&w, "2026-11-28T05:00:00Z").as_deref(),
            Some("2026-11-28T06:00:00Z")
        );
    }

    #[test]
    fn a_window_across_the_date_line_of_utc() {
        // 09:00–17:00 in Tokyo (UTC+9) is 00:00–08:00 UTC: the UTC date is the local one.
        let w = window("Asia/Tokyo", &[(&["mon"], "09:00", "17:00")]);
        assert_eq!(
            until(&w, "2026-11-23T00:00:00Z").as_deref(),
            Some("2026-11-23T08:00:00Z")
        );
        // Sunday 23:30 UTC is Monday 08:30 in Tokyo: not yet.
        assert_eq!(until(&w, "2026-11-22T23:30:00Z"), None);
        // 18:00–02:00 in Los Angeles (UTC-8) on Monday ends Tuesday 10:00 UTC.
        let la = window("America/Los_Angeles", &[(&["mon"], "18:00", "02:00")]);
        assert_eq!(
            until(&la, "2026-11-24T03:00:00Z").as_deref(),
            Some("2026-11-24T10:00:00Z")
        );
    }

    #[test]
    fn the_end_follows_the_local_clock_across_a_dst_change() {
        let w = window("Europe/Berlin", &[(&["sat"], "22:00", "07:00")]);
        // Berlin leaves summer time on Sunday 2026-10-25 at 03:00 (back to 02:00): the
        // night of Saturday lasts ten hours, 20:00 UTC to 06:00 UTC.
        assert_eq!(
            until(&w, "2026-10-24T20:00:00Z").as_deref(),
            Some("2026-10-25T06:00:00Z")
        );
        assert_eq!(until(&w, "2026-10-24T19:59:00Z"), None);
        // And enters it on Sunday 2027-03-28 at 02:00 (on to 03:00): eight hours, 21:00 UTC
        // to 05:00 UTC.
        assert_eq!(
            until(&w, "2027-03-27T21:00:00Z").as_deref(),
            Some("2027-03-28T05:00:00Z")
        );
        assert_eq!(until(&w, "2027-03-28T05:00:00Z"), None);
    }

    #[test]
    fn a_start_in_the_dst_gap_moves_on_by_the_gap() {
        // 02:30 does not exist in Berlin on 2027-03-28: as in RFC 5545, it is taken as
        // 03:30 CEST (01:30 UTC), one gap's length later.
        let w = window("Europe/Berlin", &[(&["sun"], "02:30", "04:00")]);
        assert_eq!(until(&w, "2027-03-28T01:29:00Z"), None);
        assert_eq!(
            until(&w, "2027-03-28T01:30:00Z").as_deref(),
            Some("2027-03-28T02:00:00Z")
        );
    }

    #[test]
    fn windows_that_meet_count_as_one() {
        // Weekday nights and the whole weekend: from Friday 22:00 to the end of Sunday.
        let w = window(
            "Europe/Berlin",
            &[
                (WEEKDAYS, "22:00", "07:00"),
                (&["sat", "sun"], "00:00", "00:00"),
            ],
        );
        assert_eq!(
            until(&w, "2026-11-27T22:00:00Z").as_deref(),
            Some("2026-11-29T23:00:00Z")
        );
        // With Sunday night too, the quiet lasts to Monday 07:00.
        let w = window(
            "Europe/Berlin",
            &[
                (
                    &["sun", "mon", "tue", "wed", "thu", "fri"],
                    "22:00",
                    "07:00",
                ),
                (&["sat", "sun"], "00:00", "24:00"),
            ],
        );
        assert_eq!(
            until(&w, "2026-11-27T22:00:00Z").as_deref(),
            Some("2026-11-30T06:00:00Z")
        );
    }

    #[test]
    fn several_windows_chain_and_the_first_one_is_named() {
        let mut night = window("Europe/Berlin", &[(&["mon"], "22:00", "07:00")]);
        night.name = "night".into();
        let mut morning = window("Europe/Berlin", &[(&["tue"], "07:00", "09:00")]);
        morning.name = "standup".into();
        let at = parse_rfc3339("2026-11-23T22:00:00Z").unwrap();
        let (w, end) = muted_until(&[&morning, &night], at).unwrap();
        assert_eq!(w.name, "night");
        assert_eq!(to_rfc3339(end), "2026-11-24T08:00:00Z");
    }

    #[test]
    fn bad_intervals_name_the_field() {
        let bad = |days: &[&str], start: &str, end: &str| {
            MuteWindow::parse_intervals(&[IntervalText {
                days: days.iter().map(|d| d.to_string()).collect(),
                start: start.into(),
                end: end.into(),
            }])
            .unwrap_err()
            .field
        };
        assert_eq!(
            bad(&["mon", "funday"], "22:00", "07:00"),
            "intervals[0].days[1]"
        );
        assert_eq!(bad(&[], "22:00", "07:00"), "intervals[0].days");
        assert_eq!(bad(&["mon"], "25:00", "07:00"), "intervals[0].start");
        assert_eq!(bad(&["mon"], "22:00", "7"), "intervals[0].end");
        assert_eq!(bad(&["mon"], "24:00", "07:00"), "intervals[0].start");
        assert!(MuteWindow::parse_intervals(&[]).is_err());
        let i = MuteInterval::parse(&IntervalText {
            days: vec!["Friday".into(), "mon".into(), "MON".into()],
            start: "7:05".into(),
            end: "24:00".into(),
        })
        .unwrap();
        assert_eq!(
            i.to_text(),
            IntervalText {
                days: vec!["mon".into(), "fri".into()],
                start: "07:05".into(),
                end: "24:00".into(),
            }
        );
    }
}
