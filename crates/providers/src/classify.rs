//! The answer-sorting rules most HTTP services share; providers with quirks (errors sent
//! with status 200, delays in the body) build on these.

use std::time::Duration;

use tocsin_core::outbound::{HttpResponse, Outcome};

/// How much of a response body goes into an error message.
pub const EXCERPT_CHARS: usize = 300;

/// 2xx delivered; 408, 429 and 5xx retry (honouring `Retry-After`); any other status fails.
pub fn by_status(response: &HttpResponse) -> Outcome {
    let status = response.status;
    if (200..300).contains(&status) {
        return Outcome::Delivered;
    }
    retry_or_fail(response, describe(response), false, || None)
}

/// An answer that was not delivered, for the reason given: a retry when its status is 408,
/// 429 or 5xx or the service says it is `rate_limited`, after the delay `after` reads from
/// the body or else `Retry-After`; a failure otherwise.
pub fn retry_or_fail(
    response: &HttpResponse,
    reason: String,
    rate_limited: bool,
    after: impl FnOnce() -> Option<Duration>,
) -> Outcome {
    let status = response.status;
    if rate_limited || status == 408 || status == 429 || status >= 500 {
        Outcome::Retry {
            reason,
            after: after().or_else(|| retry_after(response)),
        }
    } else {
        Outcome::Failed { reason }
    }
}

/// [`by_status`], with the reason a failed answer gets told by `reason` (the service's own
/// words, e.g. `Slack 404: no_service`); `reason` is only asked when the answer failed.
pub fn by_status_saying(response: &HttpResponse, reason: impl FnOnce() -> String) -> Outcome {
    match by_status(response) {
        Outcome::Delivered => Outcome::Delivered,
        Outcome::Retry { after, .. } => Outcome::Retry {
            reason: reason(),
            after,
        },
        Outcome::Failed { .. } => Outcome::Failed { reason: reason() },
    }
}

/// `HTTP 503: <body excerpt>`.
pub fn describe(response: &HttpResponse) -> String {
    let excerpt = response.excerpt(EXCERPT_CHARS);
    if excerpt.is_empty() {
        format!("HTTP {}", response.status)
    } else {
        format!("HTTP {}: {excerpt}", response.status)
    }
}

/// `Opsgenie 503: <body excerpt>`: the status behind the service's name, for an answer
/// without the service's own words.
pub fn service_status(service: &str, response: &HttpResponse) -> String {
    let status = response.status;
    match crate::common::body_text(response) {
        text if text.is_empty() => format!("{service} {status}"),
        text => format!("{service} {status}: {text}"),
    }
}

/// The `Retry-After` header in seconds (the HTTP-date form is rare from APIs and ignored).
pub fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since the epoch of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn http_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    let day: i64 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<i64> = time
        .split(':')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [h, m, s] = hms.as_slice() else {
        return None;
    };
    // Days from 1970-01-01 to the civil date (proleptic Gregorian calendar).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + m * 60 + s)
}

/// How long until the epoch in the header `reset` (a limit's reset time), measured from the
/// answer's own `Date`, so that no clock is read here.
pub fn until_reset(response: &HttpResponse, reset: &str) -> Option<Duration> {
    let reset: i64 = response.header(reset)?.trim().parse().ok()?;
    let now = http_date(response.header("date")?)?;
    u64::try_from(reset - now).ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn sorts_statuses() {
        assert_eq!(by_status(&resp(204, &[], "")), Outcome::Delivered);
        assert_eq!(
            by_status(&resp(503, &[], "down")),
            Outcome::Retry {
                reason: "HTTP 503: down".into(),
                after: None
            }
        );
        assert_eq!(
            by_status(&resp(429, &[("retry-after", "12")], "")),
            Outcome::Retry {
                reason: "HTTP 429".into(),
                after: Some(Duration::from_secs(12))
            }
        );
        assert!(matches!(
            by_status(&resp(408, &[], "")),
            Outcome::Retry { .. }
        ));
        assert_eq!(
            by_status(&resp(404, &[], "no such hook")),
            Outcome::Failed {
                reason: "HTTP 404: no such hook".into()
            }
        );
    }

    #[test]
    fn ignores_unparseable_retry_after() {
        assert_eq!(
            retry_after(&resp(
                429,
                &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
                ""
            )),
            None
        );
        assert_eq!(retry_after(&resp(429, &[("retry-after", "-1")], "")), None);
        assert_eq!(
            retry_after(&resp(429, &[("Retry-After", "1.5")], "")),
            Some(Duration::from_millis(1500))
        );
    }
}
