//! Where `tocsin send` sends: URLs from the command line and targets from configuration
//! files (Tocsin's own TOML `[[channels]]`, Apprise's TEXT and YAML formats), each with its
//! tags; and the choice among them by `--tag`, the way Apprise chooses.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use tocsin_core::channel::ChannelConfig;
use tocsin_providers::Kind;
use tocsin_server::declared::DeclaredChannel;

/// One place a message may go.
pub struct Target {
    /// What output calls it: the declared name, or `#n` with the kind and host.
    pub label: String,
    pub tags: Vec<String>,
    /// The checked channel, or why it cannot be one (the target then fails).
    pub channel: Result<(Kind, ChannelConfig), String>,
}

impl Target {
    /// Every secret value the target holds, to be masked in output.
    pub fn secrets(&self) -> Vec<String> {
        match &self.channel {
            Ok((_, config)) => config
                .secrets
                .iter_exposed()
                .map(|(_, v)| v.to_owned())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

/// A target from a URL.
pub fn from_url(number: usize, url: &str, tags: Vec<String>) -> Target {
    let channel = channel_from_url(url, Map::new(), Map::new());
    Target {
        label: label(number, None, &channel, url),
        tags,
        channel,
    }
}

fn channel_from_url(
    url: &str,
    settings: Map<String, Value>,
    secrets: Map<String, Value>,
) -> Result<(Kind, ChannelConfig), String> {
    let declared = DeclaredChannel {
        url: Some(url.to_owned()),
        settings,
        secrets,
        ..Default::default()
    };
    configure(&declared)
}

fn configure(declared: &DeclaredChannel) -> Result<(Kind, ChannelConfig), String> {
    let (kind, mut settings, mut secrets) = declared.raw().map_err(|e| e.to_string())?;
    resolve_all(&mut settings).map_err(|e| format!("settings: {e}"))?;
    resolve_all(&mut secrets).map_err(|e| format!("secrets: {e}"))?;
    let config =
        tocsin_providers::configure(kind, settings, secrets, None).map_err(|e| e.to_string())?;
    Ok((kind, config))
}

/// `#2 ntfy://ntfy.sh`: enough to tell targets apart, nothing a secret could hide in (no
/// credentials, path or query).
fn label(
    number: usize,
    name: Option<&str>,
    channel: &Result<(Kind, ChannelConfig), String>,
    text: &str,
) -> String {
    if let Some(name) = name {
        return name.to_owned();
    }
    let scheme = text.split_once("://").map_or("?", |(s, _)| s);
    let host = url::Url::parse(text)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_default();
    let kind = channel.as_ref().map(|(k, _)| k.name()).unwrap_or("unknown");
    format!("#{number} {kind} {scheme}://{host}")
}

/// Replaces `${env:NAME}` and `${file:/path}` references in string values.
fn resolve_all(map: &mut Map<String, Value>) -> Result<(), String> {
    for (key, value) in map.iter_mut() {
        if let Value::String(text) = value {
            *text = resolve_ref(text).map_err(|e| format!("{key}: {e}"))?;
        }
    }
    Ok(())
}

/// The value a secret reference names; other text as it is. A file's trailing newline is
/// dropped.
pub fn resolve_ref(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if let Some(name) = trimmed
        .strip_prefix("${env:")
        .and_then(|r| r.strip_suffix('}'))
    {
        return std::env::var(name)
            .map_err(|_| format!("the environment variable {name} is not set"));
    }
    if let Some(path) = trimmed
        .strip_prefix("${file:")
        .and_then(|r| r.strip_suffix('}'))
    {
        return std::fs::read_to_string(path)
            .map(|s| s.trim_end_matches(['\n', '\r']).to_owned())
            .map_err(|e| format!("cannot read {path}: {e}"));
    }
    Ok(text.to_owned())
}

/// The formats a configuration file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    AppriseText,
    AppriseYaml,
}

/// By extension (`.toml`, `.yml`/`.yaml`, anything else TEXT, as Apprise does), or by a look
/// at the content when the extension says nothing.
pub fn detect(path: &Path, content: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => Format::Toml,
        Some("yml" | "yaml") => Format::AppriseYaml,
        Some("txt" | "cfg" | "conf") => Format::AppriseText,
        _ => {
            let first = content
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'));
            match first {
                Some(l) if l.starts_with("[[") || l.starts_with('[') && l.ends_with(']') => {
                    Format::Toml
                }
                Some(l) if l.starts_with("version:") || l.starts_with("urls:") => {
                    Format::AppriseYaml
                }
                _ => Format::AppriseText,
            }
        }
    }
}

/// An entry of a configuration file before it is configured: what it says and where.
pub struct Entry {
    /// `file:line` or `file: channels[2]`.
    pub location: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub declared: DeclaredChannel,
}

/// Reads a configuration file's entries; an error is about the file as a whole.
pub fn read_file(path: &Path) -> Result<Vec<Entry>, Vec<String>> {
    let content = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("{}: cannot read: {e}", path.display())])?;
    match detect(path, &content) {
        Format::Toml => read_toml(path, &content),
        Format::AppriseText => read_text(path, &content),
        Format::AppriseYaml => read_yaml(path, &content),
    }
}

/// Tocsin's own format: the `[[channels]]` tables (the rest of the file is the server's).
fn read_toml(path: &Path, content: &str) -> Result<Vec<Entry>, Vec<String>> {
    use figment::providers::{Format as _, Toml};
    let figment = figment::Figment::from(Toml::string(content));
    let channels: Vec<DeclaredChannel> = match figment.find_value("channels") {
        Err(_) => Vec::new(),
        Ok(_) => figment.extract_inner("channels").map_err(|e| {
            e.into_iter()
                .map(|e| format!("{}: {e}", path.display()))
                .collect::<Vec<_>>()
        })?,
    };
    let lines = table_lines(content, "channels");
    Ok(channels
        .into_iter()
        .enumerate()
        .map(|(i, c)| Entry {
            location: match lines.get(i) {
                Some(line) => format!("{}:{line}: channels[{i}]", path.display()),
                None => format!("{}: channels[{i}]", path.display()),
            },
            name: Some(c.name.clone()),
            tags: c.tags.clone(),
            declared: c,
        })
        .collect())
}

/// The 1-based line numbers of each `[[name]]` table header.
pub fn table_lines(content: &str, name: &str) -> Vec<usize> {
    let header = format!("[[{name}]]");
    content
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().replace(' ', "") == header)
        .map(|(i, _)| i + 1)
        .collect()
}

/// Apprise TEXT: one URL a line, optionally after `tag1, tag2=`; `#` and `;` start comments.
fn read_text(path: &Path, content: &str) -> Result<Vec<Entry>, Vec<String>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in content.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let location = format!("{}:{}", path.display(), i + 1);
        if line.starts_with("include ") {
            errors.push(format!(
                "{location}: `include` is not supported; list the URLs"
            ));
            continue;
        }
        let (tags, url) = split_tags(line);
        if !url.contains("://") {
            errors.push(format!("{location}: not a URL"));
            continue;
        }
        entries.push(Entry {
            location,
            name: None,
            tags,
            declared: DeclaredChannel {
                url: Some(url.to_owned()),
                ..Default::default()
            },
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// `tag1, tag2=url` → the tags and the URL; a line without a tag prefix is all URL (a URL's
/// own `=` comes after its `://`).
fn split_tags(line: &str) -> (Vec<String>, &str) {
    if let Some((head, url)) = line.split_once('=')
        && !head.contains("://")
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ',' | ' ' | ':' | '.'))
    {
        return (parse_tags(head), url.trim());
    }
    (Vec::new(), line)
}

/// Tags separated by commas or spaces; Apprise's priority prefix (`1:alerts`) is dropped.
pub fn parse_tags(text: &str) -> Vec<String> {
    text.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let t = match t.split_once(':') {
                Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => rest,
                _ => t,
            };
            t.to_lowercase()
        })
        .collect()
}

/// Apprise YAML: `urls:` lists URLs, each a string or a one-key map from the URL to its
/// options (a map, or a list of maps: one target each). `tag` options tag the target;
/// other options go into the URL's query. A top-level `tag` tags every target.
fn read_yaml(path: &Path, content: &str) -> Result<Vec<Entry>, Vec<String>> {
    use yaml_rust2::{Yaml, YamlLoader};
    let at = |what: String| vec![format!("{}: {what}", path.display())];
    let docs = YamlLoader::load_from_str(content).map_err(|e| at(format!("not YAML: {e}")))?;
    let Some(doc) = docs.first() else {
        return Ok(Vec::new());
    };
    let global = yaml_tags(&doc["tag"]);
    let urls = match &doc["urls"] {
        Yaml::Array(list) => list,
        Yaml::BadValue | Yaml::Null => return Err(at("no `urls:` list".into())),
        _ => return Err(at("`urls:` must be a list".into())),
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (i, item) in urls.iter().enumerate() {
        let location = format!("{}: urls[{i}]", path.display());
        match item {
            Yaml::String(url) => entries.push(yaml_entry(&location, url, &global, None)),
            Yaml::Hash(map) if map.len() == 1 => {
                let (url, options) = map.iter().next().expect("one entry");
                let Some(url) = url.as_str() else {
                    errors.push(format!("{location}: the key must be a URL"));
                    continue;
                };
                match options {
                    Yaml::Array(list) => {
                        for o in list {
                            entries.push(yaml_entry(&location, url, &global, Some(o)));
                        }
                    }
                    Yaml::Null => entries.push(yaml_entry(&location, url, &global, None)),
                    other => entries.push(yaml_entry(&location, url, &global, Some(other))),
                }
            }
            _ => errors.push(format!(
                "{location}: write a URL, or a URL followed by a colon and its options"
            )),
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn yaml_tags(value: &yaml_rust2::Yaml) -> Vec<String> {
    use yaml_rust2::Yaml;
    match value {
        Yaml::String(s) => parse_tags(s),
        Yaml::Array(list) => list
            .iter()
            .filter_map(|t| t.as_str())
            .flat_map(parse_tags)
            .collect(),
        _ => Vec::new(),
    }
}

fn yaml_entry(
    location: &str,
    url: &str,
    global: &[String],
    options: Option<&yaml_rust2::Yaml>,
) -> Entry {
    use yaml_rust2::Yaml;
    let mut tags = global.to_vec();
    let mut url = url.to_owned();
    if let Some(Yaml::Hash(map)) = options {
        let mut query = Vec::new();
        for (k, v) in map {
            let Some(key) = k.as_str() else { continue };
            if key == "tag" {
                tags.extend(yaml_tags(v));
                continue;
            }
            let value = match v {
                Yaml::String(s) => s.clone(),
                Yaml::Integer(n) => n.to_string(),
                Yaml::Real(r) => r.clone(),
                Yaml::Boolean(b) => if *b { "yes" } else { "no" }.to_owned(),
                _ => continue,
            };
            query.push((key.to_owned(), value));
        }
        if !query.is_empty()
            && let Ok(mut parsed) = url::Url::parse(&url)
        {
            parsed.query_pairs_mut().extend_pairs(query);
            url = parsed.to_string();
        }
    }
    tags.dedup();
    Entry {
        location: location.to_owned(),
        name: None,
        tags,
        declared: DeclaredChannel {
            url: Some(url),
            ..Default::default()
        },
    }
}

/// Every target: the command line's URLs (untagged), then each file's entries.
pub fn collect(urls: &[String], files: &[PathBuf]) -> Result<Vec<Target>, Vec<String>> {
    let mut targets: Vec<Target> = urls
        .iter()
        .enumerate()
        .map(|(i, u)| from_url(i + 1, u, Vec::new()))
        .collect();
    let mut errors = Vec::new();
    for path in files {
        match read_file(path) {
            Ok(entries) => {
                for e in entries {
                    let number = targets.len() + 1;
                    let channel =
                        configure(&e.declared).map_err(|m| format!("{}: {m}", e.location));
                    let text = e.declared.url.clone().unwrap_or_else(|| {
                        format!("{}://", e.declared.kind.clone().unwrap_or_default())
                    });
                    targets.push(Target {
                        label: label(number, e.name.as_deref(), &channel, &text),
                        tags: e.tags,
                        channel,
                    });
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(targets)
    } else {
        Err(errors)
    }
}

/// `--tag` values as Apprise reads them: each value is one alternative (OR), and the
/// comma-separated tags within a value must all be present (AND).
pub fn tag_filter(values: &[String]) -> Vec<Vec<String>> {
    values
        .iter()
        .map(|v| parse_tags(&v.replace(' ', ",")))
        .filter(|and| !and.is_empty())
        .collect()
}

/// Whether a target with `tags` is chosen: without `--tag`, the untagged targets; `all`
/// chooses every target; a target tagged `always` is always chosen.
pub fn selected(filter: &[Vec<String>], tags: &[String]) -> bool {
    if tags.iter().any(|t| t == "always") {
        return true;
    }
    if filter.is_empty() {
        return tags.is_empty();
    }
    filter
        .iter()
        .any(|and| and.iter().all(|t| t == "all" || tags.contains(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn repeated_tags_are_or_and_commas_are_and() {
        let or = tag_filter(&s(&["a", "b"]));
        assert!(selected(&or, &s(&["a"])));
        assert!(selected(&or, &s(&["b", "c"])));
        assert!(!selected(&or, &s(&["c"])));
        let and = tag_filter(&s(&["a,b"]));
        assert!(selected(&and, &s(&["a", "b"])));
        assert!(!selected(&and, &s(&["a"])));
    }

    #[test]
    fn without_tags_only_untagged_targets_go_and_all_takes_everything() {
        assert!(selected(&[], &[]));
        assert!(!selected(&[], &s(&["a"])));
        let all = tag_filter(&s(&["all"]));
        assert!(selected(&all, &s(&["x"])));
        assert!(selected(&all, &[]));
        assert!(selected(&tag_filter(&s(&["z"])), &s(&["always"])));
    }

    #[test]
    fn text_lines_split_tags_from_urls() {
        assert_eq!(
            split_tags("ops, prod=json://h/p?a=b"),
            (s(&["ops", "prod"]), "json://h/p?a=b")
        );
        assert_eq!(split_tags("json://h/p?a=b"), (vec![], "json://h/p?a=b"));
        assert_eq!(
            split_tags("1:alerts dev=json://h"),
            (s(&["alerts", "dev"]), "json://h")
        );
    }

    #[test]
    fn references_resolve_from_the_environment_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        assert_eq!(
            resolve_ref(&format!("${{file:{}}}", file.display())).unwrap(),
            "from-file"
        );
        assert_eq!(resolve_ref("plain").unwrap(), "plain");
        assert!(resolve_ref("${env:TOCSIN_TEST_SURELY_UNSET_VARIABLE}").is_err());
    }
}
