//! Field schemas of channel kinds, and the generic checks every kind shares: required
//! fields, types, options, defaults, unknown fields.

use serde::Serialize;
use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use utoipa::ToSchema;

/// The type of a field's value.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum FieldType {
    /// One line of text.
    String,
    /// Several lines of text (templates).
    Text,
    /// An `http(s)://` URL.
    Url,
    Integer {
        min: i64,
        max: i64,
    },
    Boolean,
    /// One of a fixed list.
    Choice {
        options: &'static [&'static str],
    },
    /// An object of string values (HTTP headers).
    Map,
}

/// One field of a kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    #[serde(flatten)]
    pub field_type: FieldType,
    /// Kept encrypted, write-only through the API.
    pub secret: bool,
    pub required: bool,
    pub default: Option<DefaultValue>,
}

/// A field's default, as a constant.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(untagged)]
pub enum DefaultValue {
    Str(&'static str),
    Int(i64),
    Bool(bool),
}

impl DefaultValue {
    pub fn to_value(self) -> Value {
        match self {
            Self::Str(s) => Value::String(s.to_owned()),
            Self::Int(n) => Value::from(n),
            Self::Bool(b) => Value::Bool(b),
        }
    }
}

/// Settings every kind accepts besides its own fields. `allow_http` lets the channel use
/// plain `http://` to a host the operator did not allow-list; the server lets only an
/// admin set it.
pub static COMMON_FIELDS: &[FieldSpec] = &[FieldSpec {
    name: tocsin_core::channel::ALLOW_HTTP,
    label: "Allow plain HTTP",
    help: "Send without TLS even though the host is not on TOCSIN_ALLOW_PRIVATE. Admins only.",
    field_type: FieldType::Boolean,
    secret: false,
    required: false,
    default: None,
}];

/// Everything the API and UI need to know about a kind's configuration.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindSchema {
    pub kind: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    /// URL schemes this kind reads (`https`, `json`, …).
    pub url_schemes: &'static [&'static str],
    pub fields: &'static [FieldSpec],
}

impl KindSchema {
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The kind's own field, or one of the [`COMMON_FIELDS`].
    fn field_or_common(&self, name: &str) -> Option<&FieldSpec> {
        self.field(name)
            .or_else(|| COMMON_FIELDS.iter().find(|f| f.name == name))
    }
}

/// Checks `settings` and `secrets` against `schema` and returns the configuration with
/// defaults filled in. A secret left out keeps its `previous` value.
pub fn apply(
    schema: &KindSchema,
    mut settings: Map<String, Value>,
    secrets: Map<String, Value>,
    previous: Option<&ChannelConfig>,
) -> Result<ChannelConfig, FieldError> {
    for name in settings.keys() {
        match schema.field_or_common(name) {
            Some(f) if !f.secret => {}
            Some(_) => {
                return Err(FieldError::new(
                    format!("settings.{name}"),
                    "is a secret: put it under `secrets`",
                ));
            }
            None => return Err(unknown(schema, "settings", name)),
        }
    }
    let mut kept = Secrets::new();
    for (name, value) in &secrets {
        match schema.field(name) {
            Some(f) if f.secret => {
                let text = value.as_str().ok_or_else(|| {
                    FieldError::new(format!("secrets.{name}"), "must be a string")
                })?;
                if !text.is_empty() {
                    kept.insert(name.clone(), text);
                }
            }
            Some(_) => {
                return Err(FieldError::new(
                    format!("secrets.{name}"),
                    "is not a secret: put it under `settings`",
                ));
            }
            None => return Err(unknown(schema, "secrets", name)),
        }
    }
    if let Some(prev) = previous {
        for (name, value) in prev.secrets.iter_exposed() {
            if !secrets.contains_key(name) {
                kept.insert(name, value);
            }
        }
    }
    for field in schema.fields.iter().chain(COMMON_FIELDS) {
        if field.secret {
            if field.required && !kept.contains(field.name) {
                return Err(FieldError::new(
                    format!("secrets.{}", field.name),
                    "is required",
                ));
            }
            continue;
        }
        let path = format!("settings.{}", field.name);
        match settings.get(field.name) {
            None | Some(Value::Null) => {
                settings.remove(field.name);
                if let Some(default) = field.default {
                    settings.insert(field.name.to_owned(), default.to_value());
                } else if field.required {
                    return Err(FieldError::new(path, "is required"));
                }
            }
            Some(value) => {
                let canonical =
                    check_type(&field.field_type, value).map_err(|m| FieldError::new(path, m))?;
                if let Some(option) = canonical {
                    settings.insert(field.name.to_owned(), Value::String(option.to_owned()));
                }
            }
        }
    }
    Ok(ChannelConfig {
        settings,
        secrets: kept,
    })
}

fn unknown(schema: &KindSchema, section: &str, name: &str) -> FieldError {
    let known: Vec<&str> = schema
        .fields
        .iter()
        .filter(|f| f.secret == (section == "secrets"))
        .map(|f| f.name)
        .collect();
    FieldError::new(
        format!("{section}.{name}"),
        format!(
            "is not a field of kind `{}`; known {section}: {}",
            schema.kind,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ),
    )
}

/// Checks a value against its type. For a choice, returns the option as the schema spells
/// it (choices are matched without regard to case).
fn check_type(t: &FieldType, value: &Value) -> Result<Option<&'static str>, String> {
    match t {
        FieldType::String | FieldType::Text => match value {
            Value::String(_) => Ok(None),
            _ => Err("must be a string".into()),
        },
        FieldType::Url => {
            let s = value.as_str().ok_or("must be a URL string")?;
            let url = url::Url::parse(s).map_err(|e| format!("is not a valid URL ({e})"))?;
            match url.scheme() {
                "http" | "https" if url.host_str().is_some() => Ok(None),
                _ => Err("must be an http:// or https:// URL with a host".into()),
            }
        }
        FieldType::Integer { min, max } => match value.as_i64() {
            Some(n) if (*min..=*max).contains(&n) => Ok(None),
            _ => Err(format!("must be a whole number from {min} to {max}")),
        },
        FieldType::Boolean => match value {
            Value::Bool(_) => Ok(None),
            _ => Err("must be true or false".into()),
        },
        FieldType::Choice { options } => value
            .as_str()
            .and_then(|s| options.iter().find(|o| o.eq_ignore_ascii_case(s)))
            .map(|o| Some(*o))
            .ok_or_else(|| format!("must be one of {}", options.join(", "))),
        FieldType::Map => match value {
            Value::Object(map) if map.values().all(Value::is_string) => Ok(None),
            _ => Err("must be an object of string values".into()),
        },
    }
}
