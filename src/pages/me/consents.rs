//! Me → Privacy → the consent history: every entry of the ledger in words ("Usage analytics: on → off ·
//! in Me → Privacy · privacy policy 2025-01"), newest first, as a list that reads as well on a phone as on a
//! desktop.

use crate::components::time::use_clock;
use crate::i18n::{use_i18n, I18n};
use leptos::prelude::*;
use vinano_api::ConsentEntry;

/// What an entry is about, in words (the ledger's code when it is one this version doesn't know).
fn what(i18n: I18n, code: &str) -> String {
    let key = match code {
        "terms" => "consent-what-terms",
        "privacy_policy" => "consent-what-privacy-policy",
        "user_responsibility" => "consent-what-user-responsibility",
        "ai_training" => "consent-what-ai-training",
        "analytics" => "consent-what-analytics",
        "email_news" => "consent-what-email-news",
        "email_tips" => "consent-what-email-tips",
        "global_privacy_control" => "consent-what-gpc",
        // One image's own consent: `training_consent:image:<id>`.
        _ if code.starts_with("training_consent:image:") => "consent-what-image",
        _ => return code.to_string(),
    };
    i18n.t(key)
}

/// A value before or after, in words; `accepted 2025-01` (a policy accepted earlier) keeps its version.
fn value(i18n: I18n, code: &str) -> String {
    let (word, version) = code.split_once(' ').unwrap_or((code, ""));
    let key = match word {
        "accepted" => "consent-value-accepted",
        "on" => "consent-value-on",
        "off" => "consent-value-off",
        "applied" => "consent-value-applied",
        "given" => "consent-value-given",
        "none" => "consent-value-none",
        "withdrawn" => "consent-value-withdrawn",
        _ => return code.to_string(),
    };
    let word = i18n.t(key);
    if version.is_empty() {
        word
    } else {
        format!("{word} {version}")
    }
}

/// Where the change came from, in words.
fn source(i18n: I18n, code: &str) -> String {
    let key = match code {
        "signup" => "consent-source-signup",
        "settings" => "consent-source-settings",
        "gpc" => "consent-source-gpc",
        "image" => "consent-source-image",
        "banner" => "consent-source-banner",
        _ => return code.to_string(),
    };
    i18n.t(key)
}

/// One entry as a sentence's parts: (what, the change, when · how · which policy).
fn describe(i18n: I18n, entry: &ConsentEntry, when: String) -> (String, String, String) {
    let change = match &entry.old_value {
        Some(old) => format!("{} → {}", value(i18n, old), value(i18n, &entry.new_value)),
        None => value(i18n, &entry.new_value),
    };
    // The terms and the responsibility statement carry their own version; every other entry, the policy's.
    let version = entry.policy_version.clone().into();
    let policy = if ["terms", "user_responsibility"].contains(&entry.what.as_str()) {
        i18n.t_args("consent-version", [("version", version)])
    } else {
        i18n.t_args("consent-policy", [("version", version)])
    };
    (what(i18n, &entry.what), change, format!("{when} · {} · {policy}", source(i18n, &entry.source)))
}

/// The ledger, newest first.
#[component]
pub(super) fn ConsentLog(
    /// The entries, newest first.
    entries: RwSignal<Vec<ConsentEntry>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    view! {
        <h3 id="consents-title">{i18n.tr("me-consents")}</h3>
        <ol class="consents" aria-labelledby="consents-title">
            {move || {
                entries
                    .get()
                    .into_iter()
                    .map(|entry| {
                        let (what, change, context) = describe(i18n, &entry, clock.minute(&entry.at));
                        view! {
                            <li>
                                <span class="entry-what">{what}</span>
                                ": "
                                <span class="entry-change">{change}</span>
                                <small class="muted">{context}</small>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn entry(what: &str, old: Option<&str>, new: &str, source: &str) -> ConsentEntry {
        serde_json::from_value(serde_json::json!({
            "what": what, "old_value": old, "new_value": new, "policy_version": "2025-01",
            "source": source, "at": "2026-12-02T08:06:00Z",
        }))
        .unwrap()
    }

    #[test]
    fn every_code_the_server_writes_is_said_in_words() {
        let owner = Owner::new();
        owner.with(|| {
            let i18n = I18n::for_test(Locale::En);
            let said = |e: &ConsentEntry| describe(i18n, e, "when".into());
            assert_eq!(
                said(&entry("analytics", Some("on"), "off", "settings")),
                (
                    "Usage analytics".into(),
                    "on → off".into(),
                    "when · in Me → Privacy · privacy policy 2025-01".into()
                )
            );
            let image = said(&entry("training_consent:image:ab12", Some("none"), "given", "image"));
            assert_eq!(
                (image.0.as_str(), image.1.as_str()),
                ("AI training on one commercial image", "no consent → consent given")
            );
            let policy = said(&entry("privacy_policy", Some("accepted 2025-01"), "accepted", "banner"));
            assert_eq!(policy.1, "accepted 2025-01 → accepted");
            assert!(policy.2.contains("from the notice of a new policy"));
            for what in [
                "terms",
                "privacy_policy",
                "user_responsibility",
                "ai_training",
                "email_news",
                "email_tips",
                "global_privacy_control",
            ] {
                assert_ne!(said(&entry(what, None, "accepted", "signup")).0, what);
            }
            for code in ["signup", "settings", "gpc", "image", "banner"] {
                assert_ne!(source(i18n, code), code);
            }
            // (In English some values are the codes' own words: Chinese tells them apart.)
            let zh = I18n::for_test(Locale::ZhHant);
            for code in ["accepted", "on", "off", "applied", "given", "none", "withdrawn"] {
                assert_ne!(value(zh, code), code);
            }
            // A code this version doesn't know is shown as it is, not hidden.
            assert_eq!(said(&entry("something_new", None, "maybe", "api")).0, "something_new");
            let zh = describe(
                I18n::for_test(Locale::ZhHant),
                &entry("terms", None, "accepted", "signup"),
                "t".into(),
            );
            assert_eq!(zh.0, "服務條款");
        });
    }
}
