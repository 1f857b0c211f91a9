//! Translations: every user-visible string comes from a locale file (Fluent syntax, read by
//! `vinano_api::l10n`) — English, Traditional Chinese (`zh-Hant.ftl`) and Simplified Chinese
//! (`zh-Hans.ftl`, converted from the Traditional file with OpenCC and then edited). The language is the
//! signed-in person's choice (Me → Account), or before that the browser's.

use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::wasm_split;
use leptos::wasm_split::SplitLoaderError;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use vinano_api::l10n::{Catalog, Value};

/// Supported languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English.
    En,
    /// Traditional Chinese.
    ZhHant,
    /// Simplified Chinese.
    ZhHans,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::ZhHant, Locale::ZhHans];

    /// BCP 47 tag, for `<html lang>` and the account's language setting.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhHant => "zh-Hant",
            Locale::ZhHans => "zh-Hans",
        }
    }

    /// The language's own name, as a language picker shows it.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhHant => "繁體中文",
            Locale::ZhHans => "简体中文",
        }
    }

    /// The locale for a language tag: the account's setting (`en`, `zh-Hant`, `zh-Hans`) or a browser's
    /// (`zh-TW`, `zh-HK` and `zh-MO` are Traditional; other Chinese is Simplified); anything else is English.
    pub fn from_tag(tag: &str) -> Locale {
        let tag = tag.to_ascii_lowercase();
        if !(tag == "zh" || tag.starts_with("zh-")) {
            return Locale::En;
        }
        let traditional = ["hant", "tw", "hk", "mo"];
        if tag.split('-').skip(1).any(|part| traditional.contains(&part)) {
            Locale::ZhHant
        } else {
            Locale::ZhHans
        }
    }

    /// English, always in the bundle: the frame's words and the server's errors. A page chunk brings its
    /// own English words with it ([`Part`]); what the editor says about an edit (replies, steps, reasons)
    /// always comes with its English from the server, which `said` shows.
    fn english() -> Sources {
        Sources { app: include_str!("en.ftl"), server: vinano_api::problem::EN_GENERAL }
    }
}

/// A language's locale files: the app's words and the server's messages.
#[derive(Debug, Clone, Copy)]
struct Sources {
    app: &'static str,
    server: &'static str,
}

// Each Chinese locale is its own chunk (as the pages are, src/routes.rs), loaded when that language is
// first needed: a visitor in English downloads English only.
#[cfg_attr(feature = "split", wasm_split(locale_zh_hant, fallible, wasm_split_path = ::leptos::wasm_split))]
fn zh_hant_sources() -> Result<Sources, SplitLoaderError> {
    Ok(Sources { app: include_str!("zh-Hant.ftl"), server: vinano_api::problem::ZH_HANT })
}

#[cfg_attr(feature = "split", wasm_split(locale_zh_hans, fallible, wasm_split_path = ::leptos::wasm_split))]
fn zh_hans_sources() -> Result<Sources, SplitLoaderError> {
    Ok(Sources { app: include_str!("zh-Hans.ftl"), server: vinano_api::problem::ZH_HANS })
}

/// The English words of a part of the app that is its own chunk (`src/routes.rs`), brought with it: a
/// visitor who never opens Me downloads none of Me's words. (Each Chinese locale has every word: it is a
/// chunk of its own already.) A key in a part is used only by that part's code (a test checks), so it is
/// in the catalogue before anything asks for it.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    name: &'static str,
    words: &'static str,
}

/// The editor's words (`en-editor.ftl`).
pub const EDITOR: Part = Part { name: "editor", words: include_str!("en-editor.ftl") };
/// Me's, the checkout's and Me → Admin's words (`en-me.ftl`).
pub const ME: Part = Part { name: "me", words: include_str!("en-me.ftl") };
/// The sign-in and e-mail link pages' words (`en-account.ftl`).
pub const ACCOUNT: Part = Part { name: "account", words: include_str!("en-account.ftl") };
/// The widget's page's words (`en-embed.ftl`).
pub const EMBED: Part = Part { name: "embed", words: include_str!("en-embed.ftl") };
/// The words of Home's part for a signed-in person (`en-home.ftl`).
pub const HOME: Part = Part { name: "home", words: include_str!("en-home.ftl") };
/// The words of Home's tour for a visitor (`en-tour.ftl`).
pub const TOUR: Part = Part { name: "tour", words: include_str!("en-tour.ftl") };
/// AI Tools' words (`en-tools.ftl`).
pub const TOOLS: Part = Part { name: "tools", words: include_str!("en-tools.ftl") };
/// The shared page's words (`en-share.ftl`).
pub const SHARE: Part = Part { name: "share", words: include_str!("en-share.ftl") };
/// The server's messages about the widget and partners, which only the widget's page and Me → Admin say.
pub const WIDGET: Part = Part { name: "widget", words: vinano_api::problem::EN_WIDGET };

/// Every part: a build without the `split` feature (tests, `trunk serve`) has them all from the start.
#[cfg(not(feature = "split"))]
const PARTS: [Part; 9] = [EDITOR, ME, ACCOUNT, EMBED, SHARE, HOME, TOUR, TOOLS, WIDGET];

/// The parts in the catalogue from the start: all without the `split` feature, none with it.
fn every_part_unless_split() -> Vec<Part> {
    #[cfg(not(feature = "split"))]
    return PARTS.to_vec();
    #[cfg(feature = "split")]
    Vec::new()
}

/// Adds `parts`' English words to the catalogue (a page's chunk calls this before it shows anything).
pub fn bring(parts: &[Part]) {
    let added = BROUGHT.with(|b| {
        let mut brought = b.borrow_mut();
        let before = brought.len();
        for part in parts {
            if !brought.iter().any(|p| p.name == part.name) {
                brought.push(*part);
            }
        }
        brought.len() > before
    });
    if added {
        CATALOGS.with(|c| c.borrow_mut().remove(&Locale::En));
    }
}

thread_local! {
    // The parts whose English words are in the catalogue.
    static BROUGHT: RefCell<Vec<Part>> = RefCell::new(every_part_unless_split());
    // The languages loaded so far (English always is).
    static LOADED: RefCell<HashMap<Locale, Sources>> =
        RefCell::new(HashMap::from([(Locale::En, Locale::english())]));
    // Parsed catalogs are immutable caches of the locale files, built once per locale.
    static CATALOGS: RefCell<HashMap<Locale, Rc<Catalog>>> = RefCell::new(HashMap::new());
}

/// The sources of `locale`, if they are loaded. Without the `split` feature every language is in the
/// bundle, so this never waits.
fn loaded(locale: Locale) -> Option<Sources> {
    if let Some(sources) = LOADED.with(|l| l.borrow().get(&locale).copied()) {
        return Some(sources);
    }
    #[cfg(not(feature = "split"))]
    {
        let sources = match locale {
            Locale::En => Locale::english(),
            Locale::ZhHant => zh_hant_sources().ok()?,
            Locale::ZhHans => zh_hans_sources().ok()?,
        };
        LOADED.with(|l| l.borrow_mut().insert(locale, sources));
        Some(sources)
    }
    #[cfg(feature = "split")]
    None
}

/// Loads `locale`'s words if they aren't yet (a chunk download); whether they are now.
pub async fn load(locale: Locale) -> bool {
    if loaded(locale).is_some() {
        return true;
    }
    #[cfg(feature = "split")]
    {
        let sources = match locale {
            Locale::En => Ok(Locale::english()),
            Locale::ZhHant => zh_hant_sources().await,
            Locale::ZhHans => zh_hans_sources().await,
        };
        if let Ok(sources) = sources {
            LOADED.with(|l| l.borrow_mut().insert(locale, sources));
            return true;
        }
    }
    false
}

/// Loads `locale` for the app's start, waiting at most `patience`: a stalled download must not keep the app
/// from starting (it starts in English, and switches when the words arrive).
pub async fn load_for_start(locale: Locale, patience: std::time::Duration) {
    if loaded(locale).is_some() {
        return;
    }
    let loading = wasm_bindgen_futures::future_to_promise(async move {
        Ok(wasm_bindgen::JsValue::from_bool(load(locale).await))
    });
    let waiting = wasm_bindgen_futures::future_to_promise(async move {
        crate::state::connectivity::sleep(patience).await;
        Ok(wasm_bindgen::JsValue::FALSE)
    });
    let first = js_sys::Promise::race(&js_sys::Array::of2(&loading, &waiting));
    let _ = wasm_bindgen_futures::JsFuture::from(first).await;
}

fn catalog(locale: Locale) -> Rc<Catalog> {
    // A language still loading (or whose download failed) is said in English meanwhile.
    let (locale, sources) = match loaded(locale) {
        Some(sources) => (locale, sources),
        None => (Locale::En, Locale::english()),
    };
    CATALOGS.with(|c| {
        c.borrow_mut()
            .entry(locale)
            .or_insert_with(|| {
                let mut catalog = Catalog::new(locale.tag());
                catalog.add(sources.app).expect("the app's locale file parses");
                // The server's messages and the shared input rules, from the contract crate.
                catalog.add(sources.server).expect("the shared locale file parses, with no key of the app's");
                if locale == Locale::En {
                    for part in BROUGHT.with(|b| b.borrow().clone()) {
                        catalog.add(part.words).expect("a part's words parse, with keys of its own");
                    }
                }
                Rc::new(catalog)
            })
            .clone()
    })
}

/// Looks up `key` in `locale`, filling in `values`; a missing key shows the key itself.
pub fn translate(locale: Locale, key: &str, values: &[(&str, Value<'_>)]) -> String {
    catalog(locale).format(key, values).unwrap_or_else(|| key.to_string())
}

/// The app's translator, provided as context by `App`.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
    /// The language last asked for (it may still be loading).
    wanted: StoredValue<Locale>,
}

impl I18n {
    fn new(locale: Locale) -> I18n {
        I18n { locale: RwSignal::new(locale), wanted: StoredValue::new(locale) }
    }

    /// The current locale (reactive).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// Switches the language (everything on screen follows), once its words are loaded; the last one asked
    /// for wins.
    pub fn set_locale(&self, locale: Locale) {
        self.wanted.set_value(locale);
        if loaded(locale).is_some() {
            if self.locale.get_untracked() != locale {
                self.locale.set(locale);
            }
            return;
        }
        let this = *self;
        leptos::task::spawn_local(async move {
            if load(locale).await && this.wanted.get_value() == locale {
                this.locale.set(locale);
            }
        });
    }

    /// The string for `key` in the current locale (reactive).
    pub fn t(&self, key: &str) -> String {
        translate(self.locale.get(), key, &[])
    }

    /// The string for `key` with named arguments.
    pub fn t_args<'a>(&self, key: &str, args: impl IntoIterator<Item = (&'a str, Value<'a>)>) -> String {
        let values: Vec<(&str, Value<'_>)> = args.into_iter().collect();
        translate(self.locale.get(), key, &values)
    }

    /// The server's message `key` with its values, or `None` when this app doesn't know the key.
    pub fn say(&self, key: &str, args: &vinano_api::Args) -> Option<String> {
        vinano_api::problem::words::format(&catalog(self.locale.get()), key, args)
    }

    /// Words the server stored for the person (a reply, why a job failed, a note), in the current
    /// language; its `english` when it came without a key (older records) or with one this app doesn't know.
    pub fn said(&self, said: Option<&vinano_api::Said>, english: &str) -> String {
        said.and_then(|s| self.say(&s.key, &s.args)).unwrap_or_else(|| english.to_string())
    }

    /// A problem found by the shared input rules, in the current language.
    pub fn problem(&self, problem: &vinano_api::Problem) -> String {
        self.say(problem.msg.key(), &problem.args).unwrap_or_else(|| problem.msg.key().to_string())
    }

    /// A closure for views and attributes: `{i18n.tr("nav-home")}` re-renders when the locale changes.
    pub fn tr(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(key)
    }
}

/// The browser's preferred supported language (English when none is).
pub fn browser_locale() -> Locale {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return Locale::En };
    navigator
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .chain(navigator.language())
        .map(|tag| {
            (tag.to_ascii_lowercase().starts_with("en") || tag.to_ascii_lowercase().starts_with("zh"), tag)
        })
        .find(|(supported, _)| *supported)
        .map_or(Locale::En, |(_, tag)| Locale::from_tag(&tag))
}

/// Provides the translator for the app, in the browser's language until someone signs in (main.rs loads
/// that language's words before the app starts; English until they are there).
pub fn provide_i18n() -> I18n {
    let start = browser_locale();
    let i18n = I18n::new(if loaded(start).is_some() { start } else { Locale::En });
    // Its words didn't arrive in time (or failed): asked again, and shown when they come.
    i18n.set_locale(start);
    provide_context(i18n);
    i18n
}

impl I18n {
    /// A translator fixed to `locale`, for unit tests of what a page says.
    #[cfg(test)]
    pub(crate) fn for_test(locale: Locale) -> I18n {
        I18n::new(locale)
    }
}

/// The app's translator.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().expect("I18n is provided by App")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_resolves_keys_and_arguments() {
        assert_eq!(translate(Locale::En, "nav-home", &[]), "Home");
        let args = [("width", 40.into()), ("height", 80.into()), ("steps", "rotate 90° clockwise".into())];
        assert_eq!(
            translate(Locale::En, "image-result-alt", &args),
            "Edited image: rotate 90° clockwise (40 × 80)"
        );
        assert_eq!(translate(Locale::En, "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn language_tags_pick_the_right_script() {
        for (tag, locale) in [
            ("en", Locale::En),
            ("en-GB", Locale::En),
            ("fr", Locale::En),
            ("zh-Hant", Locale::ZhHant),
            ("zh-TW", Locale::ZhHant),
            ("zh-HK", Locale::ZhHant),
            ("zh-Hant-HK", Locale::ZhHant),
            ("zh-Hans", Locale::ZhHans),
            ("zh-CN", Locale::ZhHans),
            ("zh", Locale::ZhHans),
            ("zhx", Locale::En),
        ] {
            assert_eq!(Locale::from_tag(tag), locale, "{tag}");
        }
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), locale);
        }
        // The app's languages are the ones an account may choose.
        assert_eq!(Locale::ALL.map(Locale::tag), vinano_api::validate::LANGUAGES);
    }

    fn keys_and_variables(
        locale: Locale,
    ) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let sources = loaded(locale).expect("every language is in a test build");
        let mut app = sources.app.to_string();
        if locale == Locale::En {
            for part in PARTS.iter().filter(|p| p.name != WIDGET.name) {
                app.push('\n');
                app.push_str(part.words);
            }
        }
        vinano_api::problem::keys_and_variables(&app)
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let english = keys_and_variables(Locale::En);
        assert!(english.len() > 250, "{} keys", english.len());
        for locale in [Locale::ZhHant, Locale::ZhHans] {
            let other = keys_and_variables(locale);
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{locale:?}: missing {missing:?}, extra {extra:?}"
            );
            for (key, vars) in &english {
                assert_eq!(&other[key], vars, "{locale:?} {key} uses other variables");
                // Every message formats (the catalog parses, the variables fill in) and is translated.
                let args: Vec<(&str, Value<'_>)> = vars.iter().map(|v| (v.as_str(), 2.into())).collect();
                let text = translate(locale, key, &args);
                assert!(!text.is_empty() && text != *key, "{locale:?} {key}");
            }
        }
        assert_eq!(translate(Locale::ZhHant, "nav-home", &[]), "首頁");
        assert_eq!(translate(Locale::ZhHans, "nav-home", &[]), "首页");
    }

    /// The SPA's Rust sources but this file: `(path from src/, text)`.
    fn app_sources() -> Vec<(String, String)> {
        let src_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = vec![];
        let mut stack = vec![src_dir.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/mod.rs") {
                    let name = path.strip_prefix(&src_dir).unwrap().to_string_lossy().replace('\\', "/");
                    out.push((name, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out
    }

    /// The part whose chunk holds the source file `path` (from src/), if any: as `src/routes.rs` splits.
    fn part_of(path: &str) -> Option<&'static str> {
        let me =
            path.starts_with("pages/me/") || path.starts_with("pages/admin/") || path == "pages/checkout.rs";
        match path {
            _ if path.starts_with("pages/image/") => Some(EDITOR.name),
            _ if me => Some(ME.name),
            "pages/auth.rs" | "pages/email_links.rs" => Some(ACCOUNT.name),
            _ if path.starts_with("pages/embed/") => Some(EMBED.name),
            "pages/share.rs" => Some(SHARE.name),
            "pages/start.rs" => Some(HOME.name),
            "pages/tour.rs" => Some(TOUR.name),
            _ if path.starts_with("pages/tools/") => Some(TOOLS.name),
            _ => None,
        }
    }

    #[test]
    fn a_parts_words_are_used_only_by_its_own_chunk() {
        let sources = app_sources();
        let mut strays = vec![];
        let mut checked = 0;
        for part in [EDITOR, ME, ACCOUNT, EMBED, SHARE, HOME, TOUR, TOOLS] {
            for key in vinano_api::problem::keys_and_variables(part.words).keys() {
                let quoted = format!("\"{key}\"");
                for (path, _) in sources.iter().filter(|(_, text)| text.contains(&quoted)) {
                    checked += 1;
                    if part_of(path) != Some(part.name) {
                        strays.push(format!("{key} ({} words) is used by {path}", part.name));
                    }
                }
            }
        }
        assert!(strays.is_empty(), "keys used outside their part's chunk: {strays:?}");
        assert!(checked > 300, "only {checked} uses found: is the scan still right?");
    }

    #[test]
    fn every_key_used_in_the_source_exists() {
        // Scan the SPA sources for .t("…"), .tr("…") and .t_args("…") calls and check each key resolves.
        let mut missing = vec![];
        let mut checked = 0;
        for (path, text) in app_sources() {
            for call in [".t(\"", ".tr(\"", ".t_args(\""] {
                for part in text.split(call).skip(1) {
                    let key = part.split('"').next().unwrap();
                    checked += 1;
                    if !catalog(Locale::En).has(key) {
                        missing.push(format!("{path}: {key}"));
                    }
                }
            }
            // Keys chosen by a `match` and looked up later (menu options, error kinds).
            for part in text.split('"').skip(1).step_by(2) {
                let is_key = ["param-", "prep-", "error-", "data-request-", "consent-"]
                    .iter()
                    .any(|p| part.starts_with(p))
                    && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if is_key {
                    checked += 1;
                    if !catalog(Locale::En).has(part) {
                        missing.push(format!("{path}: {part}"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:?}");
        assert!(checked > 50, "the scan found only {checked} lookups: is the pattern still right?");
    }
}
