//! The generic `webhook` kind: a JSON (or text) body from a preset or a user template, sent
//! to any URL and signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature`) and with `X-Signature-256` for receivers that expect GitHub's form.
//!
//! URL forms: a plain `https://…` / `http://…` URL, or Apprise's `jsons://…` / `json://…`
//! with `+Header=value` query parameters.
//!
//! The target URL and the header values may carry credentials (`?token=…`, a token in the
//! path, `Authorization: Bearer …`), so [`Webhook::prepare`] keeps them whole among the
//! channel's secrets (`url`, and `headers` as a JSON object) and leaves in the settings only
//! what may be shown: the URL with its query values and credential-like path segments
//! masked, and the header names with the value `set`. Giving the shown forms back on update
//! keeps the stored values.

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::ChannelConfig;
use tocsin_core::outbound::HttpRequest;
use tocsin_core::signing::SigningSecret;
use tocsin_core::template::{BodyFormat, Template};

use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Attachment, Message, Outbound, Provider};

pub struct Webhook;

const METHODS: &[&str] = &["POST", "PUT", "PATCH"];

/// Headers the transport owns or that would let a template break the request framing.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "keep-alive",
    "proxy-authorization",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "x-signature-256",
];

static SCHEMA: KindSchema = KindSchema {
    kind: "webhook",
    label: "Webhook",
    description: "Any HTTP endpoint, with a JSON body from a preset or your own template, signed per Standard Webhooks.",
    url_schemes: &["https", "http", "jsons", "json"],
    fields: &[
        FieldSpec {
            name: "url",
            label: "URL",
            help: "Where to send the request, e.g. https://example.com/hooks/tocsin. Kept encrypted; shown with its query values and token-like path segments masked.",
            field_type: FieldType::Url,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "method",
            label: "Method",
            help: "The HTTP method.",
            field_type: FieldType::Choice { options: METHODS },
            secret: false,
            required: false,
            default: Some(DefaultValue::Str("POST")),
        },
        FieldSpec {
            name: "headers",
            label: "Headers",
            help: "Extra request headers, e.g. {\"Authorization\": \"Bearer …\"}. The values are kept encrypted and shown as \"set\"; \"set\" keeps a stored value.",
            field_type: FieldType::Map,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "template",
            label: "Template",
            help: "A preset (generic, slack, discord, teams, n8n, ringcentral, dokploy) or a MiniJinja template; ${name} and {{ name }} placeholders both work.",
            field_type: FieldType::Text,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "content_type",
            label: "Content type",
            help: "The body's media type. A JSON type makes Tocsin check the rendered body is valid JSON.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "signing_secret",
            label: "Signing secret",
            help: "whsec_… key for the webhook-signature and X-Signature-256 headers; generated when left empty.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
    ],
};

const DEFAULT_TEMPLATE: &str = "generic";
const DEFAULT_CONTENT_TYPE: &str = "application/json";

fn template_source(config: &ChannelConfig) -> &str {
    config.str_setting("template").unwrap_or(DEFAULT_TEMPLATE)
}

fn content_type(config: &ChannelConfig) -> &str {
    config
        .str_setting("content_type")
        .unwrap_or(DEFAULT_CONTENT_TYPE)
}

fn body_format(config: &ChannelConfig) -> BodyFormat {
    if content_type(config).to_ascii_lowercase().contains("json") {
        BodyFormat::Json
    } else {
        BodyFormat::Text
    }
}

fn method(config: &ChannelConfig) -> &str {
    match config.str_setting("method") {
        Some(m) if !m.is_empty() => m,
        _ => "POST",
    }
}

fn check_headers(headers: &Map<String, Value>) -> Result<(), FieldError> {
    for (name, value) in headers {
        let field = format!("settings.headers.{name}");
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !valid_name {
            return Err(FieldError::new(field, "is not a valid header name"));
        }
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(FieldError::new(
                field,
                "is set by Tocsin itself and cannot be overridden",
            ));
        }
        let text = value.as_str().unwrap_or_default();
        if text.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(FieldError::new(field, "must not contain line breaks"));
        }
    }
    Ok(())
}

/// The secret that holds the whole target URL.
pub const URL_SECRET: &str = "url";
/// The secret that holds the extra headers, as a JSON object of strings.
pub const HEADERS_SECRET: &str = "headers";
/// What a header's value shows as; given back on update, it keeps the stored value.
pub const SET: &str = "set";
/// What stands for a masked part of a shown URL.
const MASK: &str = "***";

/// Whether a path segment may be a credential: long, or mixing letters and digits (Slack's
/// `T…/B…/…`, Discord's id and token, Teams' GUIDs, hex and base64 tokens). The whole URL
/// is sealed anyway; this only decides what is shown.
fn looks_like_credential(segment: &str) -> bool {
    let letters = segment.bytes().any(|b| b.is_ascii_alphabetic());
    let digits = segment.bytes().any(|b| b.is_ascii_digit());
    segment.len() >= 16 || (segment.len() >= 8 && letters && digits)
}

/// `url` as it may be shown: every query value, every credential-like path segment, a
/// fragment and any user name or password replaced by `***`.
pub fn masked_url(url: &url::Url) -> String {
    let mut shown = url.clone();
    if !url.username().is_empty() || url.password().is_some() {
        let _ = shown.set_username(MASK);
        let _ = shown.set_password(None);
    }
    if url.path().len() > 1 {
        let path: Vec<&str> = url
            .path()
            .split('/')
            .map(|s| if looks_like_credential(s) { MASK } else { s })
            .collect();
        shown.set_path(&path.join("/"));
    }
    if let Some(query) = url.query() {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) if !v.is_empty() => format!("{k}={MASK}"),
                Some((k, _)) => format!("{k}="),
                None if pair.is_empty() => String::new(),
                None => MASK.to_owned(),
            })
            .collect();
        shown.set_query(Some(&pairs.join("&")));
    }
    if url.fragment().is_some() {
        shown.set_fragment(Some(MASK));
    }
    shown.to_string()
}

/// The whole target URL: the sealed one, or the setting of a configuration not yet
/// prepared.
fn target_url(config: &ChannelConfig) -> Option<&str> {
    config
        .secrets
        .expose(URL_SECRET)
        .or_else(|| config.str_setting("url"))
}

/// The extra headers with their values: the sealed ones, or the setting of a configuration
/// not yet prepared.
fn extra_headers(config: &ChannelConfig) -> Map<String, Value> {
    if let Some(text) = config.secrets.expose(HEADERS_SECRET) {
        return serde_json::from_str(text).unwrap_or_default();
    }
    match config.settings.get("headers") {
        Some(Value::Object(headers)) => headers.clone(),
        _ => Map::new(),
    }
}

/// Moves the target URL into the secrets, leaving its masked form in the settings. The
/// shown form of the stored URL, given back, keeps it.
fn seal_url(config: &mut ChannelConfig) -> Result<(), FieldError> {
    let field = "settings.url";
    let given = config
        .str_setting("url")
        .ok_or_else(|| FieldError::new(field, "is required"))?;
    let given = url::Url::parse(given)
        .map_err(|e| FieldError::new(field, format!("is not a valid URL ({e})")))?;
    let kept = config
        .secrets
        .expose(URL_SECRET)
        .and_then(|stored| url::Url::parse(stored).ok())
        .filter(|stored| masked_url(stored) == given.as_str());
    let full = kept.unwrap_or(given);
    if !full.username().is_empty() || full.password().is_some() {
        return Err(FieldError::new(
            field,
            "must not carry a user name or password; send credentials in a header \
             (settings.headers, e.g. Authorization)",
        ));
    }
    config
        .settings
        .insert("url".into(), Value::String(masked_url(&full)));
    config.secrets.insert(URL_SECRET, full.as_str());
    Ok(())
}

/// Moves the header values into the secrets, leaving the names (with the value `set`) in
/// the settings. A header given as `set` keeps its stored value.
fn seal_headers(config: &mut ChannelConfig) -> Result<(), FieldError> {
    let stored: Map<String, Value> = config
        .secrets
        .expose(HEADERS_SECRET)
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default();
    let given = match config.settings.get("headers") {
        Some(Value::Object(headers)) => headers.clone(),
        _ => Map::new(),
    };
    let mut full = Map::new();
    for (name, value) in given {
        let value = match (value.as_str(), stored.get(&name)) {
            (Some(SET), Some(old)) => old.clone(),
            _ => value,
        };
        full.insert(name, value);
    }
    check_headers(&full)?;
    if full.is_empty() {
        config.settings.remove("headers");
        config.secrets.remove(HEADERS_SECRET);
        return Ok(());
    }
    let shown = full
        .keys()
        .map(|k| (k.clone(), Value::String(SET.into())))
        .collect();
    config
        .settings
        .insert("headers".into(), Value::Object(shown));
    config
        .secrets
        .insert(HEADERS_SECRET, Value::Object(full).to_string());
    Ok(())
}

/// Moves the target URL and the header values into the secrets (see the module's
/// documentation). Part of [`Webhook::prepare`]; also run alone on channels an older
/// version stored with them in the settings.
pub fn seal_target(config: &mut ChannelConfig) -> Result<(), FieldError> {
    seal_url(config)?;
    seal_headers(config)
}

/// The body with `"attachments": [{"filename", "mimetype", "base64"}]` added (the shape of
/// Apprise's `json://`). Only a JSON object can take them; any other body is refused rather
/// than sent without the files.
fn with_attachments(body: Vec<u8>, attachments: &[Attachment]) -> Result<Vec<u8>, FieldError> {
    use base64::Engine as _;
    if attachments.is_empty() {
        return Ok(body);
    }
    let refused = || {
        FieldError::new(
            crate::ATTACHMENTS_FIELD,
            "a webhook carries attachments only in a JSON object body (a JSON content type and a template that renders an object)",
        )
    };
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&body) else {
        return Err(refused());
    };
    let files = attachments
        .iter()
        .map(|a| {
            serde_json::json!({
                "filename": a.filename,
                "mimetype": a.mime,
                "base64": base64::engine::general_purpose::STANDARD.encode(&a.data),
            })
        })
        .collect();
    object.insert("attachments".into(), Value::Array(files));
    serde_json::to_vec(&object).map_err(|_| refused())
}

impl Provider for Webhook {
    fn carries_attachments(&self, config: &ChannelConfig) -> bool {
        body_format(config) == BodyFormat::Json
    }

    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        seal_target(config)?;
        let content_type = content_type(config);
        if content_type.is_empty() || content_type.bytes().any(|b| b.is_ascii_control()) {
            return Err(FieldError::new(
                "settings.content_type",
                "must be a media type such as application/json",
            ));
        }
        let template =
            Template::parse(template_source(config)).map_err(|e| e.within("settings"))?;
        template
            .check(body_format(config))
            .map_err(|e| e.within("settings"))?;
        match config.secrets.expose("signing_secret") {
            Some(text) => {
                SigningSecret::parse(text).map_err(|e| e.within("secrets"))?;
            }
            None => config
                .secrets
                .insert("signing_secret", SigningSecret::generate().to_whsec()),
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        let scheme = match url.scheme() {
            "json" | "http" => "http",
            "jsons" | "https" => "https",
            other => {
                return Err(FieldError::new(
                    "url",
                    format!("`{other}://` is not a webhook URL"),
                ));
            }
        };
        let host = url
            .host_str()
            .ok_or_else(|| FieldError::new("url", "needs a host"))?;
        let mut settings = Map::new();
        let mut headers = Map::new();
        let mut secrets = tocsin_core::channel::Secrets::new();
        let mut target = url::Url::parse(&format!("{scheme}://{host}"))
            .map_err(|e| FieldError::new("url", format!("is not a URL ({e})")))?;
        // Only the Apprise form carries options in the query; a plain URL is kept whole.
        let apprise = matches!(url.scheme(), "json" | "jsons");
        let _ = target.set_port(url.port());
        target.set_path(url.path());
        if apprise {
            let mut kept = Vec::new();
            for (key, value) in raw_query_pairs(url.query().unwrap_or("")) {
                if let Some(name) = key.strip_prefix('+') {
                    headers.insert(name.to_owned(), Value::String(value));
                    continue;
                }
                match key.as_str() {
                    "method" => {
                        settings.insert("method".into(), Value::String(value.to_ascii_uppercase()));
                    }
                    "template" => {
                        settings.insert("template".into(), Value::String(value));
                    }
                    "signing_secret" => secrets.insert("signing_secret", value),
                    _ => kept.push((key, value)),
                }
            }
            if !kept.is_empty() {
                target.query_pairs_mut().extend_pairs(kept);
            }
            if !url.username().is_empty() {
                use base64::Engine as _;
                let user = percent_decode(url.username());
                let pass = percent_decode(url.password().unwrap_or(""));
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
                headers.insert(
                    "Authorization".into(),
                    Value::String(format!("Basic {token}")),
                );
            }
        } else {
            target.set_query(url.query());
            if !url.username().is_empty() {
                return Err(FieldError::new(
                    "url",
                    "put credentials in a header (settings.headers) rather than in the URL",
                ));
            }
        }
        settings.insert("url".into(), Value::String(target.to_string()));
        if !headers.is_empty() {
            settings.insert("headers".into(), Value::Object(headers));
        }
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some(Ok(full)) = target_url(config).map(url::Url::parse) else {
            return String::new();
        };
        let mut url = if reveal {
            full
        } else {
            match url::Url::parse(&masked_url(&full)) {
                Ok(shown) => shown,
                Err(_) => return String::new(),
            }
        };
        let scheme = if url.scheme() == "http" {
            "json"
        } else {
            "jsons"
        };
        let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        if method(config) != "POST" {
            pairs.push(("method".into(), method(config).to_owned()));
        }
        if let Some(t) = config
            .str_setting("template")
            .filter(|t| Template::is_preset(t))
        {
            pairs.push(("template".into(), t.to_owned()));
        }
        for (k, v) in extra_headers(config) {
            let v = if reveal {
                v.as_str().unwrap_or_default().to_owned()
            } else {
                MASK.into()
            };
            pairs.push((format!("+{k}"), v));
        }
        if reveal && let Some(s) = config.secrets.expose("signing_secret") {
            pairs.push(("signing_secret".into(), s.to_owned()));
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| {
                // A leading `+` marks a header in Apprise's syntax and stays literal.
                let (plus, name) = k.strip_prefix('+').map_or(("", k.as_str()), |n| ("+", n));
                format!("{plus}{}={}", encode(name), encode(v))
            })
            .collect();
        url.set_query((!query.is_empty()).then(|| query.join("&")).as_deref());
        let text = url.to_string();
        match text.split_once("://") {
            Some((_, rest)) => format!("{scheme}://{rest}"),
            None => text,
        }
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let url =
            target_url(config).ok_or_else(|| FieldError::new("settings.url", "is required"))?;
        let format = body_format(config);
        let template =
            Template::cached(template_source(config)).map_err(|e| e.within("settings"))?;
        let body = template
            .render(message.event, message.delivery_id, format)
            .map_err(|e| e.within("settings"))?
            .into_bytes();
        // Added before signing, so that the signatures cover the files too.
        let body = with_attachments(body, message.attachments)?;
        let mut headers = vec![("Content-Type".to_owned(), content_type(config).to_owned())];
        for (k, v) in extra_headers(config) {
            headers.push((k, v.as_str().unwrap_or_default().to_owned()));
        }
        headers.push(("X-Tocsin-Event".into(), message.event.event_type.clone()));
        if let Some(secret) = config.secrets.expose("signing_secret") {
            let secret = SigningSecret::parse(secret).map_err(|e| e.within("secrets"))?;
            let timestamp = message.now.div_euclid(1000);
            headers.push(("webhook-id".into(), message.delivery_id.to_owned()));
            headers.push(("webhook-timestamp".into(), timestamp.to_string()));
            headers.push((
                "webhook-signature".into(),
                secret.sign(message.delivery_id, timestamp, &body),
            ));
            headers.push(("X-Signature-256".into(), secret.signature_256(&body)));
        }
        Ok(Outbound::Http(HttpRequest {
            method: method(config).to_owned(),
            url: url.to_owned(),
            headers,
            body,
        }))
    }
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn encode(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'*');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

/// Query pairs as Apprise writes them: `+` is a literal plus (it marks a header), not a
/// space as in HTML forms.
fn raw_query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}
