//! Dates, times, relative times, durations and numbers written the way each of the UI's
//! languages writes them. A few patterns per language rather than a CLDR library: the UI
//! needs six locales and four kinds of value, and fluent-rs formats numbers and dates only
//! as plain text. Times are shown in UTC (the server has no better guess of the reader's
//! zone without scripts), with the zone named.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::i18n::{Lang, Tr};

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An RFC 3339 instant as a date and time in the language's usual pattern, in UTC.
pub fn datetime(lang: Lang, rfc3339: &str) -> String {
    let Ok(ts) = rfc3339.parse::<Timestamp>() else {
        return rfc3339.to_owned();
    };
    let z = ts.to_zoned(TimeZone::UTC);
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
            format!("{month} {d}, {y}, {h12}:{mi:02}:{s:02} {ampm} UTC")
        }
        Lang::De => format!("{d:02}.{mo:02}.{y}, {h:02}:{mi:02}:{s:02} UTC"),
        Lang::Es => format!("{d}/{mo}/{y}, {h}:{mi:02}:{s:02} UTC"),
        Lang::Fr => format!("{d:02}/{mo:02}/{y} {h:02}:{mi:02}:{s:02} UTC"),
        Lang::Ja => format!("{y}/{mo:02}/{d:02} {h}:{mi:02}:{s:02} UTC"),
        Lang::ZhCn => format!("{y}/{mo}/{d} {h:02}:{mi:02}:{s:02} UTC"),
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

/// A duration in milliseconds: `850 ms`, `1.2 s`, `2 min 5 s`.
pub fn duration_ms(lang: Lang, ms: u64) -> String {
    if ms < 1_000 {
        format!("{} ms", integer(lang, ms as i64))
    } else if ms < 60_000 {
        format!("{} s", decimal1(lang, ms as f64 / 1000.0))
    } else {
        let secs = ms / 1000;
        format!("{} min {} s", integer(lang, (secs / 60) as i64), secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_dates_the_way_each_language_does() {
        let t = "2026-11-23T09:05:07Z";
        assert_eq!(datetime(Lang::En, t), "Nov 23, 2026, 9:05:07 AM UTC");
        assert_eq!(datetime(Lang::De, t), "23.11.2026, 09:05:07 UTC");
        assert_eq!(datetime(Lang::Fr, t), "23/11/2026 09:05:07 UTC");
        assert_eq!(datetime(Lang::Ja, t), "2026/11/23 9:05:07 UTC");
        assert_eq!(datetime(Lang::ZhCn, t), "2026/11/23 09:05:07 UTC");
    }

    #[test]
    fn groups_digits_the_way_each_language_does() {
        assert_eq!(integer(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(integer(Lang::De, 1_234_567), "1.234.567");
        assert_eq!(integer(Lang::Es, 1234), "1234");
        assert_eq!(integer(Lang::Es, 12_345), "12.345");
        assert_eq!(integer(Lang::Fr, 12_345), "12\u{202f}345");
        assert_eq!(decimal1(Lang::De, 1.25), "1,3");
        assert_eq!(duration_ms(Lang::Fr, 1_500), "1,5 s");
        assert_eq!(duration_ms(Lang::En, 42), "42 ms");
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
