//! The server's words in the three languages: the messages of the shared locale files
//! (`vinano_api::problem::LOCALES`), for the English `message` of every error answer, and the server's own
//! files (`crates/server/locales/`: the emails and the export's page), written in the account's language.

use std::sync::OnceLock;
use vinano_api::l10n::Catalog;
use vinano_api::problem::{words, LOCALES};
use vinano_api::{Args, Problem, Said};

/// The server's own locale files, in the order of `LOCALES`.
pub const SERVER_LOCALES: [&str; 3] = [
    include_str!("../locales/en.ftl"),
    include_str!("../locales/zh-Hant.ftl"),
    include_str!("../locales/zh-Hans.ftl"),
];

/// One catalog per language, in the order of `LOCALES`: the shared messages and the server's own.
fn catalogs() -> &'static [Catalog] {
    static CATALOGS: OnceLock<Vec<Catalog>> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        LOCALES
            .iter()
            .zip(SERVER_LOCALES)
            .map(|((tag, _), own)| {
                let mut catalog = words::catalog(tag);
                catalog.add(own).expect("the server's locale file parses, with no key of the shared files");
                catalog
            })
            .collect()
    })
}

/// Parses the locale files now (at start), not inside the first request that needs them.
pub fn warm() {
    let _ = catalogs();
}

/// The message `key` with `args` in the language `tag` (`en`, `zh-Hant`, `zh-Hans`; English for any other).
pub fn text(tag: &str, key: &str, args: &Args) -> String {
    let index = LOCALES.iter().position(|(t, _)| *t == tag).unwrap_or(0);
    words::format(&catalogs()[index], key, args).unwrap_or_else(|| key.to_string())
}

/// `problem` in the language `tag`.
pub fn say(tag: &str, problem: &Problem) -> String {
    text(tag, problem.msg.key(), &problem.args)
}

/// `problem` in English.
pub fn english(problem: &Problem) -> String {
    say("en", problem)
}

/// `problem` as it is stored beside its English: the JSON of its key and values.
pub fn stored(problem: &Problem) -> String {
    serde_json::to_string(&Said::from(problem.clone())).expect("a message serializes")
}

/// A stored message key back (none for rows written before keys were kept).
pub fn said(column: Option<String>) -> Option<Said> {
    column.and_then(|json| serde_json::from_str(&json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vinano_api::problem::keys_and_variables;

    #[test]
    fn every_email_and_page_text_is_written_in_every_language_with_the_same_values() {
        let english = keys_and_variables(SERVER_LOCALES[0]);
        assert!(english.len() >= 39, "{english:?}");
        for ((tag, _), source) in LOCALES.iter().zip(SERVER_LOCALES) {
            let keys = keys_and_variables(source);
            assert_eq!(keys, english, "{tag}");
            for (key, vars) in &keys {
                let args: Args =
                    vars.iter().map(|v| (v.clone(), vinano_api::Arg::Text(format!("<{v}>")))).collect();
                let said = text(tag, key, &args);
                assert!(said != *key && !said.contains('{'), "{tag} {key}: {said}");
                for var in vars.iter().filter(|v| *v != "how") {
                    assert!(said.contains(&format!("<{var}>")), "{tag} {key} leaves out {var}: {said}");
                }
            }
        }
    }

    #[test]
    fn emails_keep_their_paragraphs_and_choices() {
        let mut args = Args::new();
        for (k, v) in
            [("name", "Ada"), ("how", "reset"), ("when", "2026-12-01 20:57 UTC"), ("site", "https://x")]
        {
            args.insert(k.into(), vinano_api::Arg::Text(v.into()));
        }
        let body = text("en", "mail-password-changed-body", &args);
        assert!(body.starts_with("Hello Ada,\n\nThe password of your ViNano account was reset with an emailed link on 2026-12-01 20:57 UTC.\n\n"), "{body}");
        assert!(body.ends_with("\n\n— ViNano"), "{body}");
        let zh = text("zh-Hant", "mail-password-changed-body", &args);
        assert!(zh.contains("透過電子郵件連結重設"), "{zh}");
        let export = text("zh-Hans", "mail-export-body", &args);
        assert!(export.contains("\n\n  https://x/me/data\n\n"), "{export}");
    }
}
