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
        // Numbers (counts in plural messages) are grouped the language's way.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            let lang = bundle.locales.first().and_then(|l| Lang::parse(&l.to_string()));
            bundle.set_formatter(Some(number_formatter(lang.unwrap_or(Lang::En))));
        },
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

/// A whole number as `lang` groups its digits (`1,234`, `1.234`, `1 234`); `None` leaves
/// other values to Fluent.
fn grouped(lang: Lang, value: &FluentValue) -> Option<String> {
    match value {
        FluentValue::Number(n) if n.value.fract() == 0.0 && n.value.abs() < 1e15 => {
            Some(super::format::integer(lang, n.value as i64))
        }
        _ => None,
    }
}

/// Fluent takes a plain function as a bundle's number formatter: one per language.
fn number_formatter<M>(lang: Lang) -> fn(&FluentValue, &M) -> Option<String> {
    fn en<M>(v: &FluentValue, _: &M) -> Option<String> {
        grouped(Lang::En, v)
    }
    fn de<M>(v: &FluentValue, _: &M) -> Option<String> {
        grouped(Lang::De, v)
    }
    fn es<M>(v: &FluentValue, _: &M) -> Option<String> {
        grouped(Lang::Es, v)
    }
    fn fr<M>(v: &FluentValue, _: &M) -> Option<String> {
        grouped(Lang::Fr, v)
    }
    fn ja<M>(v: &FluentValue, _: &M) -> Option<String> {
        grouped(Lang::Ja, v)
    }
    fn zh<M>(v: &FluentValue, _: &M) -> Option<String> {
        grouped(Lang::ZhCn, v)
    }
    match lang {
        Lang::En => en::<M>,
        Lang::De => de::<M>,
        Lang::Es => es::<M>,
        Lang::Fr => fr::<M>,
        Lang::Ja => ja::<M>,
        Lang::ZhCn => zh::<M>,
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
        // Counts are grouped as each language writes numbers.
        assert_eq!(en.n("count-failures", 12_345), "12,345 failures");
        assert_eq!(
            Tr::new(Lang::De).n("count-failures", 12_345),
            "12.345 Fehlschläge"
        );
        assert_eq!(fr.n("count-failures", 12_345), "12\u{202f}345 échecs");
    }
}
