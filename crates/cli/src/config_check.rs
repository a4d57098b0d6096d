//! `tocsin config check FILE`: every problem of a configuration file, with its location.
//! Tocsin's `tocsin.toml` (server options, `[[channels]]`, `[[rules]]`) and Apprise's TEXT
//! and YAML files are understood.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format as _, Serialized, Toml};
use figment::value::{Dict, Value};
use tocsin_server::Config;
use tocsin_server::declared::{self, DeclaredChannel, DeclaredRule};

use crate::exit;
use crate::targets::{self, Format};

#[derive(clap::Subcommand)]
pub enum ConfigCommand {
    /// Check a configuration file and print every problem with its location.
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

pub fn run(command: ConfigCommand) -> u8 {
    let ConfigCommand::Check { file } = command;
    let content = match std::fs::read_to_string(&file) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}: cannot read: {e}", file.display());
            return exit::FAILURE;
        }
    };
    let (problems, summary) = match targets::detect(&file, &content) {
        Format::Toml => check_toml(&file, &content),
        Format::AppriseText | Format::AppriseYaml => check_apprise(&file),
    };
    if problems.is_empty() {
        println!("{}: ok ({summary})", file.display());
        exit::OK
    } else {
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!(
            "{}: {} problem{}",
            file.display(),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        exit::FAILURE
    }
}

fn check_apprise(file: &Path) -> (Vec<String>, String) {
    match targets::collect(&[], &[file.to_owned()]) {
        Err(errors) => (errors, String::new()),
        Ok(list) => {
            let problems: Vec<String> = list
                .iter()
                .filter_map(|t| t.channel.as_ref().err().cloned())
                .collect();
            (problems, format!("{} targets", list.len()))
        }
    }
}

fn check_toml(file: &Path, content: &str) -> (Vec<String>, String) {
    let name = file.display().to_string();
    let mut dict: Dict = match Figment::from(Toml::string(content)).extract() {
        Ok(d) => d,
        Err(e) => {
            return (
                e.into_iter().map(|e| format!("{name}: {e}")).collect(),
                String::new(),
            );
        }
    };
    let channels = dict.remove("channels");
    let rules = dict.remove("rules");
    let mut problems = Vec::new();

    // The server's own options, checked as `tocsin serve` would (without the environment).
    let options = Figment::from(Serialized::defaults(Config::default()))
        .merge(Serialized::defaults(dict))
        .extract::<Config>();
    match options {
        Err(e) => problems.extend(e.into_iter().map(|e| format!("{name}: {e}"))),
        Ok(config) => {
            if let Err(e) = config.check() {
                problems.push(format!("{name}: {e}"));
            }
        }
    }

    let channel_lines = targets::table_lines(content, "channels");
    let rule_lines = targets::table_lines(content, "rules");
    let at = |table: &str, i: usize| {
        let lines = if table == "channels" {
            &channel_lines
        } else {
            &rule_lines
        };
        match lines.get(i) {
            Some(l) => format!("{name}:{l}"),
            None => name.clone(),
        }
    };
    let declared_channels: Vec<DeclaredChannel> = items(channels, "channels", &at, &mut problems);
    let declared_rules: Vec<DeclaredRule> = items(rules, "rules", &at, &mut problems);
    for p in declared::check(&declared_channels, &declared_rules) {
        let (table, index) = index_of(&p.path);
        problems.push(format!("{}: {p}", at(table, index)));
    }
    let summary = format!(
        "{} channels, {} rules",
        declared_channels.len(),
        declared_rules.len()
    );
    (problems, summary)
}

/// Each table of an array on its own, so that one bad table does not hide the others.
fn items<T: serde::de::DeserializeOwned>(
    value: Option<Value>,
    table: &str,
    at: &dyn Fn(&str, usize) -> String,
    problems: &mut Vec<String>,
) -> Vec<T> {
    let Some(value) = value else {
        return Vec::new();
    };
    let Some(list) = value.into_array() else {
        problems.push(format!(
            "{}: {table}: write it as [[{table}]] tables",
            at(table, 0)
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in list.into_iter().enumerate() {
        match item.deserialize::<T>() {
            Ok(v) => out.push(v),
            Err(e) => {
                for e in e {
                    let field = if e.path.is_empty() {
                        String::new()
                    } else {
                        format!(".{}", e.path.join("."))
                    };
                    problems.push(format!("{}: {table}[{i}]{field}: {}", at(table, i), e.kind));
                }
            }
        }
    }
    out
}

/// `channels[3].url` → ("channels", 3).
fn index_of(path: &str) -> (&str, usize) {
    let (table, rest) = path.split_once('[').unwrap_or((path, ""));
    let index = rest
        .split_once(']')
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0);
    (table, index)
}
