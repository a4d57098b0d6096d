//! One attempt: render the request, send it through the guarded transport (HTTP or SMTP),
//! and judge the answer. Shared by the queue workers and by "test channel".

use std::time::{Duration, Instant};

use tocsin_core::channel::ChannelConfig;
use tocsin_core::outbound::{EmailMessage, Outcome, SmtpServer, excerpt};
use tocsin_providers::{Kind, Message, Outbound, Provider};

use crate::secrets::{LazyRedactor, RefPolicy};
use crate::transport::{CheckedUrl, SmtpTransport, Transports};

/// How many characters of a response the delivery log keeps.
pub const RESPONSE_EXCERPT_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub outcome: Outcome,
    /// The HTTP status; `None` for email (the SMTP reply is in the excerpt and the reason).
    pub status_code: Option<u16>,
    pub duration: Duration,
    pub response_excerpt: Option<String>,
}

/// One attempt with `config`: its secret references are resolved for this attempt only,
/// and no secret value survives into the result's reason or excerpt.
pub async fn run(
    transports: Transports<'_>,
    refs: &RefPolicy,
    kind: Kind,
    config: &ChannelConfig,
    message: &Message<'_>,
) -> AttemptResult {
    let started = Instant::now();
    let resolved = match refs.resolve_references(config) {
        Ok(None) => None,
        Ok(Some(mut resolved)) => {
            // What saving could not check of a referenced value is checked now.
            if let Err(e) = kind.provider().prepare(&mut resolved) {
                let redactor = LazyRedactor::for_secrets(&resolved.secrets);
                return cannot_build(&e, started).redacted(&redactor);
            }
            Some(resolved)
        }
        Err(e) => {
            return AttemptResult {
                outcome: Outcome::failed(format!("cannot read a secret: {e}")),
                status_code: None,
                duration: started.elapsed(),
                response_excerpt: None,
            };
        }
    };
    let config = resolved.as_ref().unwrap_or(config);
    let redactor = LazyRedactor::for_secrets(&config.secrets);
    run_resolved(transports, kind, config, message, started, redactor).await
}

fn cannot_build(e: &dyn std::fmt::Display, started: Instant) -> AttemptResult {
    // The configuration cannot produce a request: retrying would fail the same way.
    AttemptResult {
        outcome: Outcome::failed(format!("cannot build the request: {e}")),
        status_code: None,
        duration: started.elapsed(),
        response_excerpt: None,
    }
}

impl AttemptResult {
    /// The result with every secret value scrubbed from its reason and excerpt.
    fn redacted(mut self, redactor: &LazyRedactor<'_>) -> Self {
        self.outcome = match self.outcome {
            Outcome::Delivered => Outcome::Delivered,
            Outcome::Retry { reason, after } => Outcome::Retry {
                reason: redactor.redact(&reason),
                after,
            },
            Outcome::Failed { reason } => Outcome::Failed {
                reason: redactor.redact(&reason),
            },
        };
        self.response_excerpt = self.response_excerpt.map(|e| redactor.redact(&e));
        self
    }
}

/// Renders, sends and judges; everything the result says is scrubbed with `redactor`
/// (and the credentials of the rendered request) before it is cut to length, so that no
/// part of a secret survives at the cut.
async fn run_resolved(
    transports: Transports<'_>,
    kind: Kind,
    config: &ChannelConfig,
    message: &Message<'_>,
    started: Instant,
    redactor: LazyRedactor<'_>,
) -> AttemptResult {
    let provider = kind.provider();
    match provider.render(config, message) {
        Ok(Outbound::Http(request)) => {
            let redactor = redactor.with_request(&request);
            let url = match transports
                .http
                .check_url(&request.url, config.allows_http())
            {
                Ok(url) => url,
                Err(e) => {
                    return AttemptResult {
                        outcome: Outcome::failed(e.to_string()),
                        status_code: None,
                        duration: started.elapsed(),
                        response_excerpt: None,
                    }
                    .redacted(&redactor);
                }
            };
            send_http(transports, provider, url, &request, started, &redactor)
                .await
                .redacted(&redactor)
        }
        Ok(Outbound::Email { server, message }) => {
            send_email(transports.smtp, &server, &message, started)
                .await
                .redacted(&redactor)
        }
        Err(e) => cannot_build(&e, started).redacted(&redactor),
    }
}

async fn send_http(
    transports: Transports<'_>,
    provider: &dyn Provider,
    url: CheckedUrl,
    request: &tocsin_core::outbound::HttpRequest,
    started: Instant,
    redactor: &LazyRedactor<'_>,
) -> AttemptResult {
    match transports.http.send_to(url, request).await {
        Ok(mut response) => {
            // The answer is scrubbed whole before anything quotes a cut of it (the
            // provider's reason, the excerpt), so no part of a secret survives at a cut.
            let text = String::from_utf8_lossy(&response.body);
            let scrubbed = redactor.redact(&text);
            if scrubbed != text {
                response.body = scrubbed.into_bytes();
            }
            let outcome = provider.classify(&response);
            let body = response.excerpt(RESPONSE_EXCERPT_CHARS);
            AttemptResult {
                outcome,
                status_code: Some(response.status),
                duration: started.elapsed(),
                response_excerpt: (!body.is_empty())
                    .then(|| excerpt(&body, RESPONSE_EXCERPT_CHARS)),
            }
        }
        Err(e) => {
            let reason = e.to_string();
            AttemptResult {
                outcome: if e.is_retryable() {
                    Outcome::retry(reason)
                } else {
                    Outcome::failed(reason)
                },
                status_code: None,
                duration: started.elapsed(),
                response_excerpt: None,
            }
        }
    }
}

/// The server's reply goes into the excerpt whether it accepted the message or not; an
/// error reply is also the reason, as the server wrote it (`SMTP 535 5.7.8 …`).
async fn send_email(
    smtp: &SmtpTransport,
    server: &SmtpServer,
    message: &EmailMessage,
    started: Instant,
) -> AttemptResult {
    match smtp.send(server, message).await {
        Ok(receipt) => AttemptResult {
            outcome: Outcome::Delivered,
            status_code: None,
            duration: started.elapsed(),
            response_excerpt: Some(excerpt(&receipt.to_string(), RESPONSE_EXCERPT_CHARS)),
        },
        Err(e) => {
            let reason = e.to_string();
            AttemptResult {
                outcome: if e.is_retryable() {
                    Outcome::retry(reason)
                } else {
                    Outcome::failed(reason)
                },
                status_code: None,
                duration: started.elapsed(),
                response_excerpt: e
                    .reply()
                    .map(|reply| excerpt(&reply, RESPONSE_EXCERPT_CHARS)),
            }
        }
    }
}
