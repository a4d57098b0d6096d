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
    let reason = describe(response);
    if status == 408 || status == 429 || status >= 500 {
        Outcome::Retry {
            reason,
            after: retry_after(response),
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

/// The `Retry-After` header in seconds (the HTTP-date form is rare from APIs and ignored).
pub fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
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
