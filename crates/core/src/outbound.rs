//! What a provider asks the transport to send, and what comes back. Plain data: the
//! providers build these without I/O, the server's transports carry them out.

use std::fmt;
use std::time::Duration;

/// One HTTP request, exactly as it goes on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    pub url: String,
    /// In order; names as the provider writes them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

// URLs and headers carry credentials (webhook tokens, bearer keys): never print them.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &"<redacted>")
            .field("headers", &self.headers.len())
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmtpSecurity {
    /// Implicit TLS from the first byte (usually port 465).
    Tls,
    /// STARTTLS, required: a server that does not offer it is an error, never a silent
    /// downgrade (usually port 587).
    StartTls,
    /// No encryption: only for hosts the operator allowed as private.
    None,
}

/// An SMTP server to hand a message to.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

// The password is a credential: never print it.
impl fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username.is_some())
            .finish_non_exhaustive()
    }
}

/// A file sent along with a message (`tocsin send --attach`).
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the receiver shows, without any directory.
    pub filename: String,
    /// The media type, like `application/pdf`.
    pub mime: String,
    pub data: Vec<u8>,
}

// The bytes may be large: print their count only.
impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("mime", &self.mime)
            .field("bytes", &self.data.len())
            .finish()
    }
}

/// One email, ready for an SMTP transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// `Name <address>` or a bare address.
    pub from: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// Extra headers (`X-Tocsin-Event`, `List-Id`, …).
    pub headers: Vec<(String, String)>,
    /// The left part of the `Message-ID` (the delivery id), stable across retries.
    pub message_id: String,
    /// Files attached after the text and HTML parts.
    pub attachments: Vec<Attachment>,
}

/// What a receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The start of the body (the transport caps how much it reads).
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, shortened to `max` characters, for logs of attempts and errors.
    pub fn excerpt(&self, max: usize) -> String {
        excerpt(&String::from_utf8_lossy(&self.body), max)
    }
}

/// `text` shortened to at most `max` characters, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// How one attempt ended, as a provider judges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// A transient failure: try again, no sooner than `after` when the service said so.
    Retry {
        reason: String,
        after: Option<Duration>,
    },
    /// A permanent failure: retrying cannot help (bad credentials, unknown target, …).
    Failed {
        reason: String,
    },
}

impl Outcome {
    pub fn retry(reason: impl Into<String>) -> Self {
        Self::Retry {
            reason: reason.into(),
            after: None,
        }
    }

    pub fn failed(reason: impl Into<String>) -> Self {
        Self::Failed {
            reason: reason.into(),
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Delivered => None,
            Self::Retry { reason, .. } | Self::Failed { reason } => Some(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_on_characters() {
        assert_eq!(excerpt("  héllo  ", 10), "héllo");
        assert_eq!(excerpt("héllo wörld", 5), "héllo…");
    }

    #[test]
    fn debug_hides_the_url() {
        let r = HttpRequest {
            method: "POST".into(),
            url: "https://hooks.example/T/B/secret".into(),
            headers: vec![],
            body: vec![],
        };
        assert!(!format!("{r:?}").contains("secret"));
    }
}
