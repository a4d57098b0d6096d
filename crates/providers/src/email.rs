//! The `email` kind: a multipart message (plain text and HTML, see [`crate::mail`]) handed
//! to an SMTP server. This module only builds the message and names the server; the
//! server's SMTP transport connects, secures the connection, logs in and judges the replies.
//!
//! URL form: Apprise's `mailto://user:password@host:port?to=a@x.com,b@y.com&from=…` (and
//! `mailtos://` the same), with `cc`, `bcc`, `reply`, `name`, `smtp` (the server when it is
//! not the URL's host), `user`, `pass` and `mode=ssl|starttls|insecure`. Without a `mode`
//! both schemes use STARTTLS, so that a pasted URL never sends a password in clear text.

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::outbound::{EmailMessage, SmtpSecurity, SmtpServer};

use crate::common::{self, encode_segment, int_setting, setting};
use crate::mail;
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider};

pub struct Email;

const STARTTLS: &str = "starttls";
const TLS: &str = "tls";
const NONE: &str = "none";

const MAX_PREFIX_CHARS: usize = 100;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "email",
    label: "Email (SMTP)",
    description: "Email through an SMTP server: a plain-text and an HTML part for each event.",
    url_schemes: &["mailto", "mailtos"],
    fields: &[
        crate::common::PROFILE_FIELD,
        FieldSpec {
            name: "host",
            label: "SMTP server",
            help: "The server's host name or IP address, like smtp.example.com (without a port).",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "port",
            label: "Port",
            help: "Left empty: 587 with STARTTLS, 465 with TLS, 25 without encryption.",
            field_type: FieldType::Integer {
                min: 1,
                max: 65_535,
            },
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "security",
            label: "Security",
            help: "starttls: upgrade the connection on the submission port (587), refusing a server that cannot; tls: encrypted from the start (465); none: no encryption, only for servers on your private network that the operator allowed.",
            field_type: FieldType::Choice {
                options: &[STARTTLS, TLS, NONE],
            },
            secret: false,
            required: false,
            default: Some(DefaultValue::Str(STARTTLS)),
        },
        FieldSpec {
            name: "username",
            label: "Username",
            help: "The login for the server, often the full email address; leave empty for a server that takes mail without one.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "from",
            label: "From",
            help: "The sender, like alerts@example.com or Alerts <alerts@example.com>; a bare address is shown with Tocsin's name.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "to",
            label: "To",
            help: "One or more recipients, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "cc",
            label: "Cc",
            help: "Recipients to copy, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "bcc",
            label: "Bcc",
            help: "Hidden recipients, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "reply_to",
            label: "Reply-To",
            help: "Where replies go, when not to the sender.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "subject_prefix",
            label: "Subject prefix",
            help: "Put before every subject, like [prod].",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "password",
            label: "Password",
            help: "The password (or app password) for the username.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
    ],
};

/// Apprise options that mean nothing to a Tocsin channel and are skipped when read.
/// (`verify=no` is among them: Tocsin always verifies certificates.)
const IGNORED_OPTIONS: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "timeout", "tz", "store",
];

fn security_of(config: &ChannelConfig) -> SmtpSecurity {
    match setting(config, "security") {
        Some(TLS) => SmtpSecurity::Tls,
        Some(NONE) => SmtpSecurity::None,
        _ => SmtpSecurity::StartTls,
    }
}

fn default_port(security: SmtpSecurity) -> u16 {
    match security {
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::Tls => 465,
        SmtpSecurity::None => 25,
    }
}

fn port_of(config: &ChannelConfig) -> Result<u16, FieldError> {
    match int_setting(config, "port") {
        None => Ok(default_port(security_of(config))),
        Some(n) => u16::try_from(n)
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| FieldError::new("settings.port", "must be a port from 1 to 65535")),
    }
}

/// The host as given, without the brackets of an IPv6 address.
fn host_of(text: &str) -> &str {
    let text = text.trim();
    text.strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text)
}

fn check_host(text: &str) -> Result<(), FieldError> {
    let wrong = |why: &str| FieldError::new("settings.host", why.to_owned());
    let host = host_of(text);
    if host.is_empty() {
        return Err(wrong("is required"));
    }
    if host.contains("://") || host.contains('/') {
        return Err(wrong(
            "must be the server's name only, like smtp.example.com, without a scheme or a path",
        ));
    }
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Ok(());
    }
    if host.contains(':') {
        return Err(wrong(
            "must be the server's name only, like smtp.example.com: put the port in `port`",
        ));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    if host.len() > 253 || !host.trim_end_matches('.').split('.').all(label_ok) {
        return Err(wrong(
            "is not a host name or an IP address; write it like smtp.example.com",
        ));
    }
    Ok(())
}

fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

fn check(config: &ChannelConfig) -> Result<(), FieldError> {
    check_host(common::required_setting(config, "host")?)?;
    port_of(config)?;
    mail::check_mailbox("settings.from", common::required_setting(config, "from")?)?;
    mail::mailbox_list(
        "settings.to",
        setting(config, "to").unwrap_or_default(),
        true,
    )?;
    for name in ["cc", "bcc"] {
        mail::mailbox_list(
            &format!("settings.{name}"),
            setting(config, name).unwrap_or_default(),
            false,
        )?;
    }
    if let Some(reply_to) = setting(config, "reply_to") {
        mail::check_mailbox("settings.reply_to", reply_to)?;
    }
    if let Some(prefix) = setting(config, "subject_prefix") {
        if has_control(prefix) {
            return Err(FieldError::new(
                "settings.subject_prefix",
                "must be one line, like [prod]",
            ));
        }
        if prefix.chars().count() > MAX_PREFIX_CHARS {
            return Err(FieldError::new(
                "settings.subject_prefix",
                format!("must be at most {MAX_PREFIX_CHARS} characters"),
            ));
        }
    }
    let username = setting(config, "username");
    if username.is_some_and(has_control) {
        return Err(FieldError::new(
            "settings.username",
            "must be one line without control characters",
        ));
    }
    let password = config.secrets.expose("password").filter(|p| !p.is_empty());
    match (username, password) {
        (None, Some(_)) => {
            return Err(FieldError::new(
                "settings.username",
                "is required with a password: the server needs to know whose password it is",
            ));
        }
        (Some(_), None) => {
            return Err(FieldError::new(
                "secrets.password",
                "is required with a username; leave both empty for a server that takes mail without logging in",
            ));
        }
        _ => {}
    }
    if password.is_some() && security_of(config) == SmtpSecurity::None {
        return Err(FieldError::new(
            "settings.security",
            "`none` would send the password unencrypted: use starttls or tls, or leave username and password empty",
        ));
    }
    Ok(())
}

/// A query value as readable as it stays unambiguous: `@` and `,` are left as they are.
fn query_value(text: &str) -> String {
    encode_segment(text).replace("%40", "@").replace("%2C", ",")
}

fn url_error(message: impl Into<String>) -> FieldError {
    FieldError::new("url", message)
}

fn parse_mode(value: &str) -> Result<&'static str, FieldError> {
    match value.to_ascii_lowercase().as_str() {
        "ssl" | "tls" => Ok(TLS),
        "starttls" => Ok(STARTTLS),
        "insecure" | "none" | "plain" => Ok(NONE),
        _ => Err(url_error(format!(
            "mode `{value}` is not one of ssl, starttls, insecure"
        ))),
    }
}

/// A list of mailboxes written `a@x.com, b@y.com`; text that is not one is kept for the
/// check to name.
fn normalised_list(text: &str) -> String {
    match mail::mailbox_list("url", text, false) {
        Ok(list) => list.join(", "),
        Err(_) => text.to_owned(),
    }
}

impl Provider for Email {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// The server, the login and the sender; a channel then needs only recipients.
    fn profile_fields(&self) -> &'static [&'static str] {
        &[
            "host", "port", "security", "username", "password", "from", "reply_to",
        ]
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        check(config)?;
        // The port shown and stored is the one used: the security's usual port unless given.
        if int_setting(config, "port").is_none() {
            let port = default_port(security_of(config));
            config.settings.insert("port".into(), Value::from(port));
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if !matches!(url.scheme(), "mailto" | "mailtos") {
            return Err(url_error(format!(
                "`{}://` is not an email URL; use mailtos://user:password@smtp.example.com?to=you@example.com",
                url.scheme()
            )));
        }
        let domain = host_of(url.host_str().unwrap_or_default()).to_owned();
        let mut username = common::decode(url.username());
        let mut password = url.password().map(common::decode).unwrap_or_default();
        let mut to = common::path_segments(url);
        let (mut from, mut name, mut smtp, mut mode) = (None, None, None, None);
        let mut settings = Map::new();
        for (key, value) in common::query_pairs(url) {
            match key.as_str() {
                "to" => to.push(value),
                "from" => from = Some(value),
                "name" => name = Some(value),
                "smtp" => smtp = Some(value),
                "mode" => mode = Some(parse_mode(&value)?),
                "user" => username = value,
                "pass" => password = value,
                "cc" | "bcc" => {
                    settings.insert(key, Value::String(normalised_list(&value)));
                }
                "subject_prefix" => {
                    settings.insert(key, Value::String(value));
                }
                "reply" | "reply_to" => {
                    settings.insert("reply_to".into(), Value::String(value));
                }
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => {
                    return Err(url_error(format!(
                        "has an option Tocsin's email channel does not support: `{key}`"
                    )));
                }
            }
        }
        let host = smtp.unwrap_or_else(|| domain.clone());
        if host.is_empty() {
            return Err(url_error(
                "needs the SMTP server, like mailtos://user:password@smtp.example.com",
            ));
        }
        // Apprise's rule: without `from`, the login is the sender (`user@domain` when it is
        // not an address itself).
        let from = match from {
            Some(from) => from,
            None if username.contains('@') => username.clone(),
            None if !username.is_empty() && !domain.is_empty() => format!("{username}@{domain}"),
            None => {
                return Err(url_error(
                    "needs a sender: add from=alerts@example.com (or a username)",
                ));
            }
        };
        let from = match name {
            Some(name) => mail::with_display_name(&from, &name),
            None => from,
        };
        // Apprise sends to the sender when no recipient is named.
        let to = if to.is_empty() {
            mail::address_of(&from).to_owned()
        } else {
            normalised_list(&to.join(","))
        };
        let security = mode.unwrap_or(STARTTLS);
        settings.insert("host".into(), Value::String(host));
        if let Some(port) = url.port() {
            settings.insert("port".into(), Value::from(port));
        }
        settings.insert("security".into(), Value::String(security.into()));
        if !username.is_empty() {
            settings.insert("username".into(), Value::String(username));
        }
        settings.insert("from".into(), Value::String(from));
        settings.insert("to".into(), Value::String(to));
        let mut secrets = Secrets::new();
        if !password.is_empty() {
            secrets.insert("password", password);
        }
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let security = security_of(config);
        let (scheme, mode) = match security {
            SmtpSecurity::Tls => ("mailtos", "ssl"),
            SmtpSecurity::StartTls => ("mailtos", STARTTLS),
            SmtpSecurity::None => ("mailto", "insecure"),
        };
        let auth = match (
            setting(config, "username"),
            config.secrets.expose("password").filter(|p| !p.is_empty()),
        ) {
            (Some(user), Some(password)) => format!(
                "{}:{}@",
                encode_segment(user),
                common::shown(password, reveal)
            ),
            (Some(user), None) => format!("{}@", encode_segment(user)),
            _ => String::new(),
        };
        let host = host_of(setting(config, "host").unwrap_or_default());
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let port = int_setting(config, "port")
            .filter(|p| *p != i64::from(default_port(security)))
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let mut query = Vec::new();
        for (key, name) in [
            ("to", "to"),
            ("from", "from"),
            ("cc", "cc"),
            ("bcc", "bcc"),
            ("reply", "reply_to"),
            ("subject_prefix", "subject_prefix"),
        ] {
            if let Some(value) = setting(config, name) {
                let value = match name {
                    "to" | "cc" | "bcc" => mail::mailbox_list(name, value, false)
                        .unwrap_or_default()
                        .join(","),
                    _ => value.trim().to_owned(),
                };
                query.push(format!("{key}={}", query_value(&value)));
            }
        }
        query.push(format!("mode={mode}"));
        format!("{scheme}://{auth}{host}{port}/?{}", query.join("&"))
    }

    fn carries_attachments(&self, _config: &ChannelConfig) -> bool {
        true
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        check(config)?;
        let security = security_of(config);
        let server = SmtpServer {
            host: host_of(common::required_setting(config, "host")?).to_owned(),
            port: port_of(config)?,
            security,
            username: setting(config, "username").map(|u| u.trim().to_owned()),
            password: config
                .secrets
                .expose("password")
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
        };
        let list = |name: &str, required: bool| {
            mail::mailbox_list(
                &format!("settings.{name}"),
                setting(config, name).unwrap_or_default(),
                required,
            )
        };
        let (to, cc, bcc) =
            mail::distinct_recipients(list("to", true)?, list("cc", false)?, list("bcc", false)?);
        let composed = mail::compose(message.event, message.identity);
        let from = common::required_setting(config, "from")?;
        let message = EmailMessage {
            from: mail::with_display_name(from, &message.identity.name),
            to,
            cc,
            bcc,
            reply_to: setting(config, "reply_to").map(|r| r.trim().to_owned()),
            subject: mail::prefixed_subject(setting(config, "subject_prefix"), &composed.subject),
            text: composed.text,
            html: composed.html,
            headers: composed.headers,
            message_id: message.delivery_id.to_owned(),
            attachments: message.attachments.to_vec(),
        };
        Ok(Outbound::Email {
            server,
            message: Box::new(message),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tocsin_core::event::Event;

    use super::*;
    use crate::Identity;
    use crate::testing::{
        DELIVERY_ID, NOW, configure, recovery_event, sample_event, url_round_trip,
    };

    /// A dummy, for tests only.
    const PASSWORD: &str = "dummy-app-password";

    fn channel(settings: Value) -> ChannelConfig {
        let mut all = json!({"host": "smtp.example.com", "username": "alerts@example.com",
            "from": "alerts@example.com", "to": "ops@example.com"});
        all.as_object_mut()
            .unwrap()
            .extend(settings.as_object().unwrap().clone());
        configure(&Email, all, json!({"password": PASSWORD})).unwrap()
    }

    fn render_as(
        config: &ChannelConfig,
        event: &Event,
        identity: &Identity,
    ) -> (SmtpServer, EmailMessage) {
        let message = Message {
            event,
            delivery_id: DELIVERY_ID,
            now: NOW,
            identity,
            attachments: &[],
        };
        match Email.render(config, &message) {
            Ok(Outbound::Email { server, message }) => (server, *message),
            Ok(other) => panic!("not an email: {other:?}"),
            Err(e) => panic!("render failed: {e}"),
        }
    }

    fn render(config: &ChannelConfig, event: &Event) -> (SmtpServer, EmailMessage) {
        render_as(config, event, &Identity::default())
    }

    /// The server and message as JSON; the password only as whether one is set.
    fn snapshot(server: &SmtpServer, message: &EmailMessage) -> Value {
        json!({
            "server": {
                "host": server.host,
                "port": server.port,
                "security": format!("{:?}", server.security),
                "username": server.username,
                "password_set": server.password.is_some(),
            },
            "message": {
                "from": message.from,
                "to": message.to,
                "cc": message.cc,
                "bcc": message.bcc,
                "reply_to": message.reply_to,
                "subject": message.subject,
                "headers": message.headers,
                "message_id": message.message_id,
                "text": message.text,
                "html": message.html,
            },
        })
    }

    #[test]
    fn renders_the_sample_event_as_a_multipart_email() {
        let config = channel(json!({"cc": "Lead <lead@example.com>, ops@example.com",
            "bcc": "audit@example.com", "reply_to": "oncall@example.com",
            "subject_prefix": "[prod]"}));
        let (server, message) = render(&config, &sample_event());
        assert_eq!(server.password.as_deref(), Some(PASSWORD));
        insta::assert_json_snapshot!("email_sample", snapshot(&server, &message));
    }

    #[test]
    fn hands_the_attachments_to_the_transport() {
        let config = channel(json!({}));
        let files = crate::testing::sample_attachments();
        let identity = Identity::default();
        let event = sample_event();
        let message = Message {
            event: &event,
            delivery_id: DELIVERY_ID,
            now: NOW,
            identity: &identity,
            attachments: &files,
        };
        assert!(Email.carries_attachments(&config));
        let Ok(Outbound::Email { message: with, .. }) = Email.render(&config, &message) else {
            panic!("not an email");
        };
        assert_eq!(with.attachments, files);
        let (_, mut without) = render(&config, &event);
        without.attachments = files;
        assert_eq!(*with, without);
    }

    #[test]
    fn renders_a_recovery() {
        let (server, message) = render(&channel(json!({})), &recovery_event());
        insta::assert_json_snapshot!("email_recovery", snapshot(&server, &message));
    }

    #[test]
    fn names_a_bare_sender_after_the_identity() {
        let identity = Identity {
            name: "Acme Alerts".into(),
            icon_url: None,
        };
        let (_, message) = render_as(&channel(json!({})), &sample_event(), &identity);
        assert_eq!(message.from, "\"Acme Alerts\" <alerts@example.com>");
        let config = channel(json!({"from": "Ops <alerts@example.com>"}));
        let (_, message) = render_as(&config, &sample_event(), &identity);
        assert_eq!(message.from, "Ops <alerts@example.com>");
    }

    #[test]
    fn fills_in_the_port_of_the_security() {
        for (security, port) in [("starttls", 587), ("tls", 465), ("TLS", 465)] {
            let config = channel(json!({"security": security}));
            assert_eq!(config.settings["port"], port, "{security}");
            assert_eq!(render(&config, &sample_event()).0.port, port);
        }
        let config = configure(
            &Email,
            json!({"host": "127.0.0.1", "security": "none", "from": "a@x.com", "to": "b@y.com"}),
            json!({}),
        )
        .unwrap();
        assert_eq!(config.settings["port"], 25);
        let (server, _) = render(&config, &sample_event());
        assert_eq!(server.security, SmtpSecurity::None);
        assert_eq!((server.username, server.password), (None, None));
        let config = channel(json!({"port": 2525}));
        assert_eq!(render(&config, &sample_event()).0.port, 2525);
    }

    #[test]
    fn hostile_event_text_cannot_inject_headers_or_markup() {
        let mut event = sample_event();
        event.title = "Hi\r\nBcc: victim@example.com\r\n\r\n<script>x</script>".into();
        event.message = "<img src=x onerror=alert(1)>".into();
        event
            .source
            .insert("env\r\nX-Evil".into(), "<b>\n</b>".into());
        let identity = Identity {
            name: "Evil\r\nBcc: victim@example.com".into(),
            icon_url: None,
        };
        let (_, message) = render_as(&channel(json!({})), &event, &identity);
        for header in std::iter::once(&message.subject)
            .chain(std::iter::once(&message.from))
            .chain(message.headers.iter().map(|(_, v)| v))
        {
            assert!(
                !header.contains('\r') && !header.contains('\n'),
                "{header:?}"
            );
        }
        assert_eq!(
            message.subject,
            "[CRITICAL] Hi Bcc: victim@example.com <script>x</script>"
        );
        assert_eq!(
            message.from,
            "\"Evil Bcc: victim@example.com\" <alerts@example.com>"
        );
        assert_eq!(message.bcc, Vec::<String>::new());
        assert!(!message.html.contains("<script>"));
        assert!(!message.html.contains("<img"));
        assert!(!message.html.contains("<b>"));
        assert!(message.html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn keeps_the_long_event_within_limits() {
        let mut event = sample_event();
        event.title = "T".repeat(1_024);
        event.message = "M".repeat(65_536);
        let config = channel(json!({"subject_prefix": "[production eu-1]"}));
        let (_, message) = render(&config, &event);
        assert_eq!(message.subject.chars().count(), mail::MAX_SUBJECT_CHARS);
        assert!(
            message
                .subject
                .starts_with("[production eu-1] [CRITICAL] TTT")
        );
        assert!(message.text.contains(&"M".repeat(65_536)));
    }

    #[test]
    fn sends_each_address_once() {
        let config = channel(json!({"to": "a@x.com, b@x.com", "cc": "B@x.com, c@x.com",
            "bcc": "c@x.com"}));
        let (_, message) = render(&config, &sample_event());
        assert_eq!(message.to, vec!["a@x.com", "b@x.com"]);
        assert_eq!(message.cc, Vec::<String>::new());
        assert_eq!(message.bcc, vec!["c@x.com"]);
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = format!(
            "mailtos://alerts%40example.com:{PASSWORD}@smtp.example.com:2525?to=ops@example.com,dev@example.com&from=Alerts%20%3Calerts@example.com%3E&cc=lead@example.com&bcc=audit@example.com&reply=oncall@example.com&mode=ssl&format=html&verify=yes"
        );
        let (config, printed) = url_round_trip(&Email, &text);
        assert_eq!(config.settings["host"], "smtp.example.com");
        assert_eq!(config.settings["port"], 2525);
        assert_eq!(config.settings["security"], "tls");
        assert_eq!(config.settings["username"], "alerts@example.com");
        assert_eq!(config.settings["from"], "Alerts <alerts@example.com>");
        assert_eq!(config.settings["to"], "ops@example.com, dev@example.com");
        assert_eq!(config.settings["cc"], "lead@example.com");
        assert_eq!(config.settings["bcc"], "audit@example.com");
        assert_eq!(config.settings["reply_to"], "oncall@example.com");
        assert_eq!(config.secrets.expose("password"), Some(PASSWORD));
        assert_eq!(
            printed,
            format!(
                "mailtos://alerts%40example.com:{PASSWORD}@smtp.example.com:2525/?to=ops@example.com,dev@example.com&from=Alerts%20%3Calerts@example.com%3E&cc=lead@example.com&bcc=audit@example.com&reply=oncall@example.com&mode=ssl"
            )
        );
        assert_eq!(url_round_trip(&Email, &printed).0, config);
        let masked = Email.to_url(&config, false);
        assert!(masked.starts_with("mailtos://alerts%40example.com:***@smtp.example.com:2525/?"));
        assert!(!masked.contains(PASSWORD));
    }

    #[test]
    fn apprise_url_takes_targets_from_the_path_and_the_server_from_smtp() {
        let (config, printed) = url_round_trip(
            &Email,
            &format!(
                "mailto://alerts:{PASSWORD}@example.com/ops@example.com/dev@example.com?smtp=mail.example.com&name=Tocsin%20Alerts"
            ),
        );
        assert_eq!(config.settings["host"], "mail.example.com");
        assert_eq!(config.settings["security"], "starttls");
        assert_eq!(config.settings["port"], 587);
        assert_eq!(
            config.settings["from"],
            "\"Tocsin Alerts\" <alerts@example.com>"
        );
        assert_eq!(config.settings["to"], "ops@example.com, dev@example.com");
        assert_eq!(url_round_trip(&Email, &printed).0, config);
    }

    #[test]
    fn insecure_url_without_login_round_trips() {
        let (config, printed) = url_round_trip(
            &Email,
            "mailto://127.0.0.1:2525?from=tocsin@localhost&mode=insecure&subject_prefix=%5Btest%5D",
        );
        assert_eq!(config.settings["security"], "none");
        assert_eq!(config.settings["to"], "tocsin@localhost");
        assert_eq!(config.settings["subject_prefix"], "[test]");
        assert!(config.secrets.is_empty());
        assert_eq!(
            printed,
            "mailto://127.0.0.1:2525/?to=tocsin@localhost&from=tocsin@localhost&subject_prefix=%5Btest%5D&mode=insecure"
        );
        assert_eq!(url_round_trip(&Email, &printed).0, config);
        let (config, printed) =
            url_round_trip(&Email, "mailto://[::1]:2525?from=a@b.c&mode=insecure");
        assert_eq!(config.settings["host"], "::1");
        assert!(printed.starts_with("mailto://[::1]:2525/?"));
        assert_eq!(url_round_trip(&Email, &printed).0, config);
    }

    #[test]
    fn refuses_malformed_urls() {
        let cases = [
            ("mailtos://smtp.example.com?to=a@x.com", "needs a sender"),
            ("mailtos://u:p@smtp.example.com?mode=tls13", "mode `tls13`"),
            ("mailtos://u:p@smtp.example.com?priority=high", "`priority`"),
            ("smtp://u:p@smtp.example.com", "not an email URL"),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Email.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
        // Read but refused when checked: a password to send in clear text.
        let url = url::Url::parse("mailto://u:p@smtp.example.com?mode=insecure").unwrap();
        let raw = Email.parse_url(&url).unwrap();
        let secrets: Map<String, Value> = raw
            .secrets
            .iter_exposed()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect();
        let err =
            configure(&Email, Value::Object(raw.settings), Value::Object(secrets)).unwrap_err();
        assert_eq!(err.field, "settings.security");
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let base = json!({"host": "smtp.example.com", "from": "a@x.com", "to": "b@y.com"});
        let with = |extra: Value| {
            let mut all = base.clone();
            all.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            all
        };
        let cases = [
            (
                json!({"from": "a@x.com", "to": "b@y.com"}),
                json!({}),
                "settings.host",
                "is required",
            ),
            (
                with(json!({"host": "smtp://smtp.example.com"})),
                json!({}),
                "settings.host",
                "without a scheme",
            ),
            (
                with(json!({"host": "smtp.example.com:587"})),
                json!({}),
                "settings.host",
                "`port`",
            ),
            (
                with(json!({"host": "smtp example.com"})),
                json!({}),
                "settings.host",
                "host name",
            ),
            (
                with(json!({"port": 0})),
                json!({}),
                "settings.port",
                "1 to 65535",
            ),
            (
                with(json!({"port": 70000})),
                json!({}),
                "settings.port",
                "1 to 65535",
            ),
            (
                with(json!({"port": "587"})),
                json!({}),
                "settings.port",
                "whole number",
            ),
            (
                with(json!({"security": "ssl"})),
                json!({}),
                "settings.security",
                "starttls, tls, none",
            ),
            (
                json!({"host": "h", "to": "b@y.com"}),
                json!({}),
                "settings.from",
                "is required",
            ),
            (
                with(json!({"from": "not an address"})),
                json!({}),
                "settings.from",
                "alice@example.com",
            ),
            (
                with(json!({"to": " , "})),
                json!({}),
                "settings.to",
                "at least one",
            ),
            (
                with(json!({"to": "b@y.com, oops"})),
                json!({}),
                "settings.to",
                "`oops`",
            ),
            (with(json!({"cc": "x@"})), json!({}), "settings.cc", "`x@`"),
            (with(json!({"bcc": "y"})), json!({}), "settings.bcc", "`y`"),
            (
                with(json!({"reply_to": "a@x.com, b@y.com"})),
                json!({}),
                "settings.reply_to",
                "not an email address",
            ),
            (
                with(json!({"subject_prefix": "[a]\r\nBcc: x@y"})),
                json!({}),
                "settings.subject_prefix",
                "one line",
            ),
            (
                with(json!({})),
                json!({"password": "p"}),
                "settings.username",
                "with a password",
            ),
            (
                with(json!({"username": "u"})),
                json!({}),
                "secrets.password",
                "with a username",
            ),
            (
                with(json!({"username": "u", "security": "none"})),
                json!({"password": "p"}),
                "settings.security",
                "unencrypted",
            ),
            (
                with(json!({"password": "p"})),
                json!({}),
                "settings.password",
                "secret",
            ),
            (
                with(json!({"smtp_server": "x"})),
                json!({}),
                "settings.smtp_server",
                "not a field",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Email, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{settings}: {err}");
        }
    }

    #[test]
    fn leaves_classification_to_the_transport() {
        // SMTP replies never reach `classify`; the default stays for completeness.
        let ok = crate::testing::response(200, &[], "");
        assert_eq!(
            Email.classify(&ok),
            tocsin_core::outbound::Outcome::Delivered
        );
    }

    #[test]
    fn a_sender_profile_holds_everything_but_the_recipients() {
        for name in Email.profile_fields() {
            assert!(SCHEMA.field(name).is_some(), "{name}");
        }
        for name in ["to", "cc", "bcc"] {
            assert!(!Email.profile_fields().contains(&name));
        }
    }
}
