//! Secrets at rest and in flight: the master key (from `TOCSIN_SECRET_KEY` or the key file),
//! the sealed store, sealing what an older version left in plain text, key rotation,
//! secret references resolved at send time, and scrubbing secret values out of what is
//! recorded about an attempt.
//!
//! Architecture invariant: channel and sender-profile secrets reach the database only
//! sealed (see [`SealedStore`]); a reference is resolved only for the attempt that needs
//! it and never stored resolved.

use std::borrow::Cow;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use secrecy::ExposeSecret;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::crypto;
use tocsin_core::secret_ref::{self, RefError};
use tocsin_store::{SecretOwner, SecretsChange, Store};

use crate::config::Config;

mod sealed_store;

pub use sealed_store::SealedStore;
pub use tocsin_core::crypto::MasterKey;

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "secret.key";

/// Where the master key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `TOCSIN_SECRET_KEY` (or `secret_key` in the configuration file).
    Setting,
    /// The key file.
    File(PathBuf),
}

/// The master key and where it came from.
#[derive(Debug)]
pub struct LoadedKey {
    pub key: MasterKey,
    pub source: KeySource,
    /// Made just now: no key was set and there was no key file. Not yet written.
    pub created: bool,
}

/// `<data_dir>/secret.key`.
pub fn key_file_path(config: &Config) -> PathBuf {
    config.data_dir.join(KEY_FILE)
}

/// The master key: `TOCSIN_SECRET_KEY` when set, else the key file; when neither exists
/// and `create`, a new key (the caller writes it with [`write_key_file`]).
pub fn load_key(config: &Config, create: bool) -> anyhow::Result<LoadedKey> {
    if let Some(text) = config.secret_key.as_ref() {
        let key = MasterKey::parse(text.expose_secret())
            .map_err(|e| anyhow::anyhow!("TOCSIN_SECRET_KEY: {e}"))?;
        return Ok(LoadedKey {
            key,
            source: KeySource::Setting,
            created: false,
        });
    }
    let path = key_file_path(config);
    if path.exists() {
        return Ok(LoadedKey {
            key: read_key_file(&path)?,
            source: KeySource::File(path),
            created: false,
        });
    }
    if !create {
        bail!(
            "no master key: TOCSIN_SECRET_KEY is not set and {} does not exist",
            path.display()
        );
    }
    Ok(LoadedKey {
        key: MasterKey::generate(),
        source: KeySource::File(path),
        created: true,
    })
}

/// Reads a key file, refusing one that others than its owner may read.
pub fn read_key_file(path: &Path) -> anyhow::Result<MasterKey> {
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            bail!(
                "the key file {} can be read by others than its owner (mode {mode:04o}); \
                 run `chmod 600 {}` and start again",
                path.display(),
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    MasterKey::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Writes `key` to `path` with mode 0600 from the first byte: into a new temporary file in
/// the same directory, synced, then moved into place. `replace` overwrites an existing
/// file; otherwise an existing file is an error (two first starts at once).
pub fn write_key_file(path: &Path, key: &MasterKey, replace: bool) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(KEY_FILE);
    let tmp = dir.join(format!(".{name}.{}.tmp", ulid::Ulid::new()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| -> std::io::Result<()> {
        let mut file = options.open(&tmp)?;
        file.write_all(format!("{}\n", key.encode()).as_bytes())?;
        file.sync_all()?;
        if replace {
            fs::rename(&tmp, path)
        } else {
            fs::hard_link(&tmp, path).and_then(|()| fs::remove_file(&tmp))
        }
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write the key file {}", path.display()));
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// What [`seal_store`] found and did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SealReport {
    /// Stored values that were plain text (an older version's) and are sealed now.
    pub sealed: usize,
    /// Stored values that were sealed already.
    pub kept: usize,
    /// Webhook channels whose URL and headers an older version kept in the settings,
    /// moved into their secrets now.
    pub webhooks: usize,
}

/// Every stored secret map, as stored (sealed), with its owner.
async fn stored_secrets(store: &dyn Store) -> anyhow::Result<Vec<(SecretOwner, Secrets)>> {
    let mut all = Vec::new();
    for c in store.list_channels().await? {
        all.push((SecretOwner::Channel(c.id), c.config.secrets));
    }
    for p in store.list_profiles().await? {
        all.push((SecretOwner::Profile(p.id), p.config.secrets));
    }
    Ok(all)
}

/// Checks that `key` opens every sealed secret of `rows` (as stored); an error that says
/// what to do otherwise.
fn check_opens(key: &MasterKey, rows: &[(SecretOwner, Secrets)], hint: &str) -> anyhow::Result<()> {
    let mut failures = 0;
    let mut first = None;
    for (owner, secrets) in rows {
        for (name, value) in secrets.iter_exposed() {
            if crypto::is_sealed(value)
                && let Err(e) = key.open(&owner.label(), name, value)
            {
                failures += 1;
                first.get_or_insert_with(|| format!("`{name}` of {}: {e}", owner.label()));
            }
        }
    }
    if let Some(first) = first {
        bail!(
            "the database holds {failures} secret(s) that the master key {} cannot open \
             (first: {first}). {hint}",
            key.id()
        );
    }
    Ok(())
}

/// Opens the sealed store over `inner`: loads the master key (creating the key file on
/// first start), refuses to go on when the key cannot open what is stored, and seals the
/// plain-text secrets an older version left.
pub async fn seal_store(
    config: &Config,
    inner: Arc<dyn Store>,
) -> anyhow::Result<(SealedStore, SealReport)> {
    let loaded = load_key(config, true)?;
    let rows = stored_secrets(&*inner).await?;
    let mut hint = "Start with the key they were sealed with (TOCSIN_SECRET_KEY, or the key \
                    file secret.key in the data directory)."
        .to_owned();
    let pending = key_file_path(config).with_extension("key.new");
    if pending.exists() {
        hint.push_str(&format!(
            " {} exists: a key rotation stopped before it finished, and that file may hold \
             the key the database was re-encrypted with.",
            pending.display()
        ));
    }
    check_opens(&loaded.key, &rows, &hint)?;
    if loaded.created
        && let KeySource::File(path) = &loaded.source
    {
        // Written before anything is sealed with it: a key that seals must never be lost.
        write_key_file(path, &loaded.key, false)?;
        tracing::info!(path = %path.display(), key_id = loaded.key.id(), "created the master key file");
    }
    let mut report = SealReport::default();
    let mut changes = Vec::new();
    for (owner, secrets) in rows {
        let mut sealed = Secrets::new();
        let mut changed = false;
        for (name, value) in secrets.iter_exposed() {
            if crypto::is_sealed(value) {
                report.kept += 1;
                sealed.insert(name, value);
            } else {
                report.sealed += 1;
                changed = true;
                sealed.insert(name, loaded.key.seal(&owner.label(), name, value));
            }
        }
        if changed {
            changes.push(SecretsChange {
                owner,
                previous: secrets,
                secrets: sealed,
            });
        }
    }
    if !changes.is_empty() {
        if !inner.replace_secrets(&changes).await? {
            bail!(
                "a channel or sender profile changed while its secrets were being sealed; start again"
            );
        }
        tracing::info!(
            secrets = report.sealed,
            "sealed the plain-text secrets an older version stored"
        );
    }
    let store = SealedStore::new(inner, loaded.key);
    report.webhooks = seal_webhook_targets(&store).await?;
    Ok((store, report))
}

/// Webhook channels an older version stored with their target URL and header values in
/// the settings get them moved into their (sealed) secrets, as saving one does now.
async fn seal_webhook_targets(store: &SealedStore) -> anyhow::Result<usize> {
    use tocsin_providers::webhook;
    let mut moved = 0;
    for mut channel in store.list_channels().await? {
        if channel.kind != tocsin_providers::Kind::Webhook.name()
            || channel.config.secrets.contains(webhook::URL_SECRET)
        {
            continue;
        }
        if let Err(e) = webhook::seal_target(&mut channel.config) {
            tracing::warn!(channel = %channel.id, field = %e.field,
                "cannot move this webhook's URL and headers into its secrets; save the channel again");
            continue;
        }
        let own_rule = store.own_rule(channel.id).await?;
        store.update_channel(&channel, own_rule.as_ref()).await?;
        moved += 1;
    }
    if moved > 0 {
        tracing::info!(
            channels = moved,
            "moved the URL and headers of webhook channels an older version stored into their secrets"
        );
    }
    Ok(moved)
}

/// What a key rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub channels: usize,
    pub profiles: usize,
    pub secrets: usize,
    pub old_key_id: String,
    pub new_key_id: String,
    /// The key file the new key was installed in; `None` when the key comes from
    /// `TOCSIN_SECRET_KEY`, which the operator must now change.
    pub key_file: Option<PathBuf>,
}

/// Re-encrypts every stored secret under `new_key` (a new random key when `None`) in one
/// transaction, then installs the new key in the key file, keeping the old one as
/// `secret.key.old` until the database is known to open with the new one. Meant for a
/// stopped server: a running one keeps the old key in memory.
pub async fn rotate(
    config: &Config,
    inner: Arc<dyn Store>,
    new_key: Option<MasterKey>,
) -> anyhow::Result<Rotation> {
    let loaded = load_key(config, false)?;
    let new_key = match (new_key, &loaded.source) {
        (Some(k), _) => k,
        (None, KeySource::File(_)) => MasterKey::generate(),
        (None, KeySource::Setting) => bail!(
            "the master key comes from TOCSIN_SECRET_KEY: make a new key with \
             `tocsin keys generate > new.key`, run `tocsin keys rotate --new-key-file new.key`, \
             then set TOCSIN_SECRET_KEY to the new key before starting the server"
        ),
    };
    if new_key.id() == loaded.key.id() {
        bail!("the new key is the key in use; give a different one");
    }
    let old = &loaded.key;
    let rows = stored_secrets(&*inner).await?;
    check_opens(old, &rows, "Rotate with the key they were sealed with.")?;
    let mut changes = Vec::new();
    let (mut channels, mut profiles, mut secrets) = (0, 0, 0);
    for (owner, stored) in rows {
        if stored.is_empty() {
            continue;
        }
        let opened = sealed_store::open(old, owner, &stored)
            .map_err(|e| anyhow::anyhow!("{}: {e}", owner.label()))?;
        secrets += opened.names().count();
        match owner {
            SecretOwner::Channel(_) => channels += 1,
            SecretOwner::Profile(_) => profiles += 1,
        }
        changes.push(SecretsChange {
            owner,
            previous: stored,
            secrets: sealed_store::seal(&new_key, owner, &opened),
        });
    }
    let key_file = match &loaded.source {
        KeySource::File(path) => Some(path.clone()),
        KeySource::Setting => None,
    };
    let pending = key_file.as_ref().map(|p| p.with_extension("key.new"));
    if let Some(pending) = &pending {
        // The new key is on disk before anything is sealed with it.
        write_key_file(pending, &new_key, true)?;
    }
    if !inner.replace_secrets(&changes).await? {
        if let Some(pending) = &pending {
            let _ = fs::remove_file(pending);
        }
        bail!(
            "a channel or sender profile changed during the rotation; nothing was changed. \
             Stop the server and run the rotation again"
        );
    }
    if let (Some(path), Some(pending)) = (&key_file, &pending) {
        let backup = path.with_extension("key.old");
        fs::rename(path, &backup)
            .with_context(|| format!("cannot move {} aside", path.display()))?;
        fs::rename(pending, path).with_context(|| {
            format!(
                "cannot install the new key: it is in {}; move it to {}",
                pending.display(),
                path.display()
            )
        })?;
        let installed = read_key_file(path)?;
        let rows = stored_secrets(&*inner).await?;
        check_opens(&installed, &rows, "The previous key is in secret.key.old.")?;
        fs::remove_file(&backup).with_context(|| format!("cannot remove {}", backup.display()))?;
    }
    Ok(Rotation {
        channels,
        profiles,
        secrets,
        old_key_id: old.id().to_owned(),
        new_key_id: new_key.id().to_owned(),
        key_file,
    })
}

/// A secret value ready to use: a plain value as it is, `${env:NAME}` from this process's
/// environment, `${file:/path}` from the file (less one trailing newline). Errors name the
/// reference, never a value. Unrestricted: for what the operator wrote (the configuration
/// file); references that come through the API go through a [`RefPolicy`].
pub fn resolve(value: &str) -> Result<Cow<'_, str>, RefError> {
    secret_ref::resolve_with(
        value,
        |name| std::env::var(name).ok(),
        |path| fs::read_to_string(path),
    )
}

/// What references made through the API may read. Without limits, anyone who may create a
/// channel could have the server send any file or variable it can read (the key file,
/// `/proc/self/environ`, `TOCSIN_SECRET_KEY`) to a receiver of their own.
#[derive(Debug, Clone, Default)]
pub struct RefPolicy {
    /// Directories (resolved, symlinks followed) whose files may be referenced.
    dirs: Vec<PathBuf>,
}

impl RefPolicy {
    /// Files under `dirs` (the `secret_dirs` setting) may be referenced; variables whose
    /// names start with `TOCSIN_` never.
    pub fn new(dirs: &[String]) -> Self {
        Self {
            dirs: dirs
                .iter()
                .map(|d| fs::canonicalize(d).unwrap_or_else(|_| PathBuf::from(d)))
                .collect(),
        }
    }

    /// As [`resolve`], within this policy.
    pub fn resolve<'a>(&self, value: &'a str) -> Result<Cow<'a, str>, RefError> {
        let refused = |reference: &secret_ref::SecretRef, why: String| RefError::Invalid {
            message: format!("{reference}: {why}"),
        };
        match secret_ref::SecretRef::parse(value) {
            Ok(Some(reference)) => match &reference {
                secret_ref::SecretRef::Env(name) => {
                    if name.to_ascii_uppercase().starts_with("TOCSIN_") {
                        return Err(refused(
                            &reference,
                            "variables starting with TOCSIN_ are Tocsin's own and cannot be referenced".into(),
                        ));
                    }
                }
                secret_ref::SecretRef::File(path) => {
                    let inside = fs::canonicalize(path)
                        .map(|real| self.dirs.iter().any(|d| real.starts_with(d)))
                        .unwrap_or(false);
                    if !inside {
                        let dirs: Vec<String> =
                            self.dirs.iter().map(|d| d.display().to_string()).collect();
                        let dirs = if dirs.is_empty() {
                            "none".to_owned()
                        } else {
                            dirs.join(", ")
                        };
                        return Err(refused(
                            &reference,
                            format!(
                                "not a readable file in the directories secrets may be read from (secret_dirs: {dirs})"
                            ),
                        ));
                    }
                }
            },
            Ok(None) => return Ok(Cow::Borrowed(value)),
            Err(_) => {}
        }
        resolve(value)
    }

    /// `config` with every secret reference resolved; `None` when it has none.
    pub fn resolve_references(
        &self,
        config: &ChannelConfig,
    ) -> Result<Option<ChannelConfig>, RefError> {
        if !config
            .secrets
            .iter_exposed()
            .any(|(_, v)| secret_ref::SecretRef::is_reference(v))
        {
            return Ok(None);
        }
        let mut resolved = config.clone();
        for (name, value) in config.secrets.iter_exposed() {
            if let Cow::Owned(plain) = self.resolve(value)? {
                resolved.secrets.insert(name, plain);
            }
        }
        Ok(Some(resolved))
    }
}

/// Scrubs secret values out of text about an attempt (transport errors, a receiver's
/// answer that quotes the request): the values themselves, their percent-encoded forms,
/// and, for URLs, the path and query that carry the token.
#[derive(Debug, Default)]
pub struct Redactor {
    needles: Vec<String>,
}

/// What stands in for a secret.
pub const REDACTED: &str = "[redacted]";

/// Shorter values are not scrubbed: they would mangle ordinary text and guard little.
const MIN_SECRET_LEN: usize = 6;

impl Redactor {
    pub fn for_secrets(secrets: &Secrets) -> Self {
        let mut needles = Vec::new();
        for (_, value) in secrets.iter_exposed() {
            add_secret(&mut needles, value);
            // A secret that holds several values (the webhook's headers): each of them.
            if let Ok(serde_json::Value::Object(values)) = serde_json::from_str(value) {
                for v in values.values().filter_map(serde_json::Value::as_str) {
                    add_secret(&mut needles, v);
                }
            }
        }
        let mut redactor = Self { needles };
        redactor.finish();
        redactor
    }

    /// Adds the credentials of a request about to be sent: the `Authorization` (and
    /// similar) header values, their tokens and, for Basic, the decoded `user:password`
    /// and password. Covers credentials a provider builds from several fields (Basic of a
    /// user name setting and a password secret), which no single secret value matches.
    pub fn with_request(mut self, request: &tocsin_core::outbound::HttpRequest) -> Self {
        for (name, value) in &request.headers {
            let name = name.to_ascii_lowercase();
            let credential = name.contains("authorization")
                || name.contains("token")
                || name.contains("key")
                || name.contains("secret")
                || name.contains("password")
                || name.contains("signature")
                || name == "cookie";
            if credential {
                add_secret(&mut self.needles, value);
            }
        }
        self.finish();
        self
    }

    fn finish(&mut self) {
        self.needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        self.needles.dedup();
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        out
    }
}

/// A [`Redactor`] made only when it is given a text long enough to hold a secret: most
/// attempts end with nothing to scrub or with a short answer (`ok`), and making the
/// needles (every encoded form of every secret and request credential) costs more than
/// scrubbing. Scrubs exactly what the [`Redactor`] of the same secrets and request would.
pub struct LazyRedactor<'a> {
    secrets: &'a Secrets,
    request: Option<&'a tocsin_core::outbound::HttpRequest>,
    made: std::sync::OnceLock<Redactor>,
}

impl<'a> LazyRedactor<'a> {
    pub fn for_secrets(secrets: &'a Secrets) -> Self {
        Self {
            secrets,
            request: None,
            made: std::sync::OnceLock::new(),
        }
    }

    /// Also scrubs the credentials of `request` (see [`Redactor::with_request`]).
    pub fn with_request(self, request: &'a tocsin_core::outbound::HttpRequest) -> Self {
        Self {
            secrets: self.secrets,
            request: Some(request),
            made: std::sync::OnceLock::new(),
        }
    }

    pub fn redact(&self, text: &str) -> String {
        // Every needle is at least `MIN_SECRET_LEN` bytes long (`add_forms`).
        if text.len() < MIN_SECRET_LEN {
            return text.to_owned();
        }
        self.made
            .get_or_init(|| {
                let redactor = Redactor::for_secrets(self.secrets);
                match self.request {
                    Some(request) => redactor.with_request(request),
                    None => redactor,
                }
            })
            .redact(text)
    }
}

/// A secret value in every form it may come back in: itself and its encodings, for a URL
/// its path, query and their parts, for a header value its words (`Bearer <token>`), and
/// for a base64 word what it decodes to (`Basic` credentials: `user:password` and the
/// password).
fn add_secret(needles: &mut Vec<String>, value: &str) {
    add_forms(needles, value);
    if let Ok(url) = url::Url::parse(value)
        && url.has_host()
    {
        add_forms(needles, url.path());
        if let Some(q) = url.query() {
            add_forms(needles, q);
        }
        for segment in url.path_segments().into_iter().flatten() {
            if segment.len() >= 16 {
                add_forms(needles, segment);
            }
        }
        for (_, v) in url.query_pairs() {
            add_forms(needles, &v);
        }
        return;
    }
    for word in value.split_whitespace() {
        if word.len() == value.len() {
            break;
        }
        add_forms(needles, word);
    }
    for word in value.split_whitespace() {
        use base64::Engine as _;
        let engines = [
            base64::engine::general_purpose::STANDARD,
            base64::engine::general_purpose::URL_SAFE,
        ];
        let decoded = engines.iter().find_map(|e| e.decode(word).ok());
        if let Some(text) = decoded.and_then(|bytes| String::from_utf8(bytes).ok()) {
            add_forms(needles, &text);
            if let Some((_, password)) = text.split_once(':') {
                add_forms(needles, password);
            }
        }
    }
}

fn add_forms(needles: &mut Vec<String>, value: &str) {
    if value.len() < MIN_SECRET_LEN || value == "/" {
        return;
    }
    needles.push(value.to_owned());
    let encoded = percent_encode(value);
    if encoded != value {
        needles.push(encoded.to_ascii_lowercase());
        needles.push(encoded);
    }
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    if form != value {
        needles.push(form);
    }
    use base64::Engine as _;
    needles.push(base64::engine::general_purpose::STANDARD.encode(value));
    needles.push(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value));
}

/// Every byte but the unreserved ones as `%XX`.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redactor_scrubs_values_their_encodings_and_url_paths() {
        let mut s = Secrets::new();
        s.insert("bot_token", "123456:AAE-secret/part");
        s.insert(
            "webhook_url",
            "https://hooks.example.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX?token=qwertyuiop",
        );
        s.insert("pin", "1234");
        let r = Redactor::for_secrets(&s);
        let text = "POST /bot123456:AAE-secret/part/send failed; path /services/T000/B000/XXXXXXXXXXXXXXXXXXXX?token=qwertyuiop; \
                    enc 123456%3AAAE-secret%2Fpart; seg XXXXXXXXXXXXXXXXXXXX; q qwertyuiop; pin 1234";
        let out = r.redact(text);
        for needle in ["AAE-secret", "XXXXXXXXXXXXXXXXXXXX", "qwertyuiop", "%3AAAE"] {
            assert!(!out.contains(needle), "{needle} in {out}");
        }
        // Too short to scrub without mangling ordinary text.
        assert!(out.contains("pin 1234"));
    }

    #[test]
    fn the_redactor_scrubs_header_values_basic_credentials_and_base64_forms() {
        use base64::Engine as _;
        let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
        let mut s = Secrets::new();
        s.insert(
            "headers",
            serde_json::json!({
                "Authorization": format!("Basic {}", b64("ops:hdrpassword1")),
                "X-Api-Key": "apikeyvalue22",
            })
            .to_string(),
        );
        s.insert("url", "https://h.example/hook?token=querytoken333");
        s.insert("password", "plainpassword44");
        let request = tocsin_core::outbound::HttpRequest {
            method: "POST".into(),
            url: "https://h.example/".into(),
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                (
                    "Authorization".into(),
                    format!("Basic {}", b64("ops:plainpassword44")),
                ),
                ("X-Gotify-Key".into(), "headertoken555".into()),
            ],
            body: Vec::new(),
        };
        let r = Redactor::for_secrets(&s).with_request(&request);
        let text = format!(
            "echo: Authorization: Basic {} / {} / ops:hdrpassword1 / apikeyvalue22 / \
             GET /hook?token=querytoken333 / {} / {} / headertoken555 / {} / application/json",
            b64("ops:hdrpassword1"),
            b64("ops:plainpassword44"),
            b64("apikeyvalue22"),
            b64("plainpassword44"),
            percent_encode("plainpassword44 x"),
        );
        let out = r.redact(&text);
        for needle in [
            "hdrpassword1",
            "apikeyvalue22",
            "querytoken333",
            "plainpassword44",
            "headertoken555",
            &b64("ops:hdrpassword1"),
            &b64("ops:plainpassword44"),
            &b64("apikeyvalue22"),
            &b64("plainpassword44"),
        ] {
            assert!(!out.contains(needle), "{needle} in {out}");
        }
        // What is not a credential stays readable.
        assert!(out.contains("application/json"), "{out}");
        assert!(out.starts_with("echo: Authorization: "), "{out}");
    }

    proptest::proptest! {
        /// Whatever surrounds them and however many there are, no secret value survives
        /// redaction, raw, percent-encoded or in base64, alone or inside Basic credentials.
        #[test]
        fn no_secret_survives_redaction(
            values in proptest::collection::vec("[A-Z0-9]{6,24}", 1..5),
            filler in proptest::collection::vec("[ -~]{0,12}", 8),
            pick in proptest::collection::vec(0usize..4, 8),
        ) {
            use base64::Engine as _;
            let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
            let mut secrets = Secrets::new();
            secrets.insert("headers", serde_json::json!({
                "Authorization": format!("Basic {}", b64(&format!("user:{}", values[0]))),
            }).to_string());
            for (i, v) in values.iter().enumerate() {
                secrets.insert(format!("s{i}"), v.as_str());
            }
            let r = Redactor::for_secrets(&secrets);
            let mut text = String::new();
            for (i, f) in filler.iter().enumerate() {
                text.push_str(f);
                let v = &values[i % values.len()];
                text.push_str(&match pick[i] {
                    0 => v.clone(),
                    1 => percent_encode(&format!("{v}:")),
                    2 => b64(v),
                    _ => b64(&format!("user:{}", values[0])),
                });
            }
            let out = r.redact(&text);
            for v in &values {
                proptest::prop_assert!(!out.contains(v.as_str()), "{v} in {out}");
                proptest::prop_assert!(!out.contains(&b64(v)), "base64 of {v} in {out}");
            }
            let basic = b64(&format!("user:{}", values[0]));
            proptest::prop_assert!(!out.contains(&basic), "{basic} in {out}");
        }
    }

    #[test]
    fn references_resolve_from_the_environment_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tok");
        fs::write(&path, "from-a-file\n").unwrap();
        let policy = RefPolicy::new(&[dir.path().display().to_string()]);
        let mut config = ChannelConfig::default();
        config
            .secrets
            .insert("api_key", format!("${{file:{}}}", path.display()));
        config.secrets.insert("other", "plain");
        let resolved = policy.resolve_references(&config).unwrap().unwrap();
        assert_eq!(resolved.secrets.expose("api_key"), Some("from-a-file"));
        assert_eq!(resolved.secrets.expose("other"), Some("plain"));
        config.secrets.remove("api_key");
        assert_eq!(policy.resolve_references(&config).unwrap(), None);
        let err = resolve("${env:SURELY_UNSET_VARIABLE_OF_TOCSIN_TESTS}").unwrap_err();
        assert!(
            err.to_string()
                .contains("SURELY_UNSET_VARIABLE_OF_TOCSIN_TESTS")
        );
    }

    #[test]
    fn references_through_the_api_reach_only_the_secret_dirs_and_never_tocsins_own() {
        let allowed = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        fs::write(allowed.path().join("tok"), "ok").unwrap();
        fs::write(other.path().join("secret.key"), "the key").unwrap();
        let policy = RefPolicy::new(&[allowed.path().display().to_string()]);
        let inside = format!("${{file:{}/tok}}", allowed.path().display());
        assert_eq!(policy.resolve(&inside).unwrap(), "ok");
        let other_name = other.path().file_name().unwrap().to_str().unwrap();
        let mut refused = vec![
            format!("${{file:{}/secret.key}}", other.path().display()),
            // `..` is resolved before the check.
            format!(
                "${{file:{}/../{other_name}/secret.key}}",
                allowed.path().display()
            ),
            "${file:/proc/self/environ}".to_owned(),
            "${env:TOCSIN_SECRET_KEY}".to_owned(),
            "${env:tocsin_admin_token}".to_owned(),
        ];
        #[cfg(unix)]
        {
            // So are symlinks.
            let link = allowed.path().join("link");
            std::os::unix::fs::symlink(other.path().join("secret.key"), &link).unwrap();
            refused.push(format!("${{file:{}}}", link.display()));
        }
        for reference in refused {
            let err = policy.resolve(&reference).unwrap_err().to_string();
            assert!(!err.contains("the key"), "{err}");
            assert!(
                err.contains("cannot be referenced") || err.contains("secret_dirs"),
                "{reference}: {err}"
            );
        }
    }

    #[test]
    fn a_key_file_is_written_owner_only_and_refused_when_others_may_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let key = MasterKey::generate();
        write_key_file(&path, &key, false).unwrap();
        assert_eq!(read_key_file(&path).unwrap().id(), key.id());
        // A second first start does not overwrite it.
        assert!(write_key_file(&path, &MasterKey::generate(), false).is_err());
        assert_eq!(read_key_file(&path).unwrap().id(), key.id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            let err = read_key_file(&path).unwrap_err().to_string();
            assert!(err.contains("chmod 600"), "{err}");
            assert!(!err.contains(&key.encode()));
        }
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
