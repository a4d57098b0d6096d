//! The `ses` kind: one email per event through Amazon SES v2 `SendEmail`
//! (`POST /v2/email/outbound-emails`), signed with AWS Signature Version 4 for the service
//! `ses` in the channel's region at the attempt's instant. The message is the one every email
//! kind writes ([`crate::mail::compose`]).
//!
//! URL form (Apprise): `ses://{from_user}@{from_domain}/{AccessKeyId}/{SecretAccessKey}/{region}/{to}/{to}…`
//! with `name` (the sender's display name), `to`, `cc`, `bcc`, `reply`, `from`, `access`,
//! `secret`, `region`, `configuration_set` and `api_base` in the query. A secret access key
//! may hold `/`: everything between the key id and the first segment shaped like a region is
//! the secret. Without recipients, the mail goes to the sender, as in Apprise.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{self, api_base_field, required_secret, required_setting};
use crate::mail;
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::sigv4::{self, AccessKey, PayloadHash, Scope, SignError};
use crate::{Message, Outbound, Provider, classify};

pub struct Ses;

const SERVICE: &str = "ses";
const PATH: &str = "/v2/email/outbound-emails";

/// SES takes at most 50 recipients per message, To, Cc and Bcc together.
/// [D SES v1 SendEmail reference; K that v2 keeps the same limit]
const MAX_RECIPIENTS: usize = 50;

/// `Content.Simple.Headers`: at most 15; a name of 1–126 printable ASCII characters without
/// `:`, a value of 1–870 printable ASCII characters. [D SESv2 API reference, Message and
/// MessageHeader]
const MAX_HEADERS: usize = 15;
const MAX_HEADER_NAME: usize = 126;
const MAX_HEADER_VALUE: usize = 870;

/// A configuration set's name: letters, digits, `_` and `-`, at most 64. [D SESv2 reference]
const MAX_CONFIGURATION_SET: usize = 64;

/// Query parameters Apprise adds to every URL; they mean nothing to this kind.
const APPRISE_GENERIC: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store",
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "ses",
    label: "Amazon SES",
    description: "Sends each notification as an email through Amazon Simple Email Service (SES v2 SendEmail).",
    url_schemes: &["ses"],
    fields: &[
        crate::common::PROFILE_FIELD,
        FieldSpec {
            name: "region",
            label: "Region",
            help: "The AWS region where the sending identity is verified, e.g. eu-west-1 or us-east-1.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "access_key_id",
            label: "Access key ID",
            help: "The access key ID (AKIA…) of an IAM user allowed to call ses:SendEmail.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "from",
            label: "From",
            help: "The sender: an address or domain verified in SES, like alerts@example.com or Ops <alerts@example.com>.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "to",
            label: "To",
            help: "Recipients, separated by commas. At most 50 with cc and bcc; while the account is in the SES sandbox, verified addresses only.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "cc",
            label: "Cc",
            help: "Copy recipients, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "bcc",
            label: "Bcc",
            help: "Blind copy recipients, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "reply_to",
            label: "Reply-To",
            help: "Where replies go, separated by commas; the sender when left empty.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "configuration_set",
            label: "Configuration set",
            help: "Send through this SES configuration set (event publishing, dedicated IPs).",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        api_base_field(
            "The SES endpoint; defaults to https://email.{region}.amazonaws.com. Set it for a FIPS or VPC endpoint, a proxy or a local SES emulator.",
        ),
        FieldSpec {
            name: "secret_access_key",
            label: "Secret access key",
            help: "The secret access key that belongs to the access key ID.",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
    ],
};

impl Provider for Ses {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let region = check_region(required_setting(config, "region")?).ok_or_else(|| {
            FieldError::new(
                "settings.region",
                "must be an AWS region like eu-west-1 or us-east-1",
            )
        })?;
        config
            .settings
            .insert("region".into(), Value::String(region));
        let key_id = required_setting(config, "access_key_id")?.trim().to_owned();
        if !is_access_key_id(&key_id) {
            return Err(FieldError::new(
                "settings.access_key_id",
                "must be an access key ID: letters and digits only, like AKIAIOSFODNN7EXAMPLE",
            ));
        }
        config
            .settings
            .insert("access_key_id".into(), Value::String(key_id));
        let secret = required_secret(config, "secret_access_key")?
            .trim()
            .to_owned();
        if !secret.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(FieldError::new(
                "secrets.secret_access_key",
                "must be the secret access key as AWS shows it, without spaces",
            ));
        }
        config.secrets.insert("secret_access_key", secret);
        ses_mailbox("settings.from", required_setting(config, "from")?)?;
        let count = recipients(config, "to")?.len()
            + recipients(config, "cc")?.len()
            + recipients(config, "bcc")?.len();
        if count > MAX_RECIPIENTS {
            return Err(FieldError::new(
                "settings.to",
                format!(
                    "names {count} recipients with cc and bcc; SES takes at most {MAX_RECIPIENTS} per message, so split them over several channels"
                ),
            ));
        }
        recipients(config, "reply_to")?;
        if let Some(set) = common::setting(config, "configuration_set") {
            let set = set.trim().to_owned();
            if !is_configuration_set(&set) {
                return Err(FieldError::new(
                    "settings.configuration_set",
                    "must be a configuration set name: letters, digits, `_` and `-`, at most 64",
                ));
            }
            config
                .settings
                .insert("configuration_set".into(), Value::String(set));
        }
        Ok(())
    }

    /// The account, the sender and how it sends; a channel then needs only recipients.
    fn profile_fields(&self) -> &'static [&'static str] {
        &[
            "region",
            "access_key_id",
            "secret_access_key",
            "from",
            "reply_to",
            "configuration_set",
            "api_base",
        ]
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "ses" {
            return Err(FieldError::new(
                "url",
                format!(
                    "`{}://` is not an SES URL; use ses://alerts@example.com/ACCESS_KEY_ID/SECRET_ACCESS_KEY/REGION/TO",
                    url.scheme()
                ),
            ));
        }
        parse_apprise(url)
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let from = common::setting(config, "from").unwrap_or_default();
        let (name, address) = split_mailbox(from);
        let (local, domain) = address.rsplit_once('@').unwrap_or(("", address));
        let secret = config
            .secrets
            .expose("secret_access_key")
            .map_or_else(|| "***".to_owned(), |s| common::shown(s, reveal));
        let mut text = format!(
            "ses://{}@{}/{}/{secret}/{}",
            common::encode_segment(local),
            common::encode_segment(domain),
            common::encode_segment(common::setting(config, "access_key_id").unwrap_or_default()),
            common::encode_segment(common::setting(config, "region").unwrap_or_default()),
        );
        let to = common::setting(config, "to")
            .map(|t| mail::mailbox_list("settings.to", t, false).unwrap_or_default())
            .unwrap_or_default();
        for mailbox in to {
            text.push('/');
            text.push_str(&common::encode_segment(&mailbox).replace("%40", "@"));
        }
        let mut query = Vec::new();
        if let Some(name) = name {
            query.push(("name".to_owned(), unquote(name)));
        }
        for (field, key) in [("cc", "cc"), ("bcc", "bcc"), ("reply_to", "reply")] {
            let list = common::setting(config, field)
                .map(|t| mail::mailbox_list("", t, false).unwrap_or_default())
                .unwrap_or_default();
            if !list.is_empty() {
                query.push((key.to_owned(), list.join(",")));
            }
        }
        for field in ["configuration_set", "api_base"] {
            if let Some(value) = common::setting(config, field) {
                query.push((field.to_owned(), value.to_owned()));
            }
        }
        common::with_query(text, &query)
    }

    fn carries_attachments(&self, _config: &ChannelConfig) -> bool {
        true
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let region = required_setting(config, "region")?;
        let key = AccessKey {
            id: required_setting(config, "access_key_id")?,
            secret: required_secret(config, "secret_access_key")?,
        };
        let from =
            mail::with_display_name(required_setting(config, "from")?, &message.identity.name);
        let from = ses_mailbox("settings.from", &from)?;
        let to = recipients(config, "to")?;
        let composed = mail::compose(message.event, message.identity);

        let mut destination = Map::new();
        destination.insert("ToAddresses".into(), json!(to));
        for (field, name) in [("cc", "CcAddresses"), ("bcc", "BccAddresses")] {
            let list = recipients(config, field)?;
            if !list.is_empty() {
                destination.insert(name.into(), json!(list));
            }
        }
        let mut simple = Map::new();
        simple.insert("Subject".into(), content(&composed.subject));
        simple.insert(
            "Body".into(),
            json!({"Text": content(&composed.text), "Html": content(&composed.html)}),
        );
        let headers = message_headers(&composed.headers);
        if !headers.is_empty() {
            simple.insert("Headers".into(), Value::Array(headers));
        }
        if !message.attachments.is_empty() {
            // SES v2's `Simple.Attachments`: the bytes in base64 (`RawContent`).
            let files = message.attachments.iter().map(|a| {
                json!({"FileName": a.filename, "ContentType": a.mime,
                    "RawContent": mail::base64(&a.data)})
            });
            simple.insert("Attachments".into(), Value::Array(files.collect()));
        }
        let mut body = Map::new();
        body.insert("FromEmailAddress".into(), Value::String(from));
        body.insert("Destination".into(), Value::Object(destination));
        let reply_to = recipients(config, "reply_to")?;
        if !reply_to.is_empty() {
            body.insert("ReplyToAddresses".into(), json!(reply_to));
        }
        body.insert("Content".into(), json!({ "Simple": simple }));
        if let Some(set) = common::setting(config, "configuration_set") {
            body.insert("ConfigurationSetName".into(), Value::String(set.to_owned()));
        }

        let default_base = format!("https://email.{region}.amazonaws.com");
        let url = format!("{}{PATH}", common::api_base(config, &default_base));
        let mut request = common::json_request("POST", url, Vec::new(), &Value::Object(body));
        sigv4::sign(
            &mut request,
            key,
            Scope {
                region,
                service: SERVICE,
            },
            message.now,
            PayloadHash::Signed,
        )
        .map_err(signing_error)?;
        Ok(Outbound::Http(request))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        classify_answer(response)
    }
}

/// `Eu-West-1 ` as `eu-west-1`, if it is shaped like an AWS region: a two-letter prefix,
/// words, and a number (`us-gov-west-1`, `ap-southeast-2`, `cn-north-1`).
fn check_region(text: &str) -> Option<String> {
    let region = text.trim().to_ascii_lowercase();
    let parts: Vec<&str> = region.split('-').collect();
    let [prefix, words @ .., number] = parts.as_slice() else {
        return None;
    };
    let shaped = prefix.len() == 2
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && !words.is_empty()
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit());
    shaped.then_some(region)
}

/// Access key IDs are letters and digits (AKIA… for IAM users, ASIA… for temporary ones);
/// AWS allows up to 128 characters.
fn is_access_key_id(text: &str) -> bool {
    (1..=128).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn is_configuration_set(text: &str) -> bool {
    (1..=MAX_CONFIGURATION_SET).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The mailboxes of a list setting, checked and written as SES takes them.
fn recipients(config: &ChannelConfig, field: &str) -> Result<Vec<String>, FieldError> {
    let path = format!("settings.{field}");
    let Some(text) = common::setting(config, field) else {
        if field == "to" {
            return Err(FieldError::new(path, "is required"));
        }
        return Ok(Vec::new());
    };
    mail::mailbox_list(&path, text, field == "to")?
        .iter()
        .map(|mailbox| ses_mailbox(&path, mailbox))
        .collect()
}

/// `Name <address>` as its display name (if any, as written) and its address.
fn split_mailbox(mailbox: &str) -> (Option<&str>, &str) {
    let mailbox = mailbox.trim();
    match mailbox.strip_suffix('>').and_then(|m| m.rsplit_once('<')) {
        Some((name, address)) => {
            let name = name.trim();
            ((!name.is_empty()).then_some(name), address.trim())
        }
        None => (None, mailbox),
    }
}

/// A display name without its quotes and escapes.
fn unquote(name: &str) -> String {
    let Some(inner) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) else {
        return name.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

/// A mailbox (already checked by [`mail::check_mailbox`]) as SES takes it: 7-bit ASCII.
/// SES does not support SMTPUTF8, so an international domain goes to Punycode and a
/// non-ASCII display name to RFC 2047 encoded words; a non-ASCII local part cannot be sent.
/// [D SES API reference: FromEmailAddress, Destination]
fn ses_mailbox(field: &str, mailbox: &str) -> Result<String, FieldError> {
    mail::check_mailbox(field, mailbox)?;
    let (name, address) = split_mailbox(mailbox);
    let (local, domain) = address.rsplit_once('@').unwrap_or(("", address));
    if !local.is_ascii() {
        return Err(FieldError::new(
            field,
            format!(
                "`{address}`: SES takes only ASCII characters before the @ (it does not support SMTPUTF8)"
            ),
        ));
    }
    let domain = if domain.is_ascii() {
        domain.to_owned()
    } else {
        match url::Host::parse(domain) {
            Ok(url::Host::Domain(ascii)) => ascii,
            _ => {
                return Err(FieldError::new(
                    field,
                    format!("`{address}`: the domain is not a valid international domain name"),
                ));
            }
        }
    };
    let address = format!("{local}@{domain}");
    Ok(match name {
        None => address,
        Some(name) if name.is_ascii() => format!("{name} <{address}>"),
        Some(name) => format!("{} <{address}>", encoded_words(&unquote(name))),
    })
}

/// `text` as RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters each, split between
/// characters.
fn encoded_words(text: &str) -> String {
    use base64::Engine as _;
    // 45 bytes of text make 60 of Base64, which with `=?UTF-8?B?` and `?=` stays under 75.
    const CHUNK: usize = 45;
    let mut words = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (chunk, tail) = rest.split_at(cut);
        words.push(format!(
            "=?UTF-8?B?{}?=",
            base64::engine::general_purpose::STANDARD.encode(chunk)
        ));
        rest = tail;
    }
    words.join(" ")
}

/// SES's `Content`: the text and its character set.
fn content(text: &str) -> Value {
    json!({"Data": text, "Charset": "UTF-8"})
}

/// The composed message's headers in the shape and within the limits SES documents; one
/// that does not fit is left out rather than fail the send.
// [K] unverified against the live service: that SES accepts `List-Id` and `Auto-Submitted`
// through `Simple.Headers`.
fn message_headers(headers: &[(String, String)]) -> Vec<Value> {
    let name_ok = |n: &str| {
        (1..=MAX_HEADER_NAME).contains(&n.len())
            && n.bytes().all(|b| b.is_ascii_graphic() && b != b':')
    };
    let value_ok = |v: &str| {
        (1..=MAX_HEADER_VALUE).contains(&v.len()) && v.bytes().all(|b| (b' '..=b'~').contains(&b))
    };
    headers
        .iter()
        .filter(|(name, value)| name_ok(name) && value_ok(value))
        .take(MAX_HEADERS)
        .map(|(name, value)| json!({"Name": name, "Value": value}))
        .collect()
}

/// A signing failure as the setting that caused it.
fn signing_error(error: SignError) -> FieldError {
    let field = match error {
        SignError::Url(_) => "settings.api_base",
        SignError::AccessKeyId => "settings.access_key_id",
        SignError::SecretKey => "secrets.secret_access_key",
        SignError::Scope => "settings.region",
        SignError::AlreadySigned(_) | SignError::Time(_) | SignError::Signer(_) => "settings",
    };
    FieldError::new(field, error.to_string())
}

/// `ses://{user}@{domain}/{key_id}/{secret…}/{region}/{to}…?name=…&cc=…&bcc=…&reply=…`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    const SHAPE: &str = "ses://alerts@example.com/ACCESS_KEY_ID/SECRET_ACCESS_KEY/REGION/TO";
    if url.password().is_some() {
        return Err(FieldError::new(
            "url",
            format!("takes the sender before the first `/`, like {SHAPE}"),
        ));
    }
    let user = common::decode(url.username());
    let host = common::decode(url.host_str().unwrap_or_default());
    let mut from = (!user.is_empty() && !host.is_empty()).then(|| format!("{user}@{host}"));

    let mut segments = common::path_segments(url).into_iter();
    let mut key_id = segments.next();
    let mut secret_parts = Vec::new();
    let mut region = None;
    for segment in segments.by_ref() {
        if let Some(r) = check_region(&segment) {
            region = Some(r);
            break;
        }
        secret_parts.push(segment);
    }
    let mut to: Vec<String> = segments.map(|t| named_target(&t)).collect();
    let mut secret = (!secret_parts.is_empty()).then(|| secret_parts.join("/"));

    let (mut name, mut settings) = (None, Map::new());
    for (key, value) in common::query_pairs(url) {
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "to" => to.push(value),
            "from" => from = Some(value),
            "name" => name = Some(value),
            "access" => key_id = Some(value),
            "secret" => secret = Some(value),
            "region" => {
                region = Some(check_region(&value).ok_or_else(|| {
                    FieldError::new(
                        "url",
                        format!("`{value}` is not an AWS region like eu-west-1"),
                    )
                })?);
            }
            "cc" | "bcc" => {
                settings.insert(key, Value::String(value));
            }
            "reply" | "reply_to" => {
                settings.insert("reply_to".into(), Value::String(value));
            }
            "configuration_set" | "api_base" => {
                settings.insert(key, Value::String(value));
            }
            other if APPRISE_GENERIC.contains(&other) => {}
            other => {
                return Err(FieldError::new(
                    "url",
                    format!(
                        "`{other}` is not an option of ses:// URLs; known: to, cc, bcc, reply, name, from, access, secret, region, configuration_set, api_base"
                    ),
                ));
            }
        }
    }
    let from = from.ok_or_else(|| {
        FieldError::new("url", format!("needs the sender's address, like {SHAPE}"))
    })?;
    let key_id = key_id.filter(|k| !k.is_empty()).ok_or_else(|| {
        FieldError::new(
            "url",
            format!("needs the access key ID after the sender, like {SHAPE}"),
        )
    })?;
    let region = region.ok_or_else(|| {
        FieldError::new(
            "url",
            format!("needs the region (like eu-west-1) after the secret access key: {SHAPE}"),
        )
    })?;
    let secret = secret.ok_or_else(|| {
        FieldError::new(
            "url",
            format!(
                "needs the secret access key between the access key ID and the region: {SHAPE}"
            ),
        )
    })?;
    let from = match name {
        Some(name) => mail::with_display_name(&from, &name),
        None => from,
    };
    let to = if to.is_empty() {
        // As in Apprise: without recipients, the sender gets the mail.
        split_mailbox(&from).1.to_owned()
    } else {
        to.join(", ")
    };
    settings.insert("region".into(), Value::String(region));
    settings.insert("access_key_id".into(), Value::String(key_id));
    settings.insert("from".into(), Value::String(from));
    settings.insert("to".into(), Value::String(to));
    let mut secrets = Secrets::new();
    secrets.insert("secret_access_key", secret);
    Ok(ChannelConfig { settings, secrets })
}

/// Apprise writes a recipient with a name as `Name:address`; a `:` cannot be part of an
/// address's local part, so this is `Name <address>`.
fn named_target(target: &str) -> String {
    match target.split_once(':') {
        Some((name, address)) if !target.contains('<') && address.contains('@') => {
            mail::with_display_name(address, name)
        }
        _ => target.to_owned(),
    }
}

/// The error's type as the rest-json protocol reports it: the `x-amzn-ErrorType` header,
/// else `__type` or `code` in the body; without a `…#` namespace or a `:…` suffix.
fn error_type(response: &HttpResponse, body: Option<&Value>) -> Option<String> {
    let raw = response
        .header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(|| {
            let body = body?;
            ["__type", "code", "Code"]
                .iter()
                .find_map(|k| body.get(*k).and_then(Value::as_str))
                .map(str::to_owned)
        })?;
    let raw = raw.split(':').next().unwrap_or_default();
    let name = raw.rsplit('#').next().unwrap_or_default().trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// 2xx (`{"MessageId": …}`) delivered. Throttling (`TooManyRequestsException`, any 429) and
/// the quota's `LimitExceededException` retry, as do 408 and 5xx; a paused or suspended
/// account, an unverified sender, a rejected message and bad credentials fail.
fn classify_answer(response: &HttpResponse) -> Outcome {
    let status = response.status;
    if (200..300).contains(&status) {
        return Outcome::Delivered;
    }
    let body = common::json_body(response);
    let kind = error_type(response, body.as_ref());
    let text = body
        .as_ref()
        .and_then(|b| ["message", "Message"].iter().find_map(|k| b.get(*k)))
        .and_then(Value::as_str)
        .map(|m| tocsin_core::outbound::excerpt(m, classify::EXCERPT_CHARS));
    let reason = match (&kind, text) {
        (Some(kind), Some(text)) => format!("SES {status} {kind}: {text}"),
        (Some(kind), None) => format!("SES {status} {kind}"),
        (None, Some(text)) => format!("SES {status}: {text}"),
        (None, None) => classify::describe(response),
    };
    let retry = match kind.as_deref() {
        Some("TooManyRequestsException" | "ThrottlingException" | "Throttling") => true,
        // [K] SES's sending quota: whether v2 reports an exhausted daily quota this way is
        // unverified; the quota refills, so a later attempt can pass.
        Some("LimitExceededException") => true,
        // Paused by the account owner or by AWS for reputation, or suspended: someone has
        // to act before a send can pass.
        Some(
            "SendingPausedException"
            | "AccountSendingPausedException"
            | "ConfigurationSetSendingPausedException"
            | "AccountSuspendedException",
        ) => false,
        _ => status == 408 || status == 429 || status >= 500,
    };
    if retry {
        Outcome::Retry {
            reason,
            after: classify::retry_after(response),
        }
    } else {
        Outcome::Failed { reason }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn channel() -> ChannelConfig {
        configure(
            &Ses,
            json!({
                "region": "eu-west-1",
                "access_key_id": KEY_ID,
                "from": "alerts@example.com",
                "to": "ops@example.com, \"Dev, Team\" <dev@example.com>",
                "cc": "lead@example.com",
                "bcc": "audit@example.com",
                "reply_to": "support@example.com",
                "configuration_set": "tocsin-alerts",
            }),
            json!({"secret_access_key": SECRET}),
        )
        .expect("a valid channel")
    }

    fn minimal(settings: Value) -> ChannelConfig {
        let mut base = json!({
            "region": "us-east-1", "access_key_id": KEY_ID,
            "from": "alerts@example.com", "to": "ops@example.com",
        });
        for (k, v) in settings.as_object().unwrap() {
            base[k] = v.clone();
        }
        configure(&Ses, base, json!({"secret_access_key": SECRET})).expect("a valid channel")
    }

    fn body_of(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("JSON")
    }

    #[test]
    fn renders_the_sample_event_as_a_signed_send_email_request() {
        let request = render(&Ses, &channel(), &sample_event());
        insta::assert_json_snapshot!("ses_sample", testing::snapshot(&request));
    }

    #[test]
    fn signs_for_ses_in_the_channel_s_region_at_the_attempt_s_instant() {
        let request = render(&Ses, &channel(), &sample_event());
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.url,
            "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails"
        );
        // testing::NOW is 2026-11-23T10:00:05Z.
        assert_eq!(request.header("x-amz-date"), Some("20261123T100005Z"));
        let authorization = request.header("authorization").unwrap();
        assert!(
            authorization.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
            ),
            "{authorization}"
        );
        // The transport writes Host from the URL, which is what was signed.
        assert_eq!(request.header("host"), None);
        assert!(!authorization.contains(SECRET));
    }

    #[test]
    fn signs_an_ses_request_as_botocore_does() {
        // The expected signature was computed by botocore's SigV4Auth (an implementation
        // independent of aws-sigv4) for this exact request, credentials and instant.
        let mut request = tocsin_core::outbound::HttpRequest {
            method: "POST".into(),
            url: "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails".into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: BOTOCORE_BODY.as_bytes().to_vec(),
        };
        sigv4::sign(
            &mut request,
            AccessKey {
                id: KEY_ID,
                secret: SECRET,
            },
            Scope {
                region: "eu-west-1",
                service: SERVICE,
            },
            NOW,
            PayloadHash::Signed,
        )
        .unwrap();
        assert_eq!(
            request.header("authorization"),
            Some(BOTOCORE_AUTHORIZATION)
        );
    }

    const BOTOCORE_BODY: &str = r#"{"Content":{"Simple":{"Body":{"Text":{"Charset":"UTF-8","Data":"Hello"}},"Subject":{"Charset":"UTF-8","Data":"Hi"}}},"Destination":{"ToAddresses":["ops@example.com"]},"FromEmailAddress":"alerts@example.com"}"#;
    const BOTOCORE_AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=b76a47b1cf1d17951eb056325850d790f77a0e994755f404f9e26957a01dfac1";

    #[test]
    fn sends_both_parts_and_the_filtering_headers_of_the_composed_mail() {
        let request = render(&Ses, &channel(), &sample_event());
        let body = body_of(&request);
        let composed = mail::compose(&sample_event(), &crate::Identity::default());
        let simple = &body["Content"]["Simple"];
        assert_eq!(
            simple["Subject"],
            json!({"Data": composed.subject, "Charset": "UTF-8"})
        );
        assert_eq!(simple["Body"]["Text"]["Data"], composed.text.as_str());
        assert_eq!(simple["Body"]["Html"]["Data"], composed.html.as_str());
        assert_eq!(
            simple["Headers"],
            json!([
                {"Name": "X-Tocsin-Event", "Value": "deploy.failure"},
                {"Name": "X-Tocsin-Severity", "Value": "critical"},
                {"Name": "List-Id", "Value": "Tocsin deploy events <tocsin.deploy>"},
                {"Name": "Auto-Submitted", "Value": "auto-generated"},
            ])
        );
    }

    #[test]
    fn sends_attachments_as_simple_content_inside_the_signature() {
        let config = channel();
        let files = testing::sample_attachments();
        let identity = crate::Identity::default();
        let request = testing::render_attaching(&Ses, &config, &sample_event(), &identity, &files);
        let body = body_of(&request);
        assert_eq!(
            body["Content"]["Simple"]["Attachments"],
            json!([
                {"FileName": "backup.log", "ContentType": "text/plain", "RawContent": "ZG9uZQo="},
                {"FileName": "dump.bin", "ContentType": "application/octet-stream",
                 "RawContent": mail::base64(&files[1].data)},
            ])
        );
        // The signature covers the body: it differs from the one without attachments.
        let without = render(&Ses, &config, &sample_event());
        assert!(
            body_of(&without)["Content"]["Simple"]
                .get("Attachments")
                .is_none()
        );
        assert_ne!(
            request.header("authorization"),
            without.header("authorization")
        );
    }

    #[test]
    fn names_a_bare_sender_after_the_identity() {
        let identity = crate::Identity {
            name: "Ops Bot".into(),
            icon_url: None,
        };
        let request = render_as(&Ses, &minimal(json!({})), &sample_event(), &identity);
        assert_eq!(
            body_of(&request)["FromEmailAddress"],
            "\"Ops Bot\" <alerts@example.com>"
        );
        let named = minimal(json!({"from": "Alerts <alerts@example.com>"}));
        let request = render_as(&Ses, &named, &sample_event(), &identity);
        assert_eq!(
            body_of(&request)["FromEmailAddress"],
            "Alerts <alerts@example.com>"
        );
    }

    #[test]
    fn leaves_out_what_the_channel_does_not_set() {
        let request = render(&Ses, &minimal(json!({})), &sample_event());
        let body = body_of(&request);
        assert_eq!(
            body["Destination"],
            json!({"ToAddresses": ["ops@example.com"]})
        );
        assert!(body.get("ReplyToAddresses").is_none());
        assert!(body.get("ConfigurationSetName").is_none());
        assert_eq!(
            request.url,
            "https://email.us-east-1.amazonaws.com/v2/email/outbound-emails"
        );
    }

    #[test]
    fn sends_to_api_base_and_signs_its_host_and_port() {
        let config = minimal(json!({"api_base": "http://127.0.0.1:4566/"}));
        let request = render(&Ses, &config, &sample_event());
        assert_eq!(
            request.url,
            "http://127.0.0.1:4566/v2/email/outbound-emails"
        );
        // Signing the same request with the Host the transport will send gives the same
        // signature: `host` was signed as `127.0.0.1:4566`.
        let mut again = request.clone();
        again.headers.truncate(1);
        again.headers.push(("Host".into(), "127.0.0.1:4566".into()));
        sigv4::sign(
            &mut again,
            AccessKey {
                id: KEY_ID,
                secret: SECRET,
            },
            Scope {
                region: "us-east-1",
                service: SERVICE,
            },
            NOW,
            PayloadHash::Signed,
        )
        .unwrap();
        assert_eq!(
            request.header("authorization"),
            again.header("authorization")
        );
    }

    #[test]
    fn writes_international_mailboxes_in_ascii() {
        let config = minimal(json!({
            "from": "Jürgen Müller <alerts@exämple.de>",
            "to": "\"Zoë, Ops\" <ops@example.com>, dev@bücher.example",
        }));
        let body = body_of(&render(&Ses, &config, &sample_event()));
        assert_eq!(
            body["FromEmailAddress"],
            "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <alerts@xn--exmple-cua.de>"
        );
        assert_eq!(
            body["Destination"]["ToAddresses"],
            json!([
                "=?UTF-8?B?Wm/DqywgT3Bz?= <ops@example.com>",
                "dev@xn--bcher-kva.example"
            ])
        );
        let long = encoded_words(&"é".repeat(40));
        assert!(long.split(' ').all(|w| w.len() <= 75), "{long}");
    }

    #[test]
    fn delivers_on_a_message_id() {
        let answer = response(
            200,
            &[("content-type", "application/json")],
            r#"{"MessageId":"0102018d3b1c7e5e-4f6a1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b-000000"}"#,
        );
        assert_eq!(Ses.classify(&answer), Outcome::Delivered);
    }

    #[test]
    fn fails_a_rejected_message_with_ses_s_words() {
        let answer = response(
            400,
            &[(
                "x-amzn-ErrorType",
                "MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/",
            )],
            r#"{"message":"Email address is not verified. The following identities failed the check in region EU-WEST-1: alerts@example.com"}"#,
        );
        assert_eq!(
            Ses.classify(&answer),
            Outcome::failed(
                "SES 400 MessageRejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: alerts@example.com"
            )
        );
    }

    #[test]
    fn fails_on_bad_credentials() {
        let signature = response(
            403,
            &[("x-amzn-ErrorType", "SignatureDoesNotMatch")],
            r#"{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}"#,
        );
        assert_eq!(
            Ses.classify(&signature),
            Outcome::failed(
                "SES 403 SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            )
        );
        let unknown_key = response(
            403,
            &[],
            r#"{"__type":"com.amazon.coral.service#UnrecognizedClientException","Message":"The security token included in the request is invalid."}"#,
        );
        assert_eq!(
            Ses.classify(&unknown_key),
            Outcome::failed(
                "SES 403 UnrecognizedClientException: The security token included in the request is invalid."
            )
        );
    }

    #[test]
    fn fails_when_sending_is_paused_or_the_account_suspended() {
        for (kind, text) in [
            (
                "SendingPausedException",
                "Sending is paused for this account.",
            ),
            (
                "AccountSuspendedException",
                "The message can't be sent because the account has been suspended.",
            ),
            (
                "MailFromDomainNotVerifiedException",
                "The message can't be sent because the sending domain isn't verified.",
            ),
        ] {
            let answer = response(
                400,
                &[("x-amzn-ErrorType", kind)],
                &json!({"message": text}).to_string(),
            );
            assert_eq!(
                Ses.classify(&answer),
                Outcome::failed(format!("SES 400 {kind}: {text}"))
            );
        }
        let missing_set = response(
            404,
            &[("x-amzn-ErrorType", "NotFoundException")],
            r#"{"message":"Configuration set <tocsin-alerts> does not exist."}"#,
        );
        assert_eq!(
            Ses.classify(&missing_set),
            Outcome::failed(
                "SES 404 NotFoundException: Configuration set <tocsin-alerts> does not exist."
            )
        );
    }

    #[test]
    fn retries_when_throttled() {
        let answer = response(
            429,
            &[("x-amzn-ErrorType", "TooManyRequestsException")],
            r#"{"message":"Maximum sending rate exceeded."}"#,
        );
        assert_eq!(
            Ses.classify(&answer),
            Outcome::Retry {
                reason: "SES 429 TooManyRequestsException: Maximum sending rate exceeded.".into(),
                after: None,
            }
        );
        let with_delay = response(
            429,
            &[
                ("x-amzn-ErrorType", "TooManyRequestsException"),
                ("Retry-After", "2"),
            ],
            r#"{"message":"Too many requests."}"#,
        );
        assert!(matches!(
            Ses.classify(&with_delay),
            Outcome::Retry { after: Some(d), .. } if d == Duration::from_secs(2)
        ));
        let quota = response(
            400,
            &[("x-amzn-ErrorType", "LimitExceededException")],
            r#"{"message":"Daily message quota exceeded."}"#,
        );
        assert_eq!(
            Ses.classify(&quota),
            Outcome::retry("SES 400 LimitExceededException: Daily message quota exceeded.")
        );
    }

    #[test]
    fn retries_server_errors() {
        let answer = response(
            500,
            &[("x-amzn-ErrorType", "InternalFailure")],
            r#"{"message":"An internal error occurred."}"#,
        );
        assert_eq!(
            Ses.classify(&answer),
            Outcome::retry("SES 500 InternalFailure: An internal error occurred.")
        );
        assert_eq!(
            Ses.classify(&response(502, &[], "<html>Bad Gateway</html>")),
            Outcome::retry("HTTP 502: <html>Bad Gateway</html>")
        );
    }

    #[test]
    fn fails_a_bad_request_without_a_type() {
        assert_eq!(
            Ses.classify(&response(
                400,
                &[],
                r#"{"message":"Missing From address."}"#
            )),
            Outcome::failed("SES 400: Missing From address.")
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = "ses://alerts@example.com/AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCYEXAMPLEKEY/eu-west-1/ops@example.com/dev@example.com?name=Ops%20Bot&cc=lead%40example.com&bcc=audit%40example.com&reply=support%40example.com&configuration_set=tocsin-alerts&api_base=http%3A%2F%2F127.0.0.1%3A4566";
        let (config, printed) = url_round_trip(&Ses, text);
        assert_eq!(config.settings["region"], "eu-west-1");
        assert_eq!(config.settings["access_key_id"], KEY_ID);
        assert_eq!(config.settings["from"], "\"Ops Bot\" <alerts@example.com>");
        assert_eq!(config.settings["to"], "ops@example.com, dev@example.com");
        assert_eq!(config.settings["cc"], "lead@example.com");
        assert_eq!(config.settings["bcc"], "audit@example.com");
        assert_eq!(config.settings["reply_to"], "support@example.com");
        assert_eq!(config.settings["configuration_set"], "tocsin-alerts");
        assert_eq!(config.settings["api_base"], "http://127.0.0.1:4566");
        assert_eq!(config.secrets.expose("secret_access_key"), Some(SECRET));
        assert_eq!(printed, text);
        let (again, _) = url_round_trip(&Ses, &printed);
        assert_eq!(again, config);
        let masked = Ses.to_url(&config, false);
        assert!(masked.starts_with(
            "ses://alerts@example.com/AKIAIOSFODNN7EXAMPLE/***/eu-west-1/ops@example.com/dev@example.com?"
        ));
        assert!(!masked.contains("EXAMPLEKEY"));
    }

    #[test]
    fn apprise_url_takes_a_secret_with_bare_slashes() {
        let text = "ses://alerts@example.com/AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY/us-east-2/ops@example.com";
        let (config, _) = url_round_trip(&Ses, text);
        assert_eq!(config.secrets.expose("secret_access_key"), Some(SECRET));
        assert_eq!(config.settings["region"], "us-east-2");
        assert_eq!(config.settings["to"], "ops@example.com");
    }

    #[test]
    fn apprise_url_without_recipients_mails_the_sender() {
        let text =
            "ses://alerts@example.com/AKIAIOSFODNN7EXAMPLE/secret+key/US-GOV-WEST-1?name=Ops";
        let (config, printed) = url_round_trip(&Ses, text);
        assert_eq!(config.settings["to"], "alerts@example.com");
        assert_eq!(config.settings["region"], "us-gov-west-1");
        assert_eq!(
            config.secrets.expose("secret_access_key"),
            Some("secret+key")
        );
        let (again, _) = url_round_trip(&Ses, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn apprise_url_reads_named_recipients() {
        let text = "ses://alerts@example.com/AKIAIOSFODNN7EXAMPLE/secret/eu-west-1/Ops%20Team:ops@example.com/dev@example.com";
        let (config, printed) = url_round_trip(&Ses, text);
        assert_eq!(
            config.settings["to"],
            "\"Ops Team\" <ops@example.com>, dev@example.com"
        );
        let (again, _) = url_round_trip(&Ses, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn apprise_url_takes_overrides_from_the_query() {
        let text = "ses://ignored@example.com/AKIDOLD/old/eu-west-1?from=alerts%40example.org&access=AKIANEW&secret=new%2Fsecret&region=ap-southeast-2&to=a%40example.org,b%40example.org&format=html";
        let (config, _) = url_round_trip(&Ses, text);
        assert_eq!(config.settings["from"], "alerts@example.org");
        assert_eq!(config.settings["access_key_id"], "AKIANEW");
        assert_eq!(config.settings["region"], "ap-southeast-2");
        assert_eq!(config.settings["to"], "a@example.org,b@example.org");
        assert_eq!(
            config.secrets.expose("secret_access_key"),
            Some("new/secret")
        );
    }

    #[test]
    fn rejects_malformed_urls() {
        let cases = [
            ("ses:///AKIA/secret/eu-west-1/a@b.com", "sender's address"),
            ("ses://alerts@example.com", "access key ID"),
            (
                "ses://alerts@example.com/AKIA/secret/a@b.com",
                "needs the region",
            ),
            (
                "ses://alerts@example.com/AKIA/eu-west-1/a@b.com",
                "secret access key",
            ),
            (
                "ses://alerts:pw@example.com/AKIA/s/eu-west-1",
                "sender before",
            ),
            (
                "ses://alerts@example.com/AKIA/s/eu-west-1?region=mars",
                "not an AWS region",
            ),
            (
                "ses://alerts@example.com/AKIA/s/eu-west-1?bogus=1",
                "`bogus`",
            ),
            ("mailto://alerts@example.com", "not an SES URL"),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Ses.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let good = json!({"region": "eu-west-1", "access_key_id": KEY_ID,
                          "from": "alerts@example.com", "to": "ops@example.com"});
        let with = |k: &str, v: Value| {
            let mut s = good.clone();
            s[k] = v;
            s
        };
        let without = |k: &str| {
            let mut s = good.clone();
            s.as_object_mut().unwrap().remove(k);
            s
        };
        let fifty_one = (0..51)
            .map(|n| format!("r{n}@example.com"))
            .collect::<Vec<_>>()
            .join(",");
        let secret = json!({"secret_access_key": SECRET});
        let cases = [
            (
                without("region"),
                secret.clone(),
                "settings.region",
                "is required",
            ),
            (
                with("region", json!("Ireland")),
                secret.clone(),
                "settings.region",
                "eu-west-1",
            ),
            (
                with("region", json!("eu-west")),
                secret.clone(),
                "settings.region",
                "eu-west-1",
            ),
            (
                without("access_key_id"),
                secret.clone(),
                "settings.access_key_id",
                "is required",
            ),
            (
                with("access_key_id", json!("AKIA/1")),
                secret.clone(),
                "settings.access_key_id",
                "letters and digits",
            ),
            (
                good.clone(),
                json!({}),
                "secrets.secret_access_key",
                "is required",
            ),
            (
                good.clone(),
                json!({"secret_access_key": "has a space"}),
                "secrets.secret_access_key",
                "without spaces",
            ),
            (
                without("from"),
                secret.clone(),
                "settings.from",
                "is required",
            ),
            (
                with("from", json!("alerts")),
                secret.clone(),
                "settings.from",
                "not an email address",
            ),
            (
                with("from", json!("jürgen@example.com")),
                secret.clone(),
                "settings.from",
                "SMTPUTF8",
            ),
            (without("to"), secret.clone(), "settings.to", "is required"),
            (
                with("to", json!(" , ")),
                secret.clone(),
                "settings.to",
                "at least one",
            ),
            (
                with("to", json!("ops@example.com, nope")),
                secret.clone(),
                "settings.to",
                "`nope`",
            ),
            (
                with("to", json!(fifty_one)),
                secret.clone(),
                "settings.to",
                "at most 50",
            ),
            (
                with("cc", json!("x")),
                secret.clone(),
                "settings.cc",
                "not an email address",
            ),
            (
                with("reply_to", json!("x@")),
                secret.clone(),
                "settings.reply_to",
                "not an email address",
            ),
            (
                with("configuration_set", json!("my set")),
                secret.clone(),
                "settings.configuration_set",
                "letters, digits",
            ),
            (
                with("api_base", json!("ftp://x")),
                secret.clone(),
                "settings.api_base",
                "http",
            ),
            (
                with("secret_access_key", json!(SECRET)),
                json!({}),
                "settings.secret_access_key",
                "secret",
            ),
            (
                with("session_token", json!("x")),
                secret.clone(),
                "settings.session_token",
                "not a field",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Ses, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{field}: {err}");
        }
    }

    #[test]
    fn a_sender_profile_holds_everything_but_the_recipients() {
        for name in Ses.profile_fields() {
            assert!(SCHEMA.field(name).is_some(), "{name}");
        }
        for name in ["to", "cc", "bcc"] {
            assert!(!Ses.profile_fields().contains(&name));
        }
    }

    #[test]
    fn normalises_the_region_and_trims_the_key() {
        let config = minimal(json!({"region": " EU-Central-1 ", "access_key_id": " AKIAX "}));
        assert_eq!(config.settings["region"], "eu-central-1");
        assert_eq!(config.settings["access_key_id"], "AKIAX");
    }
}
