//! One attempt: render the request, send it through the guarded transport, and judge the
//! answer. Shared by the queue workers and by "test channel".

use std::time::{Duration, Instant};

use tocsin_core::channel::ChannelConfig;
use tocsin_core::outbound::{Outcome, excerpt};
use tocsin_providers::{Kind, Message, Outbound};

use crate::transport::HttpTransport;

/// How many characters of a response the delivery log keeps.
pub const RESPONSE_EXCERPT_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct AttemptResult {
    pub outcome: Outcome,
    pub status_code: Option<u16>,
    pub duration: Duration,
    pub response_excerpt: Option<String>,
}

pub async fn run(
    transport: &HttpTransport,
    kind: Kind,
    config: &ChannelConfig,
    message: &Message<'_>,
) -> AttemptResult {
    let started = Instant::now();
    let provider = kind.provider();
    let request = match provider.render(config, message) {
        Ok(Outbound::Http(request)) => request,
        Ok(Outbound::Email { .. }) => {
            return AttemptResult {
                outcome: Outcome::failed("this server cannot send email yet"),
                status_code: None,
                duration: started.elapsed(),
                response_excerpt: None,
            };
        }
        Err(e) => {
            // The configuration cannot produce a request: retrying would fail the same way.
            return AttemptResult {
                outcome: Outcome::failed(format!("cannot build the request: {e}")),
                status_code: None,
                duration: started.elapsed(),
                response_excerpt: None,
            };
        }
    };
    match transport.send(&request).await {
        Ok(response) => {
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
