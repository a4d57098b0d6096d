//! AWS Signature Version 4 for requests the providers build: adds `X-Amz-Date` and
//! `Authorization` (and, when asked, `X-Amz-Content-Sha256`) to an [`HttpRequest`], signed
//! at the instant the caller gives, never the clock. The arithmetic is the `aws-sigv4`
//! crate's; this module decides what is signed, and its tests hold it to AWS's published
//! SigV4 test vectors.
//!
//! What is signed is what the transport sends: the URL as written back into the request,
//! every header the request carries, the body's SHA-256, and `host` taken from the URL
//! (with the port only when it is not the scheme's default), which is the `Host` the
//! transport writes itself.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings, sign as sign_with,
};
use aws_sigv4::sign::v4;
use tocsin_core::outbound::HttpRequest;
use tocsin_core::time::Millis;

/// An AWS access key.
#[derive(Clone, Copy)]
pub struct AccessKey<'a> {
    pub id: &'a str,
    pub secret: &'a str,
}

// The secret is a credential: never print it.
impl std::fmt::Debug for AccessKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Where a signature is valid: one service in one region (`ses` in `eu-west-1`).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub region: &'a str,
    pub service: &'a str,
}

/// Whether the body's hash also travels as the `X-Amz-Content-Sha256` header. It is part
/// of the signature either way; S3 wants the header, most other services (SES among them)
/// do without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash {
    Signed,
    SignedAndSent,
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("the URL `{0}` is not an http(s) URL with a host")]
    Url(String),
    #[error("the access key id must be letters and digits only")]
    AccessKeyId,
    #[error("the secret access key must be printable characters without spaces")]
    SecretKey,
    #[error("the region and service must be lower-case letters, digits and `-`")]
    Scope,
    #[error("the request already carries `{0}`, which signing writes")]
    AlreadySigned(&'static str),
    #[error("the signing time {0} is before 1970")]
    Time(Millis),
    #[error("the request cannot be signed: {0}")]
    Signer(String),
}

/// The headers signing writes; a request that already has one of them was signed before.
const WRITTEN: [&str; 4] = [
    "authorization",
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-security-token",
];

/// Signs `request` for `scope` with `key` as of `at` (Unix milliseconds; the signature
/// carries whole seconds). The URL is written back in the form that was signed (the
/// default port dropped, the host in lower case), and the signing headers are appended.
pub fn sign(
    request: &mut HttpRequest,
    key: AccessKey<'_>,
    scope: Scope<'_>,
    at: Millis,
    payload: PayloadHash,
) -> Result<(), SignError> {
    let url = url::Url::parse(&request.url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| SignError::Url(request.url.clone()))?;
    // The id goes into the `Credential=` part of the header, between `=` and `/`.
    if key.id.is_empty() || !key.id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(SignError::AccessKeyId);
    }
    if key.secret.is_empty() || !key.secret.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(SignError::SecretKey);
    }
    let scope_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !scope_ok(scope.region) || !scope_ok(scope.service) {
        return Err(SignError::Scope);
    }
    if let Some(name) = WRITTEN.into_iter().find(|w| request.header(w).is_some()) {
        return Err(SignError::AlreadySigned(name));
    }
    let millis = u64::try_from(at).map_err(|_| SignError::Time(at))?;
    let time = SystemTime::UNIX_EPOCH + Duration::from_millis(millis);

    let identity = Credentials::new(key.id, key.secret, None, None, "tocsin-channel").into();
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = match payload {
        PayloadHash::Signed => PayloadChecksumKind::NoHeader,
        PayloadHash::SignedAndSent => PayloadChecksumKind::XAmzSha256,
    };
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| SignError::Signer(e.to_string()))?
        .into();
    let signable = SignableRequest::new(
        &request.method,
        url.as_str(),
        request
            .headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| SignError::Signer(e.to_string()))?;
    let (instructions, _signature) = sign_with(signable, &params)
        .map_err(|e| SignError::Signer(e.to_string()))?
        .into_parts();
    let added: Vec<(String, String)> = instructions
        .headers()
        .map(|(name, value)| (header_case(name), value.to_owned()))
        .collect();
    request.url = url.into();
    request.headers.extend(added);
    Ok(())
}

/// `x-amz-date` as `X-Amz-Date`: header names are case-insensitive, this is for readers.
fn header_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The inputs every vector of AWS's SigV4 test suite shares.
    const KEY: AccessKey<'static> = AccessKey {
        id: "AKIDEXAMPLE",
        secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    };
    const SCOPE: Scope<'static> = Scope {
        region: "us-east-1",
        service: "service",
    };
    /// 2015-08-30T12:36:00Z, the suite's `20150830T123600Z`.
    const AT: Millis = 1_440_938_160_000;

    fn signed(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
        payload: PayloadHash,
    ) -> HttpRequest {
        let mut request = HttpRequest {
            method: method.into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        };
        sign(&mut request, KEY, SCOPE, AT, payload).expect("signs");
        request
    }

    /// Checks the headers signing added against the vector's published `X-Amz-Date` and
    /// `Authorization` lines, character for character.
    fn assert_signed_as_published(request: &HttpRequest, authorization: &str) {
        assert_eq!(request.header("x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(request.header("authorization"), Some(authorization));
    }

    // The expected values below are copied from AWS's SigV4 test suite
    // (`aws-sig-v4-test-suite`, the `.authz` file of the vector each test names), not
    // computed here. Where the CRT `aws-signing-test-suite` that the aws-sigv4 crate ships
    // has the same vector, its `header-signed-request.txt` carries the same line.

    #[test]
    fn signs_get_vanilla_as_published() {
        let request = signed(
            "GET",
            "https://example.amazonaws.com/",
            &[],
            "",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        );
        assert_eq!(request.headers.len(), 2, "{:?}", request.headers);
    }

    #[test]
    fn signs_post_vanilla_as_published() {
        let request = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[],
            "",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        );
    }

    #[test]
    fn signs_get_vanilla_query_order_key_case_as_published() {
        // The canonical query sorts the parameters: `Param1=value1&Param2=value2`.
        let request = signed(
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            &[],
            "",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        );
        assert_eq!(
            request.url, "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            "the URL is sent as written, only its signature sorts the query"
        );
    }

    #[test]
    fn signs_post_vanilla_query_as_published() {
        let request = signed(
            "POST",
            "https://example.amazonaws.com/?Param1=value1",
            &[],
            "",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
        );
    }

    #[test]
    fn signs_post_header_key_sort_as_published() {
        let request = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[("My-Header1", "value1")],
            "",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
        );
    }

    #[test]
    fn signs_post_x_www_form_urlencoded_as_published() {
        // The body's hash is only in the canonical request, as SES takes it.
        let request = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "Param1=value1",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
        );
        assert_eq!(request.header("x-amz-content-sha256"), None);
    }

    #[test]
    fn signs_post_x_www_form_urlencoded_parameters_as_published() {
        let request = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf8",
            )],
            "Param1=value1",
            PayloadHash::Signed,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe",
        );
    }

    #[test]
    fn signs_a_form_body_with_the_hash_header_as_the_crt_suite_publishes() {
        // The CRT `aws-signing-test-suite` (`v4/post-x-www-form-urlencoded`, shipped with the
        // aws-sigv4 crate) redid this vector with `sign_body: true` and a Content-Length.
        let request = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Content-Length", "13"),
            ],
            "Param1=value1",
            PayloadHash::SignedAndSent,
        );
        assert_signed_as_published(
            &request,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
        );
        assert_eq!(
            request.header("x-amz-content-sha256"),
            Some("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        );
    }

    #[test]
    fn names_the_added_headers_readably_after_the_request_s_own() {
        let request = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[("Content-Type", "application/json")],
            "{}",
            PayloadHash::SignedAndSent,
        );
        let names: Vec<&str> = request.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                "X-Amz-Date",
                "Authorization",
                "X-Amz-Content-Sha256"
            ]
        );
    }

    #[test]
    fn signs_the_host_without_the_default_port() {
        // `:443` on https is the default: the transport sends `Host: example.amazonaws.com`,
        // so the published get-vanilla signature must come out, and the URL loses the port.
        let request = signed(
            "GET",
            "https://EXAMPLE.amazonaws.com:443/",
            &[],
            "",
            PayloadHash::Signed,
        );
        assert!(request.header("authorization").unwrap().ends_with(
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        ));
        assert_eq!(request.url, "https://example.amazonaws.com/");
    }

    #[test]
    fn signs_the_host_with_any_other_port() {
        let with_port = signed(
            "GET",
            "http://127.0.0.1:4566/",
            &[],
            "",
            PayloadHash::Signed,
        );
        let with_host_header = signed(
            "GET",
            "http://127.0.0.1:4566/",
            &[("Host", "127.0.0.1:4566")],
            "",
            PayloadHash::Signed,
        );
        let without_port = signed(
            "GET",
            "http://127.0.0.1:4566/",
            &[("Host", "127.0.0.1")],
            "",
            PayloadHash::Signed,
        );
        assert_eq!(
            with_port.header("authorization"),
            with_host_header.header("authorization")
        );
        assert_ne!(
            with_port.header("authorization"),
            without_port.header("authorization")
        );
    }

    #[test]
    fn the_signature_changes_with_the_instant_and_the_body() {
        let base = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[],
            "a",
            PayloadHash::Signed,
        );
        let other_body = signed(
            "POST",
            "https://example.amazonaws.com/",
            &[],
            "b",
            PayloadHash::Signed,
        );
        let mut later = HttpRequest {
            method: "POST".into(),
            url: "https://example.amazonaws.com/".into(),
            headers: vec![],
            body: b"a".to_vec(),
        };
        sign(&mut later, KEY, SCOPE, AT + 1_000, PayloadHash::Signed).unwrap();
        assert_eq!(later.header("x-amz-date"), Some("20150830T123601Z"));
        assert_ne!(
            base.header("authorization"),
            other_body.header("authorization")
        );
        assert_ne!(base.header("authorization"), later.header("authorization"));
    }

    #[test]
    fn refuses_what_cannot_be_signed() {
        let request = |url: &str, headers: Vec<(String, String)>| HttpRequest {
            method: "POST".into(),
            url: url.into(),
            headers,
            body: vec![],
        };
        let cases: [(HttpRequest, AccessKey<'_>, Scope<'_>, Millis, SignError); 6] = [
            (
                request("ftp://example.com/", vec![]),
                KEY,
                SCOPE,
                AT,
                SignError::Url("ftp://example.com/".into()),
            ),
            (
                request("not a url", vec![]),
                KEY,
                SCOPE,
                AT,
                SignError::Url("not a url".into()),
            ),
            (
                request("https://example.com/", vec![]),
                AccessKey {
                    id: "AKID/EXAMPLE",
                    ..KEY
                },
                SCOPE,
                AT,
                SignError::AccessKeyId,
            ),
            (
                request("https://example.com/", vec![]),
                AccessKey {
                    secret: "has space",
                    ..KEY
                },
                SCOPE,
                AT,
                SignError::SecretKey,
            ),
            (
                request("https://example.com/", vec![]),
                KEY,
                Scope {
                    region: "EU West",
                    service: "ses",
                },
                AT,
                SignError::Scope,
            ),
            (
                request(
                    "https://example.com/",
                    vec![("Authorization".into(), "x".into())],
                ),
                KEY,
                SCOPE,
                AT,
                SignError::AlreadySigned("authorization"),
            ),
        ];
        for (mut req, key, scope, at, expected) in cases {
            assert_eq!(
                sign(&mut req, key, scope, at, PayloadHash::Signed),
                Err(expected)
            );
        }
        let mut req = request("https://example.com/", vec![]);
        assert_eq!(
            sign(&mut req, KEY, SCOPE, -1, PayloadHash::Signed),
            Err(SignError::Time(-1))
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        assert!(!format!("{KEY:?}").contains("EXAMPLEKEY"));
    }
}
