//! Dates, times, relative times, durations and numbers written the way each of the UI's
//! languages writes them. A few patterns per language rather than a CLDR library: the UI
//! needs six locales and four kinds of value, and fluent-rs formats numbers and dates only
//! as plain text. Times are shown in the zone the reader picked on the preferences page
//! (a cookie), UTC until they pick one, always with the zone named.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::i18n::{Lang, Tr};

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An RFC 3339 instant as a date and time in the language's usual pattern, in `tz`, the
/// zone's abbreviation (`UTC`, `CET`, `JST`) after it.
pub fn datetime(lang: Lang, rfc3339: &str, tz: &TimeZone) -> String {
    let Ok(ts) = rfc3339.parse::<Timestamp>() else {
        return rfc3339.to_owned();
    };
    let info = tz.to_offset_info(ts);
    let zone = info.abbreviation();
    let z = ts.to_zoned(tz.clone());
    let (y, mo, d, h, mi, s) = (
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        z.second(),
    );
    match lang {
        Lang::En => {
            let (h12, ampm) = match h {
                0 => (12, "AM"),
                1..=11 => (h, "AM"),
                12 => (12, "PM"),
                _ => (h - 12, "PM"),
            };
            let month = EN_MONTHS[(mo as usize).saturating_sub(1) % 12];
            format!("{month} {d}, {y}, {h12}:{mi:02}:{s:02} {ampm} {zone}")
        }
        Lang::De => format!("{d:02}.{mo:02}.{y}, {h:02}:{mi:02}:{s:02} {zone}"),
        Lang::Es => format!("{d}/{mo}/{y}, {h}:{mi:02}:{s:02} {zone}"),
        Lang::Fr => format!("{d:02}/{mo:02}/{y} {h:02}:{mi:02}:{s:02} {zone}"),
        Lang::Ja => format!("{y}/{mo:02}/{d:02} {h}:{mi:02}:{s:02} {zone}"),
        Lang::ZhCn => format!("{y}/{mo}/{d} {h:02}:{mi:02}:{s:02} {zone}"),
    }
}

/// How long ago an instant was, in words, with the language's plural forms.
pub fn relative(tr: &Tr, rfc3339: &str, now_ms: i64) -> String {
    let Ok(ts) = rfc3339.parse::<Timestamp>() else {
        return rfc3339.to_owned();
    };
    let secs = ((now_ms - ts.as_millisecond()) / 1000).max(0) as u64;
    match secs {
        0..=44 => tr.t("ago-now"),
        45..=5_399 => tr.n("ago-minutes", (secs / 60).max(1)),
        5_400..=129_599 => tr.n("ago-hours", (secs / 3_600).max(1)),
        _ => tr.n("ago-days", secs / 86_400),
    }
}

/// A whole number with the language's digit grouping.
pub fn integer(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = group_separator(lang);
    // Spanish groups only from five digits on.
    let grouped = if lang == Lang::Es && digits.len() <= 4 {
        digits
    } else {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    };
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

fn group_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En | Lang::Ja | Lang::ZhCn => ",",
        Lang::De | Lang::Es => ".",
        // Narrow no-break space, as CLDR has it for French.
        Lang::Fr => "\u{202f}",
    }
}

fn decimal_separator(lang: Lang) -> char {
    match lang {
        Lang::En | Lang::Ja | Lang::ZhCn => '.',
        Lang::De | Lang::Es | Lang::Fr => ',',
    }
}

/// A number with one decimal, grouped.
pub fn decimal1(lang: Lang, x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let whole = integer(lang, tenths / 10);
    format!("{whole}{}{}", decimal_separator(lang), (tenths % 10).abs())
}

/// A duration in milliseconds, with the language's short units: `850 ms`, `1.2 s`,
/// `2 min 5 s`; `1,2 s`, `2 Min. 5 s`; `2 分 5 秒`; `2分钟5秒`.
pub fn duration_ms(lang: Lang, ms: u64) -> String {
    let (ms_unit, s_unit, min_unit, space) = match lang {
        Lang::En | Lang::Es | Lang::Fr => ("ms", "s", "min", " "),
        Lang::De => ("ms", "s", "Min.", " "),
        Lang::Ja => ("ミリ秒", "秒", "分", " "),
        Lang::ZhCn => ("毫秒", "秒", "分钟", ""),
    };
    // French puts a no-break space between a number and its unit; Chinese writes the
    // parts together.
    let space = if lang == Lang::Fr { "\u{a0}" } else { space };
    let gap = if lang == Lang::ZhCn { "" } else { " " };
    if ms < 1_000 {
        format!("{}{space}{ms_unit}", integer(lang, ms as i64))
    } else if ms < 60_000 {
        format!("{}{space}{s_unit}", decimal1(lang, ms as f64 / 1000.0))
    } else if ms < 3_600_000 {
        let secs = ms / 1000;
        let (m, s) = (secs / 60, secs % 60);
        let m = integer(lang, m as i64);
        if s == 0 {
            format!("{m}{space}{min_unit}")
        } else {
            format!("{m}{space}{min_unit}{gap}{s}{space}{s_unit}")
        }
    } else {
        let mins = ms / 60_000;
        let (h, m) = (mins / 60, mins % 60);
        let h_unit = match lang {
            Lang::En | Lang::Es | Lang::Fr | Lang::De => "h",
            Lang::Ja => "時間",
            Lang::ZhCn => "小时",
        };
        let h = integer(lang, h as i64);
        if m == 0 {
            format!("{h}{space}{h_unit}")
        } else {
            format!("{h}{space}{h_unit}{gap}{m}{space}{min_unit}")
        }
    }
}

/// The time zones a reader may pick: the system database's names, sorted.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .filter(|n| n.contains('/') || n == "UTC")
        .filter(|n| !n.starts_with("posix/") && !n.starts_with("right/") && !n.starts_with("Etc/"))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A zone by name, when the system database knows it.
pub fn zone(name: &str) -> Option<TimeZone> {
    if name == "UTC" {
        return Some(TimeZone::UTC);
    }
    TimeZone::get(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_the_way_each_language_does() {
        let t = "2026-11-23T09:05:07Z";
        let utc = TimeZone::UTC;
        assert_eq!(datetime(Lang::En, t, &utc), "Nov 23, 2026, 9:05:07 AM UTC");
        assert_eq!(datetime(Lang::De, t, &utc), "23.11.2026, 09:05:07 UTC");
        assert_eq!(datetime(Lang::Fr, t, &utc), "23/11/2026 09:05:07 UTC");
        assert_eq!(datetime(Lang::Ja, t, &utc), "2026/11/23 9:05:07 UTC");
        assert_eq!(datetime(Lang::ZhCn, t, &utc), "2026/11/23 09:05:07 UTC");
    }

    #[test]
    fn writes_dates_in_the_picked_zone() {
        let t = "2026-11-23T13:05:07Z";
        let berlin = zone("Europe/Berlin").expect("the system has a tz database");
        assert_eq!(datetime(Lang::De, t, &berlin), "23.11.2026, 14:05:07 CET");
        let tokyo = zone("Asia/Tokyo").unwrap();
        assert_eq!(datetime(Lang::Ja, t, &tokyo), "2026/11/23 22:05:07 JST");
        assert!(zone("Mars/Olympus").is_none());
        let names = zone_names();
        assert!(names.iter().any(|n| n == "Europe/Berlin") && names.iter().any(|n| n == "UTC"));
    }

    #[test]
    fn groups_digits_the_way_each_language_does() {
        assert_eq!(integer(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(integer(Lang::De, 1_234_567), "1.234.567");
        assert_eq!(integer(Lang::Es, 1234), "1234");
        assert_eq!(integer(Lang::Es, 12_345), "12.345");
        assert_eq!(integer(Lang::Fr, 12_345), "12\u{202f}345");
        assert_eq!(decimal1(Lang::De, 1.25), "1,3");
        assert_eq!(duration_ms(Lang::Fr, 1_500), "1,5\u{a0}s");
        assert_eq!(duration_ms(Lang::En, 42), "42 ms");
        assert_eq!(duration_ms(Lang::En, 123_000), "2 min 3 s");
        assert_eq!(duration_ms(Lang::De, 123_000), "2 Min. 3 s");
        assert_eq!(duration_ms(Lang::Ja, 123_000), "2 分 3 秒");
        assert_eq!(duration_ms(Lang::ZhCn, 123_000), "2分钟3秒");
        assert_eq!(duration_ms(Lang::En, 300_000), "5 min");
        assert_eq!(duration_ms(Lang::De, 5_400_000), "1 h 30 Min.");
    }

    #[test]
    fn says_how_long_ago_with_plurals() {
        let now = "2026-11-23T10:00:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond();
        let en = Tr::new(Lang::En);
        assert_eq!(relative(&en, "2026-11-23T09:59:00Z", now), "1 minute ago");
        assert_eq!(relative(&en, "2026-11-23T09:55:00Z", now), "5 minutes ago");
        assert_eq!(
            relative(&Tr::new(Lang::De), "2026-11-23T07:00:00Z", now),
            "vor 3 Stunden"
        );
    }
}
