//! Secret references: a secret whose value is exactly `${env:NAME}` or `${file:/abs/path}`
//! is not the secret itself but says where to read it when a message is sent. The
//! reference is stored (sealed like any secret) and never resolved on save, so rotating
//! the secret outside Tocsin needs no API call.
//!
//! Parsing is here; reading the environment or a file is the caller's business (the server
//! passes real lookups, tests pass maps), so this module does no I/O.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a secret is read from at send time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    /// `${env:NAME}`: an environment variable of the Tocsin process.
    Env(String),
    /// `${file:/abs/path}`: a file's contents, less one trailing newline.
    File(PathBuf),
}

/// Why a reference did not give a value. Names the reference, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("{reference}: the environment variable {name} is not set")]
    MissingEnv { reference: String, name: String },
    #[error("{reference}: cannot read {path} ({reason})")]
    File {
        reference: String,
        path: String,
        reason: String,
    },
    #[error("{reference}: the value it names is empty")]
    Empty { reference: String },
    #[error("not a valid secret reference: {message}")]
    Invalid { message: String },
}

/// A secret value as it is to be used: a plain value as it is, a reference resolved
/// through `env` and `read_file`. The one function every place that reads secrets (sends,
/// configuration files) goes through.
pub fn resolve_with<'a>(
    value: &'a str,
    env: impl FnOnce(&str) -> Option<String>,
    read_file: impl FnOnce(&Path) -> std::io::Result<String>,
) -> Result<std::borrow::Cow<'a, str>, RefError> {
    match SecretRef::parse(value) {
        Ok(None) => Ok(std::borrow::Cow::Borrowed(value)),
        Ok(Some(reference)) => reference.resolve_with(env, read_file).map(Into::into),
        Err(message) => Err(RefError::Invalid { message }),
    }
}

impl SecretRef {
    /// Reads a secret value: `Ok(None)` when it is a plain secret, an error when it looks
    /// like a reference (`${env:` or `${file:`) but is not a valid one.
    pub fn parse(value: &str) -> Result<Option<SecretRef>, String> {
        let Some(inner) = value
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            if value.starts_with("${env:") || value.starts_with("${file:") {
                return Err("a secret reference ends with `}`".into());
            }
            return Ok(None);
        };
        if let Some(name) = inner.strip_prefix("env:") {
            let valid = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            return if valid {
                Ok(Some(SecretRef::Env(name.to_owned())))
            } else {
                Err("`${env:NAME}` needs a variable name of letters, digits and `_`".into())
            };
        }
        if let Some(path) = inner.strip_prefix("file:") {
            let path = Path::new(path);
            return if path.is_absolute() && !path.as_os_str().is_empty() {
                Ok(Some(SecretRef::File(path.to_owned())))
            } else {
                Err("`${file:/path}` needs an absolute path".into())
            };
        }
        Ok(None)
    }

    /// Whether a secret value is a reference (valid or not).
    pub fn is_reference(value: &str) -> bool {
        !matches!(Self::parse(value), Ok(None))
    }

    /// The value the reference names, read through `env` and `read_file`. A file's one
    /// trailing newline (`\n` or `\r\n`) is dropped; an empty value is an error.
    pub fn resolve_with(
        &self,
        env: impl FnOnce(&str) -> Option<String>,
        read_file: impl FnOnce(&Path) -> std::io::Result<String>,
    ) -> Result<String, RefError> {
        let value = match self {
            SecretRef::Env(name) => env(name).ok_or_else(|| RefError::MissingEnv {
                reference: self.to_string(),
                name: name.clone(),
            })?,
            SecretRef::File(path) => {
                let mut text = read_file(path).map_err(|e| RefError::File {
                    reference: self.to_string(),
                    path: path.display().to_string(),
                    reason: io_reason(&e),
                })?;
                if text.ends_with('\n') {
                    text.pop();
                    if text.ends_with('\r') {
                        text.pop();
                    }
                }
                text
            }
        };
        if value.is_empty() {
            return Err(RefError::Empty {
                reference: self.to_string(),
            });
        }
        Ok(value)
    }
}

/// The I/O error's kind in words; its message could quote the file.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".into(),
        kind => kind.to_string(),
    }
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretRef::Env(name) => write!(f, "${{env:{name}}}"),
            SecretRef::File(path) => write!(f, "${{file:{}}}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn no_file(_: &Path) -> std::io::Result<String> {
        Err(std::io::ErrorKind::NotFound.into())
    }

    #[test]
    fn parses_env_and_file_references() {
        assert_eq!(
            SecretRef::parse("${env:SLACK_URL}"),
            Ok(Some(SecretRef::Env("SLACK_URL".into())))
        );
        assert_eq!(
            SecretRef::parse("${file:/run/secrets/tg}"),
            Ok(Some(SecretRef::File("/run/secrets/tg".into())))
        );
        assert_eq!(SecretRef::parse("plain-token"), Ok(None));
        assert_eq!(SecretRef::parse("${other:x}"), Ok(None));
        assert_eq!(SecretRef::parse("x${env:A}"), Ok(None));
        assert!(SecretRef::parse("${env:}").is_err());
        assert!(SecretRef::parse("${env:A-B}").is_err());
        assert!(SecretRef::parse("${file:relative/path}").is_err());
        assert!(SecretRef::parse("${env:A").is_err());
        assert_eq!(
            SecretRef::parse("${file:/a b}")
                .unwrap()
                .unwrap()
                .to_string(),
            "${file:/a b}"
        );
    }

    #[test]
    fn resolves_and_trims_one_trailing_newline() {
        let r = SecretRef::File("/s".into());
        assert_eq!(
            r.resolve_with(no_env, |_| Ok("tok\n".into())).unwrap(),
            "tok"
        );
        assert_eq!(
            r.resolve_with(no_env, |_| Ok("tok\r\n".into())).unwrap(),
            "tok"
        );
        assert_eq!(
            r.resolve_with(no_env, |_| Ok("tok\n\n".into())).unwrap(),
            "tok\n"
        );
        let e = SecretRef::Env("T".into());
        assert_eq!(
            e.resolve_with(|n| (n == "T").then(|| "v".into()), no_file)
                .unwrap(),
            "v"
        );
    }

    #[test]
    fn failures_name_the_reference_and_never_a_value() {
        let e = SecretRef::Env("TOKEN_X".into());
        let err = e.resolve_with(no_env, no_file).unwrap_err().to_string();
        assert_eq!(
            err,
            "${env:TOKEN_X}: the environment variable TOKEN_X is not set"
        );
        let f = SecretRef::File("/nope".into());
        let err = f.resolve_with(no_env, no_file).unwrap_err().to_string();
        assert_eq!(err, "${file:/nope}: cannot read /nope (no such file)");
        let err = f
            .resolve_with(no_env, |_| Ok("\n".into()))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "${file:/nope}: the value it names is empty");
    }
}
