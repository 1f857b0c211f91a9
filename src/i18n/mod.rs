//! Translations with Project Fluent: every user-visible string comes from a locale file, so adding
//! Traditional Chinese is a new `.ftl` file, not a retrofit.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Supported languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English.
    En,
}

impl Locale {
    /// BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Locale::En => include_str!("en.ftl"),
        }
    }
}

thread_local! {
    // Parsed bundles are immutable caches of the embedded locale files, built once per locale.
    static BUNDLES: RefCell<HashMap<Locale, Rc<FluentBundle<FluentResource>>>> = RefCell::new(HashMap::new());
}

fn bundle(locale: Locale) -> Rc<FluentBundle<FluentResource>> {
    BUNDLES.with(|b| {
        b.borrow_mut()
            .entry(locale)
            .or_insert_with(|| {
                let resource =
                    FluentResource::try_new(locale.source().to_string()).expect("locale file parses");
                let lang = locale.tag().parse().expect("valid language tag");
                let mut bundle = FluentBundle::new(vec![lang]);
                // Isolation marks would show as stray characters around inserted names in plain text.
                bundle.set_use_isolating(false);
                bundle.add_resource(resource).expect("no duplicate keys");
                Rc::new(bundle)
            })
            .clone()
    })
}

/// Looks up `key` in `locale`, filling in `args`; a missing key shows the key itself.
pub fn translate(locale: Locale, key: &str, args: Option<&FluentArgs>) -> String {
    let bundle = bundle(locale);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut errors = vec![];
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

/// The app's translator, provided as context by `App`.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The current locale (reactive).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The string for `key` in the current locale (reactive).
    pub fn t(&self, key: &str) -> String {
        translate(self.locale.get(), key, None)
    }

    /// The string for `key` with named arguments.
    pub fn t_args<'a>(
        &self,
        key: &str,
        args: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>,
    ) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(k, v);
        }
        translate(self.locale.get(), key, Some(&fa))
    }

    /// A closure for views and attributes: `{i18n.tr("nav-home")}` re-renders when the locale changes.
    pub fn tr(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(key)
    }
}

/// Provides the translator for the app.
pub fn provide_i18n() -> I18n {
    let i18n = I18n { locale: RwSignal::new(Locale::En) };
    provide_context(i18n);
    i18n
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
        assert_eq!(translate(Locale::En, "nav-home", None), "Home");
        let mut args = FluentArgs::new();
        args.set("width", 40);
        args.set("height", 80);
        assert_eq!(translate(Locale::En, "image-result-alt", Some(&args)), "Edited image (40 × 80)");
        assert_eq!(translate(Locale::En, "no-such-key", None), "no-such-key");
    }

    #[test]
    fn every_key_used_in_the_source_exists() {
        // Scan the SPA sources for .t("…"), .tr("…") and .t_args("…") calls and check each key resolves.
        let src_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = vec![];
        let mut checked = 0;
        let mut stack = vec![src_dir];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/mod.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for call in [".t(\"", ".tr(\"", ".t_args(\""] {
                        for part in text.split(call).skip(1) {
                            let key = part.split('"').next().unwrap();
                            checked += 1;
                            if bundle(Locale::En).get_message(key).is_none() {
                                missing.push(format!("{}: {key}", path.display()));
                            }
                        }
                    }
                    // Keys chosen by a `match` and looked up later (menu options, error kinds).
                    for part in text.split('"').skip(1).step_by(2) {
                        let is_key = ["param-", "prep-"].iter().any(|p| part.starts_with(p))
                            && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                        if is_key {
                            checked += 1;
                            if bundle(Locale::En).get_message(part).is_none() {
                                missing.push(format!("{}: {part}", path.display()));
                            }
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:?}");
        assert!(checked > 50, "the scan found only {checked} lookups: is the pattern still right?");
    }
}
