//! Extractors whose rejections speak the API's error shape, and the limits every request
//! meets before a handler runs (header count, JSON nesting depth).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use ulid::Ulid;

use super::error::ApiError;
use crate::state::AppState;

/// The input limits of `[api]`, put on each request for the extractors to read.
#[derive(Debug, Clone, Copy)]
pub struct InputLimits {
    pub max_json_depth: usize,
}

/// Refuses a request with more than `api.max_headers` headers (431), and hands the JSON
/// depth limit on to [`Body`].
pub async fn input_limits(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let max_headers = state.config.api.max_headers;
    if request.headers().len() > max_headers {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "too_many_headers",
            format!("the request has more than {max_headers} headers (api.max_headers)"),
        ));
    }
    request.extensions_mut().insert(InputLimits {
        max_json_depth: state.config.api.max_json_depth,
    });
    Ok(next.run(request).await)
}

/// `axum::Json`, but a bad body answers with a JSON error that says what to fix, and a body
/// nested deeper than `api.max_json_depth` is refused before it is parsed.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let max_depth = req
            .extensions()
            .get::<InputLimits>()
            .map_or(DEFAULT_MAX_DEPTH, |l| l.max_json_depth);
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "the body is larger than the server accepts (api.max_body_bytes)",
                )
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", r.body_text())
            }
        })?;
        if nesting_exceeds(&bytes, max_depth) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "too_deep",
                format!(
                    "the JSON nests arrays and objects deeper than {max_depth} levels \
                     (api.max_json_depth)"
                ),
            ));
        }
        let axum::Json(value) = axum::Json::<T>::from_bytes(&bytes)?;
        Ok(Self(value))
    }
}

/// When no limit was put on the request (a router built without [`input_limits`]).
const DEFAULT_MAX_DEPTH: usize = 32;

/// `application/json`, or any `application/…+json`, parameters allowed.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

/// Whether arrays and objects in `json` nest deeper than `max`. Brackets inside strings do
/// not count; the text need not be valid JSON (the parser judges that afterwards). One pass,
/// no allocation: cheap enough to run before parsing.
pub fn nesting_exceeds(json: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// `axum::extract::Query`, but a bad query string answers with the API's JSON error.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("the query string is not valid: {}", e.body_text()),
                )
            })
    }
}

/// The `{id}` of a path, parsed; a malformed id is simply not found.
pub struct Id(pub Ulid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(text) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::not_found("resource"))?;
        Ulid::from_string(&text).map(Id).map_err(|_| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                format!("`{text}` is not an id; ids are 26 characters, as returned on create"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nesting_outside_strings_only() {
        assert!(!nesting_exceeds(br#"{"a": [1, {"b": 2}]}"#, 3));
        assert!(nesting_exceeds(br#"{"a": [1, {"b": [2]}]}"#, 3));
        assert!(!nesting_exceeds(br#"{"a": "[[[[[[[[[[{{{{{{"}"#, 1));
        assert!(!nesting_exceeds(br#"{"a": "\"[[[[\\"}"#, 1));
        assert!(nesting_exceeds(&[b'['; 33], 32));
        assert!(!nesting_exceeds(&[b'['; 32], 32));
        assert!(!nesting_exceeds(b"]]]]}}}", 1));
    }

    #[test]
    fn json_content_types() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, v.parse().unwrap());
            is_json(&h)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/vnd.api+json"));
        assert!(!with("text/json"));
        assert!(!with("application/jsonx"));
        assert!(!with("text/plain"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
