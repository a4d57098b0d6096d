//! The `teams` kind: Microsoft Teams through a Workflows (Power Automate) webhook, "When a
//! Teams webhook request is received". The message is an Adaptive Card: the title coloured
//! by severity, the message, the source labels as facts and a button to the event's link.
//! Legacy Office 365 connector URLs (`….webhook.office.com/webhookb2/…`) take the same
//! Adaptive Card envelope while Microsoft keeps them running.
//!
//! URL forms: Apprise's `workflows://{host}/{workflow_id}/{signature}/?pa=yes&ver=…`, the
//! retired `msteams://{team}/{token_a}/{token_b}/{token_c}/`, the webhook URL itself, and
//! `workflows://?webhook=<URL>` for a webhook of any other shape (proxies, tests).

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};
use url::Url;

use crate::common::{self, chars_fitting, json_size};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Identity, Message, Outbound, Provider};

pub struct Teams;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "teams",
    label: "Microsoft Teams",
    description: "A Teams channel through a Workflows webhook: an Adaptive Card per event, coloured by severity, with the source labels as facts.",
    url_schemes: &["workflows", "workflow", "msteams"],
    fields: &[FieldSpec {
        name: "webhook_url",
        label: "Workflow URL",
        help: "The URL of a Teams workflow started by \"When a Teams webhook request is received\", e.g. https://prod-00.westeurope.logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?api-version=2016-06-01&sp=…&sv=1.0&sig=…; a legacy https://….webhook.office.com/webhookb2/… connector URL works too.",
        field_type: FieldType::Url,
        secret: true,
        required: true,
        default: None,
    }],
};

const URL_HELP: &str = "must be a Teams workflow URL like https://prod-00.westeurope.logic.azure.com:443/workflows/{id}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=…";
const APPRISE_HELP: &str = "must look like workflows://{host}/{workflow_id}/{signature}, e.g. workflows://prod-00.westeurope.logic.azure.com/643e69f83c89/KODuebWb…";
const MSTEAMS_HELP: &str = "must look like msteams://{team}/{token_a}/{token_b}/{token_c}, from https://{team}.webhook.office.com/webhookb2/{token_a}/IncomingWebhook/{token_b}/{token_c}";

const WORKFLOW_VERSION: &str = "2016-06-01";
const POWER_AUTOMATE_VERSION: &str = "2022-03-01-preview";
const POWER_AUTOMATE_PATH: &str = "/powerautomate/automations/direct";
const TRIGGER_PATH: &str = "/triggers/manual/run";
const CONNECTOR_DOMAIN: &str = ".webhook.office.com";

// [K] unverified: a Teams message holds about 28 KB; the whole body stays under this.
const BODY_MAX_BYTES: usize = 27_000;
const TITLE_MAX: usize = 1_024;
const MESSAGE_MAX: usize = 20_000;
const FACT_VALUE_MAX: usize = 1_024;
/// How many bytes the facts may take in all, so that the message keeps most of the room.
const FACTS_MAX_BYTES: usize = 6_000;

/// A Workflows webhook, as Apprise's `workflows://` form names its parts.
#[derive(Debug, PartialEq)]
struct Workflow {
    host: String,
    port: Option<u16>,
    power_automate: bool,
    id: String,
    signature: String,
    version: String,
}

impl Workflow {
    fn url(&self) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        let prefix = if self.power_automate {
            POWER_AUTOMATE_PATH
        } else {
            ""
        };
        format!(
            "https://{}{port}{prefix}/workflows/{}/triggers/manual/paths/invoke?api-version={}&sp={}&sv=1.0&sig={}",
            self.host,
            common::encode_segment(&self.id),
            common::encode_segment(&self.version),
            common::encode_segment(TRIGGER_PATH),
            common::encode_segment(&self.signature),
        )
    }

    fn default_version(power_automate: bool) -> &'static str {
        if power_automate {
            POWER_AUTOMATE_VERSION
        } else {
            WORKFLOW_VERSION
        }
    }

    /// The parts of a workflow URL, when writing them back gives exactly that URL.
    fn from_url(url: &Url) -> Option<Workflow> {
        if url.scheme() != "https" || url.fragment().is_some() || !url.username().is_empty() {
            return None;
        }
        let segments = common::path_segments(url);
        let (power_automate, rest) = match segments.as_slice() {
            [p, a, d, rest @ ..] if p == "powerautomate" && a == "automations" && d == "direct" => {
                (true, rest)
            }
            rest => (false, rest),
        };
        let id = match rest {
            [w, id, t, m, p, i]
                if w == "workflows"
                    && t == "triggers"
                    && m == "manual"
                    && p == "paths"
                    && i == "invoke" =>
            {
                id.clone()
            }
            _ => return None,
        };
        let pairs = common::query_pairs(url);
        let (version, signature) = match pairs.as_slice() {
            [(v, version), (sp, trigger), (sv, one), (s, sig)]
                if v == "api-version"
                    && sp == "sp"
                    && trigger == TRIGGER_PATH
                    && sv == "sv"
                    && one == "1.0"
                    && s == "sig" =>
            {
                (version.clone(), sig.clone())
            }
            _ => return None,
        };
        let workflow = Workflow {
            host: url.host_str()?.to_owned(),
            port: url.port(),
            power_automate,
            id,
            signature,
            version,
        };
        (workflow.url() == url.as_str()).then_some(workflow)
    }
}

/// A legacy connector webhook: `https://{team}.webhook.office.com/webhookb2/{a}/IncomingWebhook/{b}/{c}…`.
#[derive(Debug, PartialEq)]
struct Connector {
    team: String,
    tokens: Vec<String>,
}

impl Connector {
    fn url(&self) -> String {
        let (first, rest) = self
            .tokens
            .split_first()
            .map_or(("", &[][..]), |(f, r)| (f, r));
        format!(
            "https://{}{CONNECTOR_DOMAIN}/webhookb2/{first}/IncomingWebhook/{}",
            self.team,
            rest.join("/")
        )
    }

    fn from_url(url: &Url) -> Option<Connector> {
        if url.scheme() != "https" || url.port().is_some() || url.query().is_some() {
            return None;
        }
        let team = url.host_str()?.strip_suffix(CONNECTOR_DOMAIN)?.to_owned();
        let segments = common::path_segments(url);
        let tokens = match segments.as_slice() {
            [hook, first, incoming, rest @ ..]
                if hook == "webhookb2" && incoming == "IncomingWebhook" && rest.len() >= 2 =>
            {
                std::iter::once(first).chain(rest).cloned().collect()
            }
            _ => return None,
        };
        let connector = Connector { team, tokens };
        (connector.valid() && connector.url() == url.as_str()).then_some(connector)
    }

    fn valid(&self) -> bool {
        common::is_path_token(&self.team)
            && self.tokens.len() >= 3
            && self.tokens.iter().all(|t| {
                !t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"@-_".contains(&b))
            })
    }
}

fn parse_webhook_url(text: &str, field: &str) -> Result<Url, FieldError> {
    let url = common::http_url(text, field, URL_HELP)?;
    if is_workflow_path(&url) && !url.query_pairs().any(|(k, v)| k == "sig" && !v.is_empty()) {
        return Err(FieldError::new(
            field,
            "lacks its `sig` parameter: copy the whole URL from the workflow's trigger, query included",
        ));
    }
    Ok(url)
}

fn is_workflow_path(url: &Url) -> bool {
    let path = url.path();
    path.contains("/workflows/") && path.contains("/triggers/")
}

fn parse_workflows(url: &Url, pairs: &[(String, String)]) -> Result<String, FieldError> {
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| FieldError::new("url", APPRISE_HELP))?;
    let query = |names: &[&str]| {
        pairs
            .iter()
            .find(|(k, v)| names.contains(&k.as_str()) && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let mut segments = common::path_segments(url).into_iter();
    let id = query(&["workflow", "id"]).or_else(|| segments.next());
    let signature = query(&["signature", "sig"]).or_else(|| segments.next());
    let (Some(id), Some(signature)) = (id, signature) else {
        return Err(FieldError::new("url", APPRISE_HELP));
    };
    if !common::is_path_token(&id) {
        return Err(FieldError::new(
            "url",
            format!("the workflow id `{id}` may hold only letters, digits, `-` and `_`"),
        ));
    }
    if !common::is_path_token(&signature) {
        return Err(FieldError::new(
            "url",
            "the signature may hold only letters, digits, `-` and `_`",
        ));
    }
    let power_automate = match query(&["powerautomate", "pa"]) {
        Some(v) => common::url_flag("pa", &v)?,
        None => false,
    };
    let version = query(&["api-version", "ver"])
        .unwrap_or_else(|| Workflow::default_version(power_automate).to_owned());
    let workflow = Workflow {
        host: host.to_ascii_lowercase(),
        port: url.port(),
        power_automate,
        id,
        signature,
        version,
    };
    Ok(workflow.url())
}

fn parse_msteams(url: &Url) -> Result<String, FieldError> {
    let team = url.host_str().map(common::decode).unwrap_or_default();
    let connector = Connector {
        team: team.to_ascii_lowercase(),
        tokens: common::path_segments(url),
    };
    if !connector.valid() {
        return Err(FieldError::new("url", MSTEAMS_HELP));
    }
    Ok(connector.url())
}

/// The TextBlock colour of a severity: Adaptive Cards have no accent colour of their own.
fn color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Attention",
        Severity::Warning => "Warning",
        Severity::Info => "Accent",
        Severity::Ok => "Good",
    }
}

fn facts(event: &Event) -> Vec<Value> {
    let mut facts = vec![json!({"title": "Severity", "value": event.severity.as_str()})];
    let mut used = 0;
    for (name, value) in &event.source {
        if value.trim().is_empty() {
            continue;
        }
        let value = common::truncate(value, FACT_VALUE_MAX);
        used += json_size(name) + json_size(&value);
        if used > FACTS_MAX_BYTES {
            break;
        }
        facts.push(json!({"title": name, "value": value}));
    }
    facts
}

fn payload(event: &Event, identity: &Identity, message_max: usize) -> Value {
    let mut body = vec![json!({
        "type": "TextBlock", "text": common::truncate(common::title(event), TITLE_MAX),
        "weight": "Bolder", "size": "Medium", "wrap": true, "color": color(event.severity),
    })];
    if !event.message.trim().is_empty() {
        body.push(json!({
            "type": "TextBlock", "text": common::truncate(&event.message, message_max), "wrap": true,
        }));
    }
    body.push(json!({"type": "FactSet", "facts": facts(event)}));
    // Workflows post as the flow's owner: the sender's name goes in a footer instead.
    body.push(json!({
        "type": "TextBlock", "text": common::footer(identity, event),
        "isSubtle": true, "size": "Small", "wrap": true,
    }));
    let mut content = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "msteams": {"width": "Full"},
    });
    if let Some(link) = common::web_link(event) {
        content["actions"] =
            json!([{"type": "Action.OpenUrl", "title": "View details", "url": link}]);
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": content,
        }],
    })
}

/// The card with as much of the message as fits in the body limit.
fn fitted_payload(event: &Event, identity: &Identity) -> Value {
    let size = |payload: &Value| serde_json::to_vec(payload).map_or(0, |b| b.len());
    let full = payload(event, identity, MESSAGE_MAX);
    if size(&full) <= BODY_MAX_BYTES {
        return full;
    }
    let overhead = size(&payload(event, identity, 0));
    // Room for the message once escaped, less the three bytes of the cut marker.
    let room = BODY_MAX_BYTES.saturating_sub(overhead + 3);
    payload(event, identity, chars_fitting(&event.message, room))
}

/// `Code: message` from a Logic Apps error (`{"error":{"code":"…","message":"…"}}`).
fn error_text(response: &HttpResponse) -> String {
    let body = common::json_body(response);
    let error = body.as_ref().and_then(|b| b.get("error"));
    let code = error.and_then(|e| e.get("code")).and_then(Value::as_str);
    let message = error.and_then(|e| e.get("message")).and_then(Value::as_str);
    match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(t), None) | (None, Some(t)) => t.to_owned(),
        (None, None) => common::body_text(response),
    }
}

impl Provider for Teams {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let text = common::required_secret(config, "webhook_url")?;
        let url = parse_webhook_url(text, "secrets.webhook_url")?;
        config.secrets.insert("webhook_url", url.to_string());
        Ok(())
    }

    fn parse_url(&self, url: &Url) -> Result<ChannelConfig, FieldError> {
        let pairs = common::query_pairs(url);
        let webhook = match url.scheme() {
            "http" | "https" => url.to_string(),
            "workflows" | "workflow" | "msteams" => {
                if let Some((_, webhook)) = pairs.iter().find(|(k, _)| k == "webhook") {
                    webhook.clone()
                } else if url.scheme() == "msteams" {
                    parse_msteams(url)?
                } else {
                    parse_workflows(url, &pairs)?
                }
            }
            other => {
                return Err(FieldError::new(
                    "url",
                    format!("`{other}://` is not a Teams URL; {APPRISE_HELP}"),
                ));
            }
        };
        let webhook = parse_webhook_url(&webhook, "url")?;
        let mut secrets = Secrets::new();
        secrets.insert("webhook_url", webhook.to_string());
        Ok(ChannelConfig {
            settings: Map::new(),
            secrets,
        })
    }

    fn accepts_native_url(&self, url: &Url) -> bool {
        if url.scheme() != "https" {
            return false;
        }
        let has_sig = url.query_pairs().any(|(k, _)| k == "sig");
        (is_workflow_path(url) && has_sig) || Connector::from_url(url).is_some()
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let webhook = config
            .secrets
            .expose("webhook_url")
            .and_then(|w| Url::parse(w).ok());
        let Some(webhook) = webhook else {
            return "workflows://?webhook=***".to_owned();
        };
        if let Some(w) = Workflow::from_url(&webhook) {
            let port = w.port.map(|p| format!(":{p}")).unwrap_or_default();
            let mut pairs = Vec::new();
            if w.power_automate {
                pairs.push(("pa".to_owned(), "yes".to_owned()));
            }
            if w.version != Workflow::default_version(w.power_automate) {
                pairs.push(("ver".to_owned(), w.version.clone()));
            }
            let query = if pairs.is_empty() {
                String::new()
            } else {
                format!("?{}", common::query_string(&pairs))
            };
            return format!(
                "workflows://{}{port}/{}/{}/{query}",
                w.host,
                common::encode_segment(&w.id),
                common::shown(&w.signature, reveal)
            );
        }
        if let Some(c) = Connector::from_url(&webhook) {
            let tokens: Vec<String> = c.tokens.iter().map(|t| common::shown(t, reveal)).collect();
            return format!("msteams://{}/{}/", c.team, tokens.join("/"));
        }
        if reveal {
            format!(
                "workflows://?{}",
                common::query_string(&[("webhook".to_owned(), webhook.to_string())])
            )
        } else {
            "workflows://?webhook=***".to_owned()
        }
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let webhook = parse_webhook_url(
            common::required_secret(config, "webhook_url")?,
            "secrets.webhook_url",
        )?;
        let payload = fitted_payload(message.event, message.identity);
        Ok(Outbound::Http(common::json_request(
            "POST",
            webhook.to_string(),
            Vec::new(),
            &payload,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        if (200..300).contains(&status) {
            // [K] unverified: a legacy connector may answer 200 with this text when Teams
            // itself refused the message; a Workflow answers 202 with an empty body.
            let text = String::from_utf8_lossy(&response.body);
            let text = text.trim();
            if text.starts_with("Webhook message delivery failed") {
                let reason = format!("Teams: {}", common::body_text(response));
                return if text.contains("429") {
                    Outcome::retry(reason)
                } else {
                    Outcome::failed(reason)
                };
            }
            return Outcome::Delivered;
        }
        // 400: the flow refused the body; 401/403/404: a wrong `sig`, or the flow was
        // deleted or turned off.
        crate::classify::by_status_saying(response, || {
            let text = error_text(response);
            if text.is_empty() {
                format!("Teams {status}")
            } else {
                format!("Teams {status}: {text}")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::testing::{self, *};

    const WORKFLOW: &str = "https://prod-161.westeurope.logic.azure.com:443/workflows/643e69f83c8944438d68119179a10a64/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=KODuebWbDGYFr0z0eu-6Rj8aUKz7108W3wrNJZxFE5A";
    const CONNECTOR: &str = "https://contoso.webhook.office.com/webhookb2/abcdefgf8-2f4b-4eca-8f61-225c83db1967@abcdefg2-5a99-4849-8efc-c9e78d28e57d/IncomingWebhook/291289f63a8abd3593e834af4d79f9fe/a2329f43-0ffb-46ab-948b-c9abdad9d643";

    fn channel() -> ChannelConfig {
        configure(&Teams, json!({}), json!({ "webhook_url": WORKFLOW })).expect("valid channel")
    }

    fn body(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    fn longest_event() -> Event {
        let source: Map<String, Value> = (0..64)
            .map(|i| (format!("label{i:02}"), Value::String("\"".repeat(1_024))))
            .collect();
        let input: tocsin_core::event::EventInput = serde_json::from_value(json!({
            "type": "backup.failure", "title": "T".repeat(1_024), "message": "\u{1}".repeat(65_536),
            "source": source}))
        .expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), NOW).expect("a valid event")
    }

    #[test]
    fn renders_an_adaptive_card_for_the_sample_event() {
        let request = render(&Teams, &channel(), &sample_event());
        insta::assert_json_snapshot!("teams_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_green_card_for_a_recovery() {
        let request = render(&Teams, &channel(), &recovery_event());
        insta::assert_json_snapshot!("teams_recovery", testing::snapshot(&request));
    }

    #[test]
    fn posts_to_the_workflow_url_without_the_default_port() {
        let request = render(&Teams, &channel(), &sample_event());
        assert_eq!(request.url, WORKFLOW.replace(":443", ""));
    }

    #[test]
    fn keeps_user_text_as_is_in_json() {
        let body = body(&render(&Teams, &channel(), &sample_event()));
        let card = &body["attachments"][0]["content"];
        assert_eq!(card["body"][0]["text"], "Deploy failed: api <prod>");
        assert_eq!(
            card["body"][1]["text"],
            "Build \"api\" broke at step 3 & stopped.\nSee the log."
        );
    }

    #[test]
    fn keeps_the_longest_event_within_the_teams_limit() {
        let request = render(&Teams, &channel(), &longest_event());
        assert!(
            request.body.len() <= BODY_MAX_BYTES,
            "{}",
            request.body.len()
        );
        let body = body(&request);
        let text = body["attachments"][0]["content"]["body"][1]["text"]
            .as_str()
            .unwrap();
        assert!(text.ends_with('…'));
        assert!(text.chars().count() > 1_000);
    }

    #[test]
    fn measures_text_as_serde_json_writes_it() {
        let text = "a\"\\\n\t\u{1}\u{1f}é😀<>&/";
        let written = serde_json::to_string(text).unwrap();
        assert_eq!(json_size(text), written.len() - 2);
    }

    #[test]
    fn renders_the_long_event_within_the_teams_limit() {
        let request = render(&Teams, &channel(), &long_event());
        assert!(
            request.body.len() <= BODY_MAX_BYTES,
            "{}",
            request.body.len()
        );
    }

    #[test]
    fn delivers_on_202_and_200() {
        assert_eq!(Teams.classify(&response(202, &[], "")), Outcome::Delivered);
        assert_eq!(Teams.classify(&response(200, &[], "1")), Outcome::Delivered);
    }

    #[test]
    fn retries_throttling_after_the_header_delay() {
        let answer = response(
            429,
            &[("Retry-After", "17")],
            r#"{"error":{"code":"WorkflowRequestsThrottled","message":"Number of requests exceeded the limit of 100 over time window of 00:01:00."}}"#,
        );
        assert_eq!(
            Teams.classify(&answer),
            Outcome::Retry {
                reason: "Teams 429: WorkflowRequestsThrottled: Number of requests exceeded the limit of 100 over time window of 00:01:00.".into(),
                after: Some(Duration::from_secs(17)),
            }
        );
    }

    #[test]
    fn fails_on_a_bad_signature() {
        let answer = response(
            401,
            &[],
            r#"{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated only by Shared Access scheme."}}"#,
        );
        assert_eq!(
            Teams.classify(&answer),
            Outcome::failed(
                "Teams 401: DirectApiAuthorizationRequired: The request must be authenticated only by Shared Access scheme."
            )
        );
    }

    #[test]
    fn fails_on_a_refused_body_and_a_deleted_flow() {
        assert_eq!(
            Teams.classify(&response(400, &[], "Bad Request")),
            Outcome::failed("Teams 400: Bad Request")
        );
        assert_eq!(
            Teams.classify(&response(404, &[], "")),
            Outcome::failed("Teams 404")
        );
    }

    #[test]
    fn reads_a_connector_error_sent_with_200() {
        let answer = response(
            200,
            &[],
            "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0.",
        );
        assert!(matches!(Teams.classify(&answer), Outcome::Retry { .. }));
    }

    #[test]
    fn retries_a_server_error() {
        assert_eq!(
            Teams.classify(&response(503, &[("Retry-After", "5")], "")),
            Outcome::Retry {
                reason: "Teams 503".into(),
                after: Some(Duration::from_secs(5))
            }
        );
    }

    #[test]
    fn round_trips_the_apprise_form() {
        let text = "workflows://prod-161.westeurope.logic.azure.com/643e69f83c8944438d68119179a10a64/KODuebWbDGYFr0z0eu-6Rj8aUKz7108W3wrNJZxFE5A/";
        let (config, printed) = url_round_trip(&Teams, text);
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some(WORKFLOW.replace(":443", "").as_str())
        );
        assert_eq!(printed, text);
        let masked = Teams.to_url(&config, false);
        assert_eq!(
            masked,
            "workflows://prod-161.westeurope.logic.azure.com/643e69f83c8944438d68119179a10a64/***/"
        );
    }

    #[test]
    fn round_trips_a_power_automate_url() {
        let native = "https://default1234.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc123/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=S1g-x";
        assert!(Teams.accepts_native_url(&Url::parse(native).unwrap()));
        let (config, printed) = url_round_trip(&Teams, native);
        assert_eq!(
            printed,
            "workflows://default1234.environment.api.powerplatform.com/abc123/S1g-x/?pa=yes&ver=1"
        );
        let (again, _) = url_round_trip(&Teams, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn round_trips_the_native_workflow_url() {
        assert!(Teams.accepts_native_url(&Url::parse(WORKFLOW).unwrap()));
        let (config, printed) = url_round_trip(&Teams, WORKFLOW);
        let (again, _) = url_round_trip(&Teams, &printed);
        assert_eq!(again, config);
        assert!(!Teams.to_url(&config, false).contains("KODueb"));
    }

    #[test]
    fn round_trips_a_legacy_connector_url() {
        assert!(Teams.accepts_native_url(&Url::parse(CONNECTOR).unwrap()));
        let (config, printed) = url_round_trip(&Teams, CONNECTOR);
        assert_eq!(config.secrets.expose("webhook_url"), Some(CONNECTOR));
        assert!(printed.starts_with("msteams://contoso/"), "{printed}");
        let (again, _) = url_round_trip(&Teams, &printed);
        assert_eq!(again, config);
        assert_eq!(
            Teams.to_url(&config, false),
            "msteams://contoso/***/***/***/"
        );
    }

    #[test]
    fn round_trips_a_webhook_of_any_other_shape() {
        let (config, printed) = url_round_trip(&Teams, "http://127.0.0.1:8080/teams?x=1");
        assert_eq!(
            printed,
            "workflows://?webhook=http%3A%2F%2F127.0.0.1%3A8080%2Fteams%3Fx%3D1"
        );
        let (again, _) = url_round_trip(&Teams, &printed);
        assert_eq!(again, config);
        assert_eq!(Teams.to_url(&config, false), "workflows://?webhook=***");
    }

    #[test]
    fn refuses_malformed_urls() {
        for (text, needle) in [
            (
                "workflows://host.example.com/onlyid",
                "workflows://{host}/{workflow_id}/{signature}",
            ),
            ("workflows://host.example.com/a%20b/sig", "workflow id"),
            (
                "workflows://h.example.com/a/b/?pa=maybe",
                "`pa` must be yes or no",
            ),
            ("msteams://team/a/b", "msteams://{team}"),
            (
                "https://prod-1.westeurope.logic.azure.com/workflows/a/triggers/manual/paths/invoke?api-version=1",
                "`sig`",
            ),
        ] {
            let err = Teams.parse_url(&Url::parse(text).unwrap()).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(needle), "{text}: {}", err.message);
        }
    }

    #[test]
    fn validation_names_the_field() {
        let cases = [
            (json!({}), json!({}), "secrets.webhook_url"),
            (
                json!({}),
                json!({"webhook_url": "ftp://x/y"}),
                "secrets.webhook_url",
            ),
            (json!({}), json!({"webhook_url": 3}), "secrets.webhook_url"),
            (
                json!({"webhook_url": WORKFLOW}),
                json!({}),
                "settings.webhook_url",
            ),
            (
                json!({"color": "red"}),
                json!({"webhook_url": WORKFLOW}),
                "settings.color",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Teams, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
