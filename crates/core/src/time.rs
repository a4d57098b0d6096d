//! Instants are Unix milliseconds (`i64`) everywhere inside Tocsin: the same in SQLite and
//! PostgreSQL, cheap to compare, and free of time-zone questions. These helpers convert at
//! the edges.

use jiff::Timestamp;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// RFC 3339 text (`2026-11-23T10:00:00.123Z`) for an instant.
pub fn to_rfc3339(ms: Millis) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_string(),
        // Out of jiff's range (years beyond ±9999): cannot come from parse_rfc3339 or now().
        Err(_) => ms.to_string(),
    }
}

/// Parses RFC 3339 text into an instant.
pub fn parse_rfc3339(text: &str) -> Result<Millis, String> {
    text.parse::<Timestamp>()
        .map(|ts| ts.as_millisecond())
        .map_err(|e| format!("not an RFC 3339 timestamp ({e}); write it like 2026-11-23T10:00:00Z"))
}

/// The wall clock, for the shell; the core itself never reads it.
pub fn now_millis() -> Millis {
    Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_rfc3339() {
        let ms = parse_rfc3339("2026-11-23T10:00:00Z").unwrap();
        assert_eq!(ms, 1_795_428_000_000);
        assert_eq!(to_rfc3339(ms), "2026-11-23T10:00:00Z");
        assert_eq!(to_rfc3339(ms + 5), "2026-11-23T10:00:00.005Z");
    }

    #[test]
    fn accepts_offsets_and_rejects_garbage() {
        assert_eq!(
            parse_rfc3339("2026-11-23T11:00:00+01:00").unwrap(),
            parse_rfc3339("2026-11-23T10:00:00Z").unwrap()
        );
        assert!(parse_rfc3339("yesterday").is_err());
    }
}
