//! What every email kind shares: the message Tocsin writes for an event (a one-line subject,
//! a plain-text part and an HTML part) and the checks of mailbox settings. The kinds differ
//! only in how the message travels (SMTP, Resend, SES).
//!
//! Every piece of event text is HTML-escaped in the HTML part, and nothing a sender controls
//! can put a line break into a header: the subject, the headers and the mailboxes are single
//! lines by construction.

use tocsin_core::FieldError;
use tocsin_core::event::{Event, Severity};
use tocsin_core::time::to_rfc3339;

use crate::Identity;
use crate::common::{self, escape_html};

/// The longest subject Tocsin writes, in characters. RFC 5322 allows longer, but mail
/// clients cut long subjects and some gateways refuse them.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// An email written for one event, ready for any email kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// One line, at most [`MAX_SUBJECT_CHARS`] characters.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part: a complete document with inline styles only.
    pub html: String,
    /// Extra headers for filtering: `X-Tocsin-Event`, `X-Tocsin-Severity`, `List-Id`,
    /// `Auto-Submitted`. Names and values are ASCII and single-line.
    pub headers: Vec<(String, String)>,
}

/// Writes the email for `event`: a subject like `[CRITICAL] Deploy failed: api` (recoveries
/// are `[RECOVERED] …`), a readable plain-text part, an HTML part (title, a coloured
/// severity badge, the message with its line breaks, the source labels as a table, a button
/// for the event's link, a footer naming the sender, the event type and its time) and
/// headers to filter on.
pub fn compose(event: &Event, identity: &Identity) -> Composed {
    let subject = subject(event);
    Composed {
        text: text_part(event, identity),
        html: html_part(event, identity, &subject),
        headers: headers(event),
        subject,
    }
}

/// `subject` behind `prefix` (a channel's `[prod]`), still one line and at most
/// [`MAX_SUBJECT_CHARS`] characters.
pub fn prefixed_subject(prefix: Option<&str>, subject: &str) -> String {
    let prefix = prefix.map(one_line).unwrap_or_default();
    let joined = if prefix.is_empty() {
        one_line(subject)
    } else {
        format!("{prefix} {}", one_line(subject))
    };
    common::truncate(&joined, MAX_SUBJECT_CHARS)
}

/// `text` on one line: every control character and line or paragraph separator becomes a
/// space, runs of white space shrink to one, and the ends are trimmed. What reaches a header
/// through this cannot start a new header.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if breaks_a_line(c) { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn breaks_a_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The word a subject and a badge show for the event.
fn status_word(event: &Event) -> &'static str {
    if event.is_recovery() {
        return "RECOVERED";
    }
    match event.severity {
        Severity::Critical => "CRITICAL",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
        Severity::Ok => "OK",
    }
}

fn subject(event: &Event) -> String {
    prefixed_subject(
        Some(&format!("[{}]", status_word(event))),
        common::title(event),
    )
}

/// The event's first type segment (`deploy` of `deploy.failure`), when it is usable as a
/// List-Id label.
fn family(event: &Event) -> Option<String> {
    let head = event.event_type.split('.').next()?.to_ascii_lowercase();
    let usable = !head.is_empty()
        && head.len() <= 63
        && head
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    usable.then_some(head)
}

fn headers(event: &Event) -> Vec<(String, String)> {
    let family = family(event).unwrap_or_else(|| "events".to_owned());
    vec![
        // The event type is ASCII letters, digits, `.`, `_` and `-` (checked on intake);
        // `one_line` keeps it a single line whatever happens upstream.
        ("X-Tocsin-Event".into(), one_line(&event.event_type)),
        ("X-Tocsin-Severity".into(), event.severity.as_str().into()),
        (
            "List-Id".into(),
            format!("Tocsin {family} events <tocsin.{family}>"),
        ),
        // RFC 3834: no vacation or out-of-office replies to notifications.
        ("Auto-Submitted".into(), "auto-generated".into()),
    ]
}

/// The event's link when it is an `http(s)` URL, normalised; other schemes (`javascript:`,
/// `data:`) are never turned into a button.
fn safe_link(event: &Event) -> Option<String> {
    let url = url::Url::parse(event.link()?.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()))
        .then(|| url.to_string())
}

/// Line breaks as `\n` only.
fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn footer(event: &Event, identity: &Identity) -> String {
    let sender = one_line(&identity.name);
    let sender = if sender.is_empty() {
        "Tocsin".to_owned()
    } else {
        sender
    };
    format!(
        "Sent by {sender} · {} · {}",
        one_line(&event.event_type),
        to_rfc3339(event.occurred_at)
    )
}

fn text_part(event: &Event, identity: &Identity) -> String {
    let mut out = format!(
        "[{}] {}\n",
        status_word(event),
        one_line(common::title(event))
    );
    let message = unix_lines(event.message.trim());
    if !message.is_empty() {
        out.push('\n');
        out.push_str(&message);
        out.push('\n');
    }
    if !event.source.is_empty() {
        out.push('\n');
        for (key, value) in &event.source {
            out.push_str(&format!("{}: {}\n", one_line(key), one_line(value)));
        }
    }
    if let Some(link) = safe_link(event) {
        out.push_str(&format!("\nOpen: {link}\n"));
    }
    // `-- ` is the signature separator mail clients recognise.
    out.push_str(&format!("\n-- \n{}\n", footer(event, identity)));
    out
}

/// The colour of the badge and of the card's top border, and the text colour that reads on
/// it.
fn badge_colors(event: &Event) -> (String, &'static str) {
    let severity = if event.is_recovery() {
        Severity::Ok
    } else {
        event.severity
    };
    let ink = match severity {
        Severity::Critical | Severity::Ok => "#ffffff",
        Severity::Warning | Severity::Info => "#1f2328",
    };
    (common::color_hex(severity), ink)
}

const FONT: &str =
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;";

/// HTML of a text with its line breaks kept.
fn html_lines(text: &str) -> String {
    unix_lines(text)
        .split('\n')
        .map(escape_html)
        .collect::<Vec<_>>()
        .join("<br>\n")
}

fn html_part(event: &Event, identity: &Identity, subject: &str) -> String {
    let (color, ink) = badge_colors(event);
    let mut rows = Vec::new();
    rows.push(format!(
        "<tr><td style=\"padding:24px 28px 0 28px;{FONT}\"><span style=\"display:inline-block;padding:3px 10px;border-radius:12px;background-color:{color};color:{ink};font-size:12px;font-weight:bold;letter-spacing:0.5px;\">{}</span></td></tr>",
        status_word(event)
    ));
    rows.push(format!(
        "<tr><td style=\"padding:12px 28px 0 28px;{FONT}font-size:20px;font-weight:bold;line-height:1.3;color:#1f2328;\">{}</td></tr>",
        escape_html(&one_line(common::title(event)))
    ));
    let message = event.message.trim();
    if !message.is_empty() {
        rows.push(format!(
            "<tr><td style=\"padding:12px 28px 0 28px;{FONT}font-size:15px;line-height:1.5;color:#1f2328;\">{}</td></tr>",
            html_lines(message)
        ));
    }
    if !event.source.is_empty() {
        let cell = "padding:6px 0;border-top:1px solid #eaeef2;vertical-align:top;";
        let labels: Vec<String> = event
            .source
            .iter()
            .map(|(key, value)| {
                format!(
                    "<tr><td style=\"{cell}padding-right:16px;color:#57606a;white-space:nowrap;\">{}</td><td style=\"{cell}color:#1f2328;\">{}</td></tr>",
                    escape_html(key),
                    escape_html(value)
                )
            })
            .collect();
        rows.push(format!(
            "<tr><td style=\"padding:20px 28px 0 28px;\">\n<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:collapse;{FONT}font-size:14px;\">\n{}\n</table>\n</td></tr>",
            labels.join("\n")
        ));
    }
    if let Some(link) = safe_link(event) {
        rows.push(format!(
            "<tr><td style=\"padding:24px 28px 0 28px;{FONT}\"><a href=\"{}\" style=\"display:inline-block;padding:10px 18px;border-radius:6px;background-color:#1f2328;color:#ffffff;font-size:14px;font-weight:bold;text-decoration:none;\">Open link</a></td></tr>",
            escape_html(&link)
        ));
    }
    rows.push(format!(
        "<tr><td style=\"padding:28px 28px 24px 28px;{FONT}font-size:12px;line-height:1.5;color:#8c959f;\">{}</td></tr>",
        escape_html(&footer(event, identity))
    ));
    format!(
        "<!DOCTYPE html>\n\
<html lang=\"en\">\n\
<head>\n\
<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n\
</head>\n\
<body style=\"margin:0;padding:0;background-color:#f4f5f7;\">\n\
<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"background-color:#f4f5f7;\">\n\
<tr><td align=\"center\" style=\"padding:24px 12px;\">\n\
<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;border-top:4px solid {color};\">\n\
{rows}\n\
</table>\n\
</td></tr>\n\
</table>\n\
</body>\n\
</html>\n",
        title = escape_html(subject),
        rows = rows.join("\n"),
    )
}

/// Checks one mailbox: `alice@example.com`, `Alice <alice@example.com>` or
/// `"Smith, Alice" <alice@example.com>`, on one line.
pub fn check_mailbox(field: &str, text: &str) -> Result<(), FieldError> {
    let raw = text;
    let text = text.trim();
    let wrong = |why: &str| {
        FieldError::new(
            field,
            format!(
                "`{}` is not an email address ({why}); write it like alice@example.com or Alice <alice@example.com>",
                common::truncate(&one_line(text), 80)
            ),
        )
    };
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            "is empty; write an address like alice@example.com",
        ));
    }
    if raw.chars().any(breaks_a_line) {
        return Err(wrong("it has a line break or control character"));
    }
    let address = match text.rfind('<') {
        None => {
            if text.contains('>') {
                return Err(wrong("a `>` without `<`"));
            }
            text
        }
        Some(open) => {
            let Some(inner) = text[open + 1..].strip_suffix('>') else {
                return Err(wrong("the address in `<…>` must come last"));
            };
            check_display_name(text[..open].trim()).map_err(&wrong)?;
            inner.trim()
        }
    };
    check_address(address).map_err(wrong)
}

fn check_display_name(name: &str) -> Result<(), &'static str> {
    if let Some(quoted) = name.strip_prefix('"') {
        let Some(inner) = quoted.strip_suffix('"') else {
            return Err("the quoted name is not closed");
        };
        let mut escaped = false;
        for c in inner.chars() {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => return Err("a `\"` inside the quoted name needs a `\\`"),
                _ => {}
            }
        }
        return if escaped {
            Err("the quoted name ends with a lone `\\`")
        } else {
            Ok(())
        };
    }
    // Unquoted, the name must not hold what separates or delimits mailboxes.
    match name
        .chars()
        .find(|c| matches!(c, '<' | '>' | '"' | ',' | ';' | '@' | ':' | '\\'))
    {
        Some(_) => Err("put a name with `,` `;` `@` `:` or quotes in double quotes"),
        None => Ok(()),
    }
}

/// `local@domain`: an unquoted local part of letters, digits and `!#$%&'*+-/=?^_`{|}~` in
/// dot-separated words, and a domain name (one label is allowed: `root@localhost`).
fn check_address(address: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err("it has no `@`");
    };
    if local.is_empty() || domain.is_empty() {
        return Err("it needs a name before `@` and a domain after it");
    }
    if local.len() > 64 {
        return Err("the part before `@` is longer than 64 characters");
    }
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    if local
        .split('.')
        .any(|word| word.is_empty() || !word.chars().all(atext))
    {
        return Err("the part before `@` has a character or a dot where none may be");
    }
    if domain.len() > 253 {
        return Err("the domain is longer than 253 characters");
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !domain.trim_end_matches('.').split('.').all(label_ok) {
        return Err("the domain is not a host name");
    }
    Ok(())
}

/// Splits a list of mailboxes on `,`, `;` and line breaks that are outside quotes and
/// `<…>`; a list pasted as JSON (`["a@x.com", "b@y.com"]`) works too.
fn split_mailboxes(text: &str) -> Vec<String> {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(trimmed);
    let mut items = Vec::new();
    let mut current = String::new();
    let (mut quoted, mut angled, mut escaped) = (false, false, false);
    for c in inner.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' if !angled => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' | ';' | '\n' | '\r' if !quoted && !angled => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| unquote_json(item.trim()))
        .filter(|item| !item.is_empty())
        .collect()
}

/// A JSON string item (`"a@x.com"`) as its text; a quoted display name followed by `<…>`
/// is left as it is.
fn unquote_json(item: &str) -> String {
    if item.len() >= 2
        && item.starts_with('"')
        && item.ends_with('"')
        && let Ok(text) = serde_json::from_str::<String>(item)
    {
        return text.trim().to_owned();
    }
    item.to_owned()
}

/// Checks a list of mailboxes separated by commas (or `;`, or line breaks, or written as a
/// JSON list) and returns them one by one, trimmed; at least one when `required`.
pub fn mailbox_list(field: &str, text: &str, required: bool) -> Result<Vec<String>, FieldError> {
    let items = split_mailboxes(text);
    for item in &items {
        check_mailbox(field, item)?;
    }
    if required && items.is_empty() {
        return Err(FieldError::new(
            field,
            "needs at least one address, like alice@example.com; separate several with commas",
        ));
    }
    Ok(items)
}

/// The mailbox with `name` as its display name when it is a bare address; a mailbox that
/// names itself is kept. The name is quoted and on one line, so it cannot break the header.
pub fn with_display_name(mailbox: &str, name: &str) -> String {
    let mailbox = mailbox.trim();
    let name = one_line(name);
    if mailbox.contains('<') || name.is_empty() {
        return mailbox.to_owned();
    }
    let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{quoted}\" <{mailbox}>")
}

/// The address of a mailbox (`alice@example.com` of `Alice <alice@example.com>`).
pub fn address_of(mailbox: &str) -> &str {
    let mailbox = mailbox.trim();
    match mailbox.rfind('<') {
        Some(open) => mailbox[open + 1..].trim_end_matches('>').trim(),
        None => mailbox,
    }
}

/// The recipients with every address once: one in `to` is dropped from `cc` and `bcc`, and
/// one in both `cc` and `bcc` stays only in `bcc`, where it was asked to be hidden. Some
/// services (Resend) refuse a message that names an address twice.
pub fn distinct_recipients(
    to: Vec<String>,
    cc: Vec<String>,
    bcc: Vec<String>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    let mut keep = |list: Vec<String>| -> Vec<String> {
        list.into_iter()
            .filter(|m| seen.insert(address_of(m).to_lowercase()))
            .collect()
    };
    let to = keep(to);
    let bcc = keep(bcc);
    let cc = keep(cc);
    (to, cc, bcc)
}

/// `data` in standard base64, as the email APIs take an attachment's bytes.
pub fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{alert_event, recovery_event, sample_event};

    fn identity() -> Identity {
        Identity::default()
    }

    #[test]
    fn subject_names_the_severity_and_the_title() {
        let composed = compose(&sample_event(), &identity());
        assert_eq!(composed.subject, "[CRITICAL] Deploy failed: api <prod>");
        assert_eq!(
            compose(&recovery_event(), &identity()).subject,
            "[RECOVERED] api is back"
        );
        assert_eq!(
            compose(&alert_event(), &identity()).subject,
            "[CRITICAL] api is down"
        );
    }

    #[test]
    fn a_recovery_by_state_is_marked_recovered() {
        let mut event = alert_event();
        event.severity = Severity::Info;
        event.state = Some("resolved".into());
        event.state_key = Some("api-health".into());
        assert!(
            compose(&event, &identity())
                .subject
                .starts_with("[RECOVERED] ")
        );
    }

    #[test]
    fn an_event_without_a_title_is_named_by_its_type() {
        let mut event = sample_event();
        event.title = String::new();
        assert_eq!(
            compose(&event, &identity()).subject,
            "[CRITICAL] deploy.failure"
        );
    }

    #[test]
    fn the_subject_is_one_line_of_at_most_200_characters() {
        let mut event = sample_event();
        event.title = format!(
            "a\r\nBcc: victim@example.com\n\u{2028}b\u{85}c\t{}",
            "x".repeat(500)
        );
        let subject = compose(&event, &identity()).subject;
        assert!(subject.chars().count() <= MAX_SUBJECT_CHARS);
        assert!(!subject.chars().any(breaks_a_line), "{subject:?}");
        assert!(subject.starts_with("[CRITICAL] a Bcc: victim@example.com b c x"));
        assert!(subject.ends_with('…'));
    }

    #[test]
    fn prefixes_stay_within_the_limit() {
        assert_eq!(prefixed_subject(Some("[prod]"), "Hi"), "[prod] Hi");
        assert_eq!(prefixed_subject(Some("  "), "Hi"), "Hi");
        assert_eq!(prefixed_subject(Some("a\nb"), "c\r\nd"), "a b c d");
        let long = prefixed_subject(Some(&"p".repeat(300)), "Hi");
        assert_eq!(long.chars().count(), MAX_SUBJECT_CHARS);
    }

    #[test]
    fn headers_allow_filtering() {
        let composed = compose(&sample_event(), &identity());
        assert_eq!(
            composed.headers,
            vec![
                ("X-Tocsin-Event".into(), "deploy.failure".into()),
                ("X-Tocsin-Severity".into(), "critical".into()),
                (
                    "List-Id".into(),
                    "Tocsin deploy events <tocsin.deploy>".into()
                ),
                ("Auto-Submitted".into(), "auto-generated".into()),
            ]
        );
    }

    #[test]
    fn the_text_part_reads_well() {
        let composed = compose(&sample_event(), &identity());
        assert_eq!(
            composed.text,
            "[CRITICAL] Deploy failed: api <prod>\n\
             \n\
             Build \"api\" broke at step 3 & stopped.\n\
             See the log.\n\
             \n\
             application: api\n\
             environment: production\n\
             project: shop\n\
             \n\
             Open: https://ci.example.com/builds/42\n\
             \n\
             -- \n\
             Sent by Tocsin · deploy.failure · 2026-11-23T10:00:00Z\n"
        );
    }

    #[test]
    fn the_html_part_shows_every_piece() {
        let composed = compose(&sample_event(), &identity());
        insta::assert_snapshot!("mail_sample_html", composed.html);
        let html = &composed.html;
        assert!(html.contains("Deploy failed: api &lt;prod&gt;"));
        assert!(
            html.contains("Build &quot;api&quot; broke at step 3 &amp; stopped.<br>\nSee the log.")
        );
        assert!(html.contains("href=\"https://ci.example.com/builds/42\""));
        assert!(html.contains(">CRITICAL</span>"));
        assert!(html.contains("background-color:#e01e5a"));
        assert!(html.contains(">environment</td>"));
        assert!(!html.contains("<style"), "mail clients drop style blocks");
    }

    #[test]
    fn a_recovery_is_green() {
        let html = compose(&recovery_event(), &identity()).html;
        assert!(html.contains("background-color:#2eb67d;color:#ffffff;"));
        assert!(html.contains(">RECOVERED</span>"));
        assert!(!html.contains("Open link"));
    }

    #[test]
    fn hostile_event_text_is_escaped() {
        let mut event = sample_event();
        event.title = "<script>alert(1)</script>".into();
        event.message = "<img src=x onerror=alert(1)>\"'&".into();
        event
            .source
            .insert("<b>key</b>".into(), "<i>value</i>".into());
        let identity = Identity {
            name: "<Evil>\r\nBcc: x@y".into(),
            icon_url: None,
        };
        let html = compose(&event, &identity).html;
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>"));
        assert!(!html.contains("<i>"));
        assert!(!html.contains("<Evil>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;&quot;'&amp;"));
        assert!(html.contains("Sent by &lt;Evil&gt; Bcc: x@y"));
    }

    #[test]
    fn only_web_links_become_buttons() {
        let mut event = sample_event();
        event.data = serde_json::json!({"url": "javascript:alert(1)"});
        let composed = compose(&event, &identity());
        assert!(!composed.html.contains("javascript:"));
        assert!(!composed.text.contains("javascript:"));
        event.data = serde_json::json!({"link": "https://x.example/a?b=1&c=\"2\""});
        let html = compose(&event, &identity()).html;
        assert!(html.contains("href=\"https://x.example/a?b=1&amp;c=%222%22\""));
    }

    #[test]
    fn the_long_event_is_kept_whole_in_the_body() {
        let mut event = sample_event();
        event.title = "T".repeat(1_024);
        event.message = "M".repeat(65_536);
        let composed = compose(&event, &identity());
        assert_eq!(composed.subject.chars().count(), MAX_SUBJECT_CHARS);
        assert!(composed.text.contains(&"M".repeat(65_536)));
        assert!(composed.html.contains(&"M".repeat(65_536)));
    }

    #[test]
    fn accepts_common_mailboxes() {
        for ok in [
            "alice@example.com",
            "Alice <alice@example.com>",
            "\"Smith, Alice\" <alice@example.com>",
            "\"The \\\"Ops\\\" team\" <ops+alerts@example.co.uk>",
            "<alice@example.com>",
            "root@localhost",
            "o'brien@example.ie",
            "jürgen@exämple.de",
            "  alice@example.com  ",
        ] {
            assert_eq!(check_mailbox("settings.to", ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_malformed_mailboxes_naming_the_field() {
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "alice@@example.com",
            "alice@exa mple.com",
            "alice..b@example.com",
            ".alice@example.com",
            "alice@-example.com",
            "Alice <alice@example.com",
            "Alice alice@example.com>",
            "<alice@example.com> Alice",
            "Smith, Alice <alice@example.com>",
            "\"Alice <alice@example.com>",
            "alice@example.com\r\nBcc: victim@example.com",
            "Alice\n <alice@example.com>",
            "alice@example.com\u{2028}",
        ] {
            let err = check_mailbox("settings.from", bad).expect_err(bad);
            assert_eq!(err.field, "settings.from", "{bad:?}");
            assert!(
                err.message.contains("alice@example.com"),
                "{bad:?}: {}",
                err.message
            );
        }
    }

    #[test]
    fn splits_lists_of_mailboxes() {
        assert_eq!(
            mailbox_list(
                "settings.to",
                "a@x.com, \"Smith, Bob\" <b@y.com>; c@z.com,\n,",
                true
            )
            .unwrap(),
            vec!["a@x.com", "\"Smith, Bob\" <b@y.com>", "c@z.com"]
        );
        assert_eq!(
            mailbox_list("settings.to", r#"["a@x.com", "Bob <b@y.com>"]"#, true).unwrap(),
            vec!["a@x.com", "Bob <b@y.com>"]
        );
        assert_eq!(
            mailbox_list("settings.cc", "  ", false).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_required_list_needs_an_address_and_every_one_is_checked() {
        let err = mailbox_list("settings.to", " , ", true).unwrap_err();
        assert_eq!(err.field, "settings.to");
        assert!(err.message.contains("at least one"));
        let err = mailbox_list("settings.bcc", "a@x.com, nope", false).unwrap_err();
        assert_eq!(err.field, "settings.bcc");
        assert!(err.message.contains("`nope`"));
    }

    #[test]
    fn names_a_bare_sender() {
        assert_eq!(
            with_display_name("alerts@example.com", "Tocsin"),
            "\"Tocsin\" <alerts@example.com>"
        );
        assert_eq!(
            with_display_name("Ops <alerts@example.com>", "Tocsin"),
            "Ops <alerts@example.com>"
        );
        assert_eq!(
            with_display_name("alerts@example.com", "A \"B\"\r\nBcc: x@y"),
            "\"A \\\"B\\\" Bcc: x@y\" <alerts@example.com>"
        );
        assert_eq!(
            with_display_name("alerts@example.com", " "),
            "alerts@example.com"
        );
        let named = with_display_name("alerts@example.com", "A \"B\"\r\nBcc: x@y");
        assert_eq!(check_mailbox("from", &named), Ok(()));
    }

    #[test]
    fn names_every_recipient_once() {
        let list = |s: &[&str]| s.iter().map(|m| m.to_string()).collect::<Vec<_>>();
        let (to, cc, bcc) = distinct_recipients(
            list(&["a@x.com", "A@X.com", "Bob <b@y.com>"]),
            list(&["b@y.com", "c@z.com", "d@w.com"]),
            list(&["d@w.com", "a@x.com"]),
        );
        assert_eq!(to, list(&["a@x.com", "Bob <b@y.com>"]));
        assert_eq!(cc, list(&["c@z.com"]));
        assert_eq!(bcc, list(&["d@w.com"]));
        assert_eq!(address_of(" \"A, B\" <a@x.com> "), "a@x.com");
    }
}
