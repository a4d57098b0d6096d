//! The UI's languages: Fluent messages from `locales/<lang>/ui.ftl` (embedded at build
//! time), the choice of a request's language, and lookups with CLDR plurals.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: ids and names are left-to-right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
    Es,
    Fr,
    Ja,
    ZhCn,
}

/// The cookie that remembers the language picked in the switcher.
pub const LANG_COOKIE: &str = "tocsin_lang";

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::De, Lang::Es, Lang::Fr, Lang::Ja, Lang::ZhCn];

    /// The BCP 47 tag, also the folder under `locales/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's name in itself, as a switcher shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::Ja => "日本語",
            Lang::ZhCn => "简体中文",
        }
    }

    /// A tag as a cookie or `Accept-Language` gives it: exact, or by its primary subtag.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            "es" => Some(Lang::Es),
            "fr" => Some(Lang::Fr),
            "ja" => Some(Lang::Ja),
            // Traditional Chinese readers are better served by English than by simplified.
            "zh" if !(tag.contains("hant") || tag.ends_with("-tw") || tag.ends_with("-hk")) => {
                Some(Lang::ZhCn)
            }
            _ => None,
        }
    }

    /// The language of a request: the switcher's cookie, then `Accept-Language` by
    /// quality, then English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = cookie.and_then(Lang::parse) {
            return lang;
        }
        let mut ranked: Vec<(f32, Lang)> = accept_language
            .unwrap_or_default()
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse().ok())
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        // Stable: among equal qualities the first listed wins.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map_or(Lang::En, |(_, l)| *l)
    }

    fn id(self) -> LanguageIdentifier {
        // The codes above are valid tags.
        self.code().parse().unwrap_or_default()
    }
}

/// Lookups in one language; what templates call as `c.tr.t("key")`.
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Lang,
    id: LanguageIdentifier,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            id: lang.id(),
        }
    }

    /// The message `key`; a missing key shows as itself, so it is seen and fixed.
    pub fn t(&self, key: &str) -> String {
        LOCALES
            .try_lookup(&self.id, key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.with(key, &[(name, FluentValue::from(value.to_string()))])
    }

    /// The message `key` with a count `$n`, for plural selection.
    pub fn n(&self, key: &str, n: u64) -> String {
        self.with(key, &[("n", FluentValue::from(n))])
    }

    pub fn with(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(&self.id, key, &map)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` when it exists, else `fallback` (provider schema texts).
    pub fn or(&self, key: &str, fallback: &str) -> String {
        LOCALES
            .try_lookup(&self.id, key)
            .unwrap_or_else(|| fallback.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_cookie_then_the_best_accepted_language() {
        assert_eq!(Lang::negotiate(Some("ja"), Some("de")), Lang::Ja);
        assert_eq!(
            Lang::negotiate(None, Some("it, fr-CH;q=0.9, de;q=0.95")),
            Lang::De
        );
        assert_eq!(Lang::negotiate(None, Some("zh-CN,zh;q=0.9")), Lang::ZhCn);
        assert_eq!(Lang::negotiate(None, Some("zh-TW")), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), None), Lang::En);
    }

    #[test]
    fn plurals_follow_each_language() {
        let en = Tr::new(Lang::En);
        assert_eq!(en.n("count-failures", 1), "1 failure");
        assert_eq!(en.n("count-failures", 2), "2 failures");
        let fr = Tr::new(Lang::Fr);
        assert_eq!(fr.n("count-failures", 0), "0 échec");
        assert_eq!(fr.n("count-failures", 2), "2 échecs");
    }
}
