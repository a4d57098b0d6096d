//! The event catalogue: the well-known event types, what each means, its group, whether a
//! new channel subscribes to it by default, and the presets (`@defaults`, `@destructive`)
//! that event patterns may name. Also which types are never routed. Types outside the
//! catalogue are still accepted and routed; the catalogue only describes.

use serde::Serialize;
use utoipa::ToSchema;

/// One well-known event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventType {
    /// The dotted type, e.g. `deploy.failure`.
    #[serde(rename = "type")]
    pub name: &'static str,
    /// The family it belongs to: `deploy`, `backup`, `audit`, …
    pub group: &'static str,
    pub description: &'static str,
    /// Whether a channel created without `events` subscribes to it (preset `defaults`).
    pub default: bool,
    /// An admin action that deletes something or takes access away (preset `destructive`).
    pub destructive: bool,
}

const fn entry(
    name: &'static str,
    group: &'static str,
    default: bool,
    destructive: bool,
    description: &'static str,
) -> EventType {
    EventType {
        name,
        group,
        description,
        default,
        destructive,
    }
}

const ON: bool = true;
const OFF: bool = false;

/// The type of the event a test send uses. Never routed: a test must not notify anyone
/// but the channel under test.
pub const TEST_EVENT_TYPE: &str = "notification.test";

/// Types starting with this are events Tocsin emits about itself. Never routed, so that a
/// notification about Tocsin cannot trigger another one.
pub const RESERVED_PREFIX: &str = "tocsin.";

/// Every well-known type, grouped, in the order a user interface lists them.
#[rustfmt::skip]
pub const EVENT_TYPES: &[EventType] = &[
    //    type, group, default, destructive, description
    entry("deploy.started", "deploy", OFF, OFF,
        "A deployment started."),
    entry("deploy.success", "deploy", ON, OFF,
        "A deployment finished and the new version runs."),
    entry("deploy.failure", "deploy", ON, OFF,
        "A deployment failed; the previous version may still run."),
    entry("deploy.cancelled", "deploy", OFF, OFF,
        "A deployment was cancelled before it finished."),
    entry("build.triggered", "build", OFF, OFF,
        "A build was queued, by a push, a webhook or by hand."),
    entry("build.success", "build", OFF, OFF,
        "A build finished and produced an image or artefact."),
    entry("build.failure", "build", OFF, OFF,
        "A build failed."),
    entry("service.health.down", "service", ON, OFF,
        "A health check failed: the service does not answer or answers with errors."),
    entry("service.health.recovered", "service", ON, OFF,
        "A failing health check passes again."),
    entry("service.started", "service", OFF, OFF,
        "A service or container started."),
    entry("service.stopped", "service", OFF, OFF,
        "A service or container stopped."),
    entry("backup.success", "backup", OFF, OFF,
        "A backup finished: database and volume backups alike; the label `source.backup_type` (`database`, `volume`) tells them apart."),
    entry("backup.failure", "backup", ON, OFF,
        "A backup failed: database and volume backups alike; the label `source.backup_type` (`database`, `volume`) tells them apart."),
    entry("quota.warning", "quota", ON, OFF,
        "A customer or resource is close to a quota (disk, mailbox storage, plan limits)."),
    entry("quota.exceeded", "quota", ON, OFF,
        "A customer or resource went over a quota."),
    entry("ssl.expiring", "ssl", ON, OFF,
        "A TLS certificate expires soon (or could not be renewed)."),
    entry("server.threshold", "server", OFF, OFF,
        "A server's CPU or memory use crossed its threshold, or went back below it."),
    entry("system.restart", "system", OFF, OFF,
        "The managing system (panel, agent) restarted."),
    entry("system.cleanup", "system", OFF, OFF,
        "A scheduled cleanup ran (images, build caches, old logs)."),
    entry("dns.health_alert", "dns", OFF, OFF,
        "A domain's DNS records are wrong or missing (MX, SPF, DKIM, DMARC, A)."),
    entry("dns.health_recovered", "dns", OFF, OFF,
        "A domain's DNS records are correct again."),
    entry("mailbox.quota_alert", "mailbox", OFF, OFF,
        "A mailbox is close to or over its storage quota."),
    entry("mailbox.quota_recovered", "mailbox", OFF, OFF,
        "A mailbox is back under its storage quota."),
    entry("mailbox.send_limit_alert", "mailbox", OFF, OFF,
        "A mailbox hit its sending limit; further mail is held or refused."),
    entry("mailbox.send_limit_recovered", "mailbox", OFF, OFF,
        "A mailbox may send again."),
    entry("audit.domain.create", "audit", OFF, OFF,
        "An admin added a domain."),
    entry("audit.domain.delete", "audit", OFF, ON,
        "An admin deleted a domain."),
    entry("audit.mailbox.create", "audit", OFF, OFF,
        "An admin created a mailbox."),
    entry("audit.mailbox.delete", "audit", OFF, ON,
        "An admin deleted a mailbox and its mail."),
    entry("audit.user.create", "audit", OFF, OFF,
        "An admin created a user."),
    entry("audit.user.delete", "audit", OFF, ON,
        "An admin deleted a user."),
    entry("audit.user.role_update", "audit", OFF, OFF,
        "An admin changed a user's role or permissions."),
    entry("audit.application.delete", "audit", OFF, ON,
        "An admin deleted an application."),
    entry("audit.project.delete", "audit", OFF, ON,
        "An admin deleted a project and what it holds."),
    entry("audit.database.delete", "audit", OFF, ON,
        "An admin deleted a database."),
    entry("audit.backup.delete", "audit", OFF, ON,
        "An admin deleted a backup."),
    entry("audit.token.create", "audit", OFF, OFF,
        "An admin created an API token."),
    entry("audit.token.revoke", "audit", OFF, ON,
        "An admin revoked an API token."),
    entry("audit.settings.update", "audit", OFF, OFF,
        "An admin changed a setting."),
    entry("audit.settings.admin_password_update", "audit", OFF, ON,
        "The admin password was changed."),
    entry("audit.settings.two_factor_disable", "audit", OFF, ON,
        "Two-factor authentication was turned off for an account."),
    entry("audit.channel.created", "audit", OFF, OFF,
        "Tocsin: a channel was created (emitted by Tocsin itself; data holds the actor and the channel)."),
    entry("audit.channel.updated", "audit", OFF, OFF,
        "Tocsin: a channel was changed."),
    entry("audit.channel.deleted", "audit", OFF, ON,
        "Tocsin: a channel was deleted with its delivery log."),
    entry("audit.rule.created", "audit", OFF, OFF,
        "Tocsin: a rule was created."),
    entry("audit.rule.updated", "audit", OFF, OFF,
        "Tocsin: a rule was changed."),
    entry("audit.rule.deleted", "audit", OFF, ON,
        "Tocsin: a rule was deleted."),
    entry("audit.token.created", "audit", OFF, OFF,
        "Tocsin: an API token was created."),
    entry("audit.token.revoked", "audit", OFF, ON,
        "Tocsin: an API token was revoked."),
    entry("audit.mute_window.created", "audit", OFF, OFF,
        "Tocsin: a mute window was created."),
    entry("audit.mute_window.updated", "audit", OFF, OFF,
        "Tocsin: a mute window was changed."),
    entry("audit.mute_window.deleted", "audit", OFF, ON,
        "Tocsin: a mute window was deleted."),
    entry("audit.profile.created", "audit", OFF, OFF,
        "Tocsin: a sender profile was created."),
    entry("audit.profile.updated", "audit", OFF, OFF,
        "Tocsin: a sender profile was changed."),
    entry("audit.profile.deleted", "audit", OFF, ON,
        "Tocsin: a sender profile was deleted."),
    entry("audit.metrics_token.created", "audit", OFF, OFF,
        "Tocsin: a metrics token was created."),
    entry("audit.metrics_token.deleted", "audit", OFF, ON,
        "Tocsin: a metrics token was deleted."),
    entry("audit.delivery.retried", "audit", OFF, OFF,
        "Tocsin: a failed delivery was retried by hand."),
    entry("notification.test", "notification", OFF, OFF,
        "A test message from \"test channel\". Stored when posted to the events API but never routed, so a test reaches only the channel under test."),
];

/// The resources whose changes Tocsin records in its audit log and emits as
/// `audit.<resource>.<action>` events.
pub const AUDITED_RESOURCES: &[&str] = &[
    "channel",
    "rule",
    "token",
    "mute_window",
    "profile",
    "metrics_token",
    "delivery",
];

/// The actions of audited resources, as the last word of their event types.
pub const AUDITED_ACTIONS: &[&str] = &["created", "updated", "deleted", "revoked", "retried"];

/// Whether `event_type` is one of the `audit.*` events Tocsin emits about its own
/// configuration (`audit.channel.created`, …). Only Tocsin may emit them: a client that
/// posts one is refused, so the audit trail cannot be forged.
pub fn is_tocsin_audit(event_type: &str) -> bool {
    event_type
        .strip_prefix("audit.")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(resource, action)| {
            AUDITED_RESOURCES.contains(&resource) && AUDITED_ACTIONS.contains(&action)
        })
}

/// The catalogue entry of a type, if it is a well-known one.
pub fn find(name: &str) -> Option<&'static EventType> {
    EVENT_TYPES.iter().find(|t| t.name == name)
}

/// A named list of event types that event patterns may use as `@name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// What a channel created without `events` subscribes to.
    Defaults,
    /// The audit actions that delete something or take access away.
    Destructive,
}

impl Preset {
    pub const ALL: [Preset; 2] = [Self::Defaults, Self::Destructive];

    pub fn name(self) -> &'static str {
        match self {
            Self::Defaults => "defaults",
            Self::Destructive => "destructive",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The types of the preset, in catalogue order.
    pub fn types(self) -> impl Iterator<Item = &'static str> {
        EVENT_TYPES
            .iter()
            .filter(move |t| match self {
                Self::Defaults => t.default,
                Self::Destructive => t.destructive,
            })
            .map(|t| t.name)
    }

    /// The preset a pattern names (`@defaults`), an error when it names an unknown one, or
    /// `None` when the pattern is not a preset.
    pub fn named_by(pattern: &str) -> Option<Result<Preset, String>> {
        let name = pattern.strip_prefix('@')?;
        Some(Self::parse(name).ok_or_else(|| {
            let known: Vec<String> = Self::ALL.iter().map(|p| format!("@{}", p.name())).collect();
            format!("unknown preset `{pattern}`; presets: {}", known.join(", "))
        }))
    }
}

/// Why events of this type are never routed, or `None` when they are routed as usual.
/// Such events are still stored when posted; they never become deliveries.
pub fn never_routed(event_type: &str) -> Option<&'static str> {
    if event_type == TEST_EVENT_TYPE {
        Some(
            "notification.test events are never routed: a test reaches only the channel under test",
        )
    } else if event_type.starts_with(RESERVED_PREFIX) {
        Some("tocsin.* events are Tocsin's own and never routed, so they cannot trigger themselves")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_unique_and_its_group_is_its_first_word() {
        for (i, t) in EVENT_TYPES.iter().enumerate() {
            assert!(
                EVENT_TYPES[..i].iter().all(|o| o.name != t.name),
                "{} twice",
                t.name
            );
            assert_eq!(t.name.split('.').next(), Some(t.group), "{}", t.name);
            assert!(!t.description.is_empty());
            assert!(
                crate::rule::EventPattern::parse(t.name).is_ok(),
                "{} is a valid pattern",
                t.name
            );
            assert!(
                !(t.destructive && t.group != "audit"),
                "only audit actions are destructive"
            );
        }
    }

    #[test]
    fn defaults_are_the_admin_panel_defaults() {
        let defaults: Vec<&str> = Preset::Defaults.types().collect();
        assert_eq!(
            defaults,
            [
                "deploy.success",
                "deploy.failure",
                "service.health.down",
                "service.health.recovered",
                "backup.failure",
                "quota.warning",
                "quota.exceeded",
                "ssl.expiring",
            ]
        );
        for off in [
            "deploy.started",
            "service.started",
            "service.stopped",
            "backup.success",
            "notification.test",
        ] {
            assert!(!find(off).unwrap().default, "{off}");
        }
    }

    #[test]
    fn the_destructive_preset_holds_deletions_and_the_admin_password() {
        let destructive: Vec<&str> = Preset::Destructive.types().collect();
        assert!(destructive.contains(&"audit.domain.delete"));
        assert!(destructive.contains(&"audit.mailbox.delete"));
        assert!(destructive.contains(&"audit.settings.admin_password_update"));
        assert!(!destructive.contains(&"audit.domain.create"));
    }

    #[test]
    fn patterns_name_presets_with_an_at_sign() {
        assert_eq!(Preset::named_by("deploy.*"), None);
        assert_eq!(Preset::named_by("@defaults"), Some(Ok(Preset::Defaults)));
        assert_eq!(
            Preset::named_by("@destructive"),
            Some(Ok(Preset::Destructive))
        );
        let err = Preset::named_by("@nope").unwrap().unwrap_err();
        assert!(err.contains("@defaults, @destructive"), "{err}");
    }

    #[test]
    fn tocsin_audit_types_are_catalogued_and_told_apart_from_sources_audit_types() {
        let ours: Vec<&str> = EVENT_TYPES
            .iter()
            .map(|t| t.name)
            .filter(|t| is_tocsin_audit(t))
            .collect();
        assert!(ours.contains(&"audit.channel.created"));
        assert!(ours.contains(&"audit.token.revoked"));
        assert!(!is_tocsin_audit("audit.token.revoke"), "a source's own");
        assert!(!is_tocsin_audit("audit.domain.delete"));
        assert!(!is_tocsin_audit("audit.channel"));
        let destructive: Vec<&str> = Preset::Destructive.types().collect();
        assert!(destructive.contains(&"audit.channel.deleted"));
        assert!(!destructive.contains(&"audit.channel.created"));
    }

    #[test]
    fn test_sends_and_tocsin_events_are_never_routed() {
        assert!(never_routed("notification.test").is_some());
        assert!(never_routed("tocsin.delivery.failed").is_some());
        assert!(never_routed("notification.testing").is_none());
        assert!(never_routed("deploy.success").is_none());
        assert!(never_routed("tocsinx.a").is_none());
    }
}
