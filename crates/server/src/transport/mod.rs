//! Outbound connections: the guarded HTTP client and the SMTP client, the only ways Tocsin
//! sends anything to a receiver.
//!
//! API boundary: providers hand over a [`tocsin_core::outbound::HttpRequest`] and get an
//! [`tocsin_core::outbound::HttpResponse`] or a [`TransportError`] saying whether trying
//! again can help; or an [`tocsin_core::outbound::EmailMessage`] for an
//! [`tocsin_core::outbound::SmtpServer`], answered by an [`SmtpReceipt`] or an
//! [`SmtpError`]. This module knows nothing about channels or deliveries.
//!
//! Architecture invariant: every address connected to has passed the operator's
//! [`AddressPolicy`](tocsin_core::address::AddressPolicy) (see `guard`, which `smtp` uses
//! too); no proxy taken from the environment can route around it. TLS certificates are
//! checked against the host name even though the connection goes to the vetted IP. URLs,
//! header values and SMTP passwords carry credentials: they are never logged, and errors
//! name at most the scheme, host and port.

mod guard;
mod http;
mod smtp;
mod tls;

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod tests;

pub use guard::{Lookup, LookupFuture, StaticLookup, SystemLookup, resolve_checked};
pub use http::{CheckedUrl, DEFAULT_MAX_BODY, HttpTransport};
pub use smtp::{DEFAULT_IDLE_TIMEOUT, SmtpError, SmtpReceipt, SmtpTransport};

/// The transports one attempt may use, borrowed from the application state.
#[derive(Debug, Clone, Copy)]
pub struct Transports<'a> {
    pub http: &'a HttpTransport,
    pub smtp: &'a SmtpTransport,
}

use tocsin_core::address::Refusal;

/// Why a request could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The SSRF guard refused every address of the target. Never retried: only a change of
    /// the URL or of `TOCSIN_ALLOW_PRIVATE` helps.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Plain `http://` to a host that is not allow-listed, on a channel without
    /// `allow_http`. Never retried.
    #[error(
        "plain http:// to {0} is refused: use https://, or add the host to \
         TOCSIN_ALLOW_PRIVATE, or have an admin set allow_http on the channel"
    )]
    PlainHttp(String),
    /// Not an http(s) URL, or not a URL at all. Never retried.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// The request cannot be sent as built (a bad method, header name or header value).
    /// Never retried.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The host name does not resolve. Never retried.
    #[error("{0}")]
    Dns(String),
    /// No complete answer within the transport's timeout.
    #[error("the request timed out")]
    Timeout,
    /// The connection could not be opened (refused, reset, TLS handshake failed, …).
    #[error("could not connect: {0}")]
    Connect(String),
    /// Anything else that went wrong on the way.
    #[error("request failed: {0}")]
    Other(String),
}

impl TransportError {
    /// Whether sending the same request later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Refused(_)
            | Self::PlainHttp(_)
            | Self::InvalidUrl(_)
            | Self::InvalidRequest(_)
            | Self::Dns(_) => false,
            Self::Timeout | Self::Connect(_) | Self::Other(_) => true,
        }
    }
}
