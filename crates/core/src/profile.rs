//! Sender profiles: an email server and its credentials, configured once and shared by the
//! email channels that reference it (or by all of a kind's channels, when it is the
//! default), so that such a channel needs only its recipients.

use ulid::Ulid;

use crate::channel::ChannelConfig;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq)]
pub struct SenderProfile {
    pub id: Ulid,
    pub name: String,
    /// The channel kind it serves: `email`, `resend` or `ses`.
    pub kind: String,
    /// The sender fields only (server, credentials, from address).
    pub config: ChannelConfig,
    /// Channels of this kind without sender fields of their own use the default profile.
    pub is_default: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// A channel's configuration with the profile's fields filled in where the channel has none:
/// the channel's own settings and secrets always win.
pub fn merge(channel: &ChannelConfig, profile: &ChannelConfig) -> ChannelConfig {
    let mut merged = channel.clone();
    for (k, v) in &profile.settings {
        merged
            .settings
            .entry(k.clone())
            .or_insert_with(|| v.clone());
    }
    for (k, v) in profile.secrets.iter_exposed() {
        if !merged.secrets.contains(k) {
            merged.secrets.insert(k, v);
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_channel_wins_over_the_profile() {
        let mut channel = ChannelConfig::default();
        channel
            .settings
            .insert("to".into(), json!("ops@example.com"));
        channel
            .settings
            .insert("from".into(), json!("me@example.com"));
        let mut profile = ChannelConfig::default();
        profile
            .settings
            .insert("host".into(), json!("smtp.example.com"));
        profile
            .settings
            .insert("from".into(), json!("alerts@example.com"));
        profile.secrets.insert("password", "p");
        let merged = merge(&channel, &profile);
        assert_eq!(merged.settings["host"], "smtp.example.com");
        assert_eq!(merged.settings["from"], "me@example.com");
        assert_eq!(merged.settings["to"], "ops@example.com");
        assert_eq!(merged.secrets.expose("password"), Some("p"));
    }
}
