//! One module per channel kind, all behind the [`Provider`] trait. A provider describes its
//! fields, reads and writes its URL form, builds the exact request for a message and judges
//! the response. It never sends anything: the server's transports do the I/O.
//!
//! Adding a kind is adding one module and one line in [`Kind`].

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::ChannelConfig;
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpRequest, HttpResponse, Outcome};

pub use tocsin_core::outbound::Attachment;
use tocsin_core::time::Millis;

pub mod classify;
pub mod common;
pub mod discord;
pub mod email;
pub mod googlechat;
pub mod gotify;
pub mod lark;
pub mod mail;
pub mod matrix;
pub mod mattermost;
pub mod ntfy;
pub mod opsgenie;
pub mod pagerduty;
pub mod pushbullet;
pub mod pushover;
pub mod resend;
pub mod rocketchat;
pub mod schema;
pub mod ses;
pub mod signal;
pub mod sigv4;
pub mod slack;
pub mod teams;
pub mod telegram;
pub mod twilio;
pub mod webex;
pub mod webhook;
pub mod zulip;

#[cfg(test)]
pub(crate) mod testing;

pub use schema::{DefaultValue, FieldSpec, FieldType, KindSchema};

/// Every channel kind Tocsin knows. Closed on purpose: a kind is a module of this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Slack,
    Discord,
    Telegram,
    Email,
    Resend,
    Ses,
    Gotify,
    Ntfy,
    Teams,
    Lark,
    Pushover,
    Mattermost,
    Webhook,
    PagerDuty,
    Opsgenie,
    GoogleChat,
    RocketChat,
    Matrix,
    Webex,
    Zulip,
    Signal,
    Pushbullet,
    Twilio,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Slack,
        Kind::Discord,
        Kind::Telegram,
        Kind::Email,
        Kind::Resend,
        Kind::Ses,
        Kind::Gotify,
        Kind::Ntfy,
        Kind::Teams,
        Kind::Lark,
        Kind::Pushover,
        Kind::Mattermost,
        Kind::Webhook,
        Kind::PagerDuty,
        Kind::Opsgenie,
        Kind::GoogleChat,
        Kind::RocketChat,
        Kind::Matrix,
        Kind::Webex,
        Kind::Zulip,
        Kind::Signal,
        Kind::Pushbullet,
        Kind::Twilio,
    ];

    pub fn name(self) -> &'static str {
        self.provider().schema().kind
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Self::ALL.iter().copied().find(|k| k.name() == name)
    }

    pub fn provider(self) -> &'static dyn Provider {
        match self {
            Kind::Slack => &slack::Slack,
            Kind::Discord => &discord::Discord,
            Kind::Telegram => &telegram::Telegram,
            Kind::Email => &email::Email,
            Kind::Resend => &resend::Resend,
            Kind::Ses => &ses::Ses,
            Kind::Gotify => &gotify::Gotify,
            Kind::Ntfy => &ntfy::Ntfy,
            Kind::Teams => &teams::Teams,
            Kind::Lark => &lark::Lark,
            Kind::Pushover => &pushover::Pushover,
            Kind::Mattermost => &mattermost::Mattermost,
            Kind::Webhook => &webhook::Webhook,
            Kind::PagerDuty => &pagerduty::PagerDuty,
            Kind::Opsgenie => &opsgenie::Opsgenie,
            Kind::GoogleChat => &googlechat::GoogleChat,
            Kind::RocketChat => &rocketchat::RocketChat,
            Kind::Matrix => &matrix::Matrix,
            Kind::Webex => &webex::Webex,
            Kind::Zulip => &zulip::Zulip,
            Kind::Signal => &signal::Signal,
            Kind::Pushbullet => &pushbullet::Pushbullet,
            Kind::Twilio => &twilio::Twilio,
        }
    }

    /// The kind a channel URL names by its scheme.
    pub fn for_url_scheme(scheme: &str) -> Option<Kind> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.provider().schema().url_schemes.contains(&scheme))
    }
}

/// How Tocsin presents itself where a service shows a sender (Slack `username` and
/// `icon_url`, Discord `avatar_url`, ntfy `icon`, …). Channels may override both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    /// A public URL of Tocsin's icon (served by Tocsin at `/static/icon.png` when
    /// `TOCSIN_PUBLIC_URL` is set).
    pub icon_url: Option<String>,
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            name: "Tocsin".into(),
            icon_url: None,
        }
    }
}

/// What a provider renders: one message, for one delivery, at one instant.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub event: &'a Event,
    /// Stable across retries: receivers use it to drop repeats, and services that take an
    /// idempotency key (Matrix transaction ids) get it.
    pub delivery_id: &'a str,
    /// When this attempt is made (signatures carry it).
    pub now: Millis,
    pub identity: &'a Identity,
    /// Files to send along (only `tocsin send --attach` gives any). A kind that cannot carry
    /// them says so in [`Provider::carries_attachments`]; one that can but not with this
    /// channel's configuration refuses to render with an error on the field `attachments`.
    pub attachments: &'a [Attachment],
}

/// The request a provider wants made.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    Http(HttpRequest),
    /// An email for an SMTP server.
    Email {
        server: tocsin_core::outbound::SmtpServer,
        message: Box<tocsin_core::outbound::EmailMessage>,
    },
}

/// A service's known sending limit for one channel: at most `burst` messages at once, and
/// `burst` per `per` on average. The dispatcher holds a channel's deliveries back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub per: std::time::Duration,
    pub burst: u32,
}

impl Pace {
    /// `burst` messages per `per`.
    pub const fn new(per: std::time::Duration, burst: u32) -> Self {
        Self { per, burst }
    }

    /// One message a second.
    pub const ONE_PER_SECOND: Pace = Pace::new(std::time::Duration::from_secs(1), 1);
}

/// A channel kind.
pub trait Provider: Send + Sync {
    /// Its fields; the API validates against them and the UI draws its form from them.
    fn schema(&self) -> &'static KindSchema;

    /// Checks what the schema cannot (a URL's shape, a template that compiles) and fills in
    /// what is generated on save (a signing secret). Called after the schema check.
    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError>;

    /// A channel from its URL form.
    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError>;

    /// Whether a plain `https://` URL is this service's own (e.g. a Slack webhook on
    /// `hooks.slack.com`), so that pasting it makes a channel of this kind rather than a
    /// generic webhook.
    fn accepts_native_url(&self, _url: &url::Url) -> bool {
        false
    }

    /// The fields a sender profile may hold for this kind (server, credentials, from
    /// address): a channel that references a profile, or that lacks them while its kind
    /// has a default profile, takes them from the profile. Empty for kinds without profiles.
    fn profile_fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// The URL form of a channel; secrets are masked unless `reveal`.
    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String;

    /// The exact request for `message`. An error means the channel's configuration cannot
    /// produce a request (the delivery fails with that reason; retrying cannot help).
    fn render(&self, config: &ChannelConfig, message: &Message<'_>)
    -> Result<Outbound, FieldError>;

    /// Whether a channel of this configuration can carry [`Message::attachments`]. False by
    /// default: such a kind renders its request without them, so callers with attachments
    /// must ask first.
    fn carries_attachments(&self, _config: &ChannelConfig) -> bool {
        false
    }

    /// Sorts the service's answer into delivered, retry or failed.
    fn classify(&self, response: &HttpResponse) -> Outcome {
        classify::by_status(response)
    }

    /// The service's known rate limit for a channel of this configuration, when it has
    /// one: deliveries beyond it wait instead of being refused with 429. None by default.
    fn pace(&self, _config: &ChannelConfig) -> Option<Pace> {
        None
    }
}

/// The field of the error a provider returns when it cannot carry a message's attachments.
pub const ATTACHMENTS_FIELD: &str = "attachments";

/// The kinds that can carry attachments with some configuration, by name.
pub fn kinds_with_attachments() -> &'static [&'static str] {
    &["webhook", "email", "resend", "ses"]
}

/// Builds a channel configuration from its API form, checking it against the kind's schema
/// and the provider's own rules. `previous` holds the secrets already stored, so that an
/// update may leave them out.
pub fn configure(
    kind: Kind,
    settings: Map<String, Value>,
    secrets: Map<String, Value>,
    previous: Option<&ChannelConfig>,
) -> Result<ChannelConfig, FieldError> {
    let provider = kind.provider();
    let mut config = schema::apply(provider.schema(), settings, secrets, previous)?;
    let mut references = Vec::new();
    for (name, value) in config.secrets.iter_exposed() {
        match tocsin_core::secret_ref::SecretRef::parse(value) {
            Ok(None) => {}
            Ok(Some(_)) => references.push((name.to_owned(), value.to_owned())),
            Err(message) => return Err(FieldError::new(format!("secrets.{name}"), message)),
        }
    }
    if references.is_empty() {
        provider.prepare(&mut config)?;
        return Ok(config);
    }
    // A reference is read only when a message is sent, so the checks of its value wait
    // until then (the server prepares the resolved configuration before rendering); the
    // reference itself is kept as given.
    match provider.prepare(&mut config) {
        Err(e)
            if !references
                .iter()
                .any(|(name, _)| e.field == format!("secrets.{name}")) =>
        {
            return Err(e);
        }
        _ => {}
    }
    for (name, value) in references {
        config.secrets.insert(name, value);
    }
    Ok(config)
}

/// Apprise writes Telegram URLs as `tgram://123456:ABC…/chat`, which a URL parser reads as
/// host `123456` with an invalid port: encode that colon so the token survives.
fn bare_bot_token(text: &str) -> std::borrow::Cow<'_, str> {
    if let Some(rest) = text.strip_prefix("tgram://")
        && let Some((id, tail)) = rest.split_once(':')
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && tail.starts_with(|c: char| !c.is_ascii_digit())
    {
        return format!("tgram://{id}%3A{tail}").into();
    }
    text.into()
}

/// Parses a channel URL of any kind into its kind and raw fields; pass them through
/// [`configure`] to check them.
pub fn from_url(text: &str) -> Result<(Kind, ChannelConfig), FieldError> {
    let text = bare_bot_token(text.trim());
    let url = url::Url::parse(&text)
        .map_err(|e| FieldError::new("url", format!("is not a URL ({e})")))?;
    let native = matches!(url.scheme(), "http" | "https")
        .then(|| {
            Kind::ALL
                .iter()
                .copied()
                .find(|k| k.provider().accepts_native_url(&url))
        })
        .flatten();
    let kind = native
        .or_else(|| Kind::for_url_scheme(url.scheme()))
        .ok_or_else(|| {
            FieldError::new(
                "url",
                format!("no channel kind uses the scheme `{}://`", url.scheme()),
            )
        })?;
    Ok((kind, kind.provider().parse_url(&url)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_kinds_with_attachments_matches_the_providers() {
        for kind in Kind::ALL {
            assert_eq!(
                kinds_with_attachments().contains(&kind.name()),
                kind.provider()
                    .carries_attachments(&ChannelConfig::default()),
                "{}",
                kind.name()
            );
        }
    }
}
