//! Every locale has every key of the English file, and no page template writes
//! user-visible English of its own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const LOCALES: [&str; 6] = ["en", "de", "es", "fr", "ja", "zh-CN"];

fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The message identifiers of a Fluent file: lines that start a message.
fn keys(lang: &str) -> BTreeSet<String> {
    let path = crate_dir().join("locales").join(lang).join("ui.ftl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('='))
        .map(|(k, _)| k.trim().to_owned())
        .collect()
}

#[test]
fn every_locale_has_every_english_key() {
    let english = keys("en");
    assert!(english.len() > 100, "the English file was read");
    let mut problems = Vec::new();
    for lang in &LOCALES[1..] {
        let theirs = keys(lang);
        for missing in english.difference(&theirs) {
            problems.push(format!("{lang} lacks `{missing}`"));
        }
        for extra in theirs.difference(&english) {
            problems.push(format!("{lang} has `{extra}`, which English does not"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What is left of a template once its expressions, tags and comments are gone, plus the
/// values of attributes a person reads (`title`, `aria-label`, `alt`).
fn visible_text(template: &str) -> String {
    let mut text = template.to_owned();
    for (open, close) in [("{#", "#}"), ("{{", "}}"), ("{%", "%}")] {
        while let Some(start) = text.find(open) {
            let end = text[start..]
                .find(close)
                .map_or(text.len(), |e| start + e + 2);
            text.replace_range(start..end, " ");
        }
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        for attr in ["title=\"", "aria-label=\"", "alt=\""] {
            if let Some(at) = tag.find(attr) {
                out.push(' ');
                out.push_str(tag[at + attr.len()..].split('"').next().unwrap_or_default());
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn page_templates_write_no_english_of_their_own() {
    // Names and protocol words that are the same in every language.
    let allowed = ["Tocsin", "HTTP"];
    let dir = crate_dir().join("templates/ui");
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let template = std::fs::read_to_string(&path).unwrap();
        let text = visible_text(&template);
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().any(|c| c.is_ascii_alphabetic()) && !allowed.contains(&word) {
                problems.push(format!(
                    "{}: `{word}`",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "text outside the .ftl files:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_sees_english_in_a_template() {
    let text = visible_text("<p title=\"Hello\">{{ c.t(\"x\") }} Save</p>{# note #}");
    assert!(text.contains("Hello") && text.contains("Save"));
    assert!(!text.contains("note"));
}

/// Every field of every kind's form has a label and a help text in English equal to the
/// provider's own (so the two cannot drift apart), and a help text of its own in every
/// other language: not a copy of the English one.
#[test]
fn every_field_of_every_kind_has_its_label_and_help_in_every_language() {
    use tocsin_server::ui::i18n::{Lang, Tr};
    let english = keys("en");
    let en = Tr::new(Lang::En);
    let mut problems = Vec::new();
    let mut fields = 0;
    for kind in tocsin_providers::Kind::ALL {
        let schema = kind.provider().schema();
        for f in schema.fields {
            fields += 1;
            let own = format!("field-{}-{}", schema.kind, f.name);
            let shared = format!("field-any-{}", f.name);
            let label = if english.contains(&own) {
                Some(en.t(&own))
            } else if english.contains(&shared) {
                Some(en.t(&shared))
            } else {
                None
            };
            if label.as_deref() != Some(f.label) {
                problems.push(format!(
                    "{own}: English label {label:?}, the provider says {:?}",
                    f.label
                ));
            }
            let help = format!("{own}-help");
            if !english.contains(&help) || en.t(&help) != f.help {
                problems.push(format!("{help}: missing or not the provider's text"));
                continue;
            }
            for lang in &Lang::ALL[1..] {
                if Tr::new(*lang).t(&help) == f.help {
                    problems.push(format!("{help}: {} copies the English", lang.code()));
                }
            }
        }
    }
    assert!(fields > 100, "the kinds' fields were read");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every event type the forms offer has its description in every language.
#[test]
fn every_catalogued_event_type_is_described_in_every_language() {
    use tocsin_server::ui::i18n::{Lang, Tr};
    let english = keys("en");
    let en = Tr::new(Lang::En);
    let mut problems = Vec::new();
    for t in tocsin_core::catalog::EVENT_TYPES {
        if t.name == tocsin_core::catalog::TEST_EVENT_TYPE {
            continue;
        }
        let key = format!("event-{}", t.name.replace('.', "-"));
        if !english.contains(&key) {
            problems.push(format!("English lacks `{key}` ({})", t.description));
            continue;
        }
        for lang in &Lang::ALL[1..] {
            if Tr::new(*lang).t(&key) == en.t(&key) {
                problems.push(format!("{key}: {} copies the English", lang.code()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
