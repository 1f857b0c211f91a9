//! Instructions to tap instead of type: three examples in an empty conversation, and after a result, a
//! few likely next edits (ones the result hasn't had yet). A tap puts the words in the composer, ready to
//! send or change; nothing is sent by itself.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use vinano_api::ImageInfo;

/// The examples shown in an empty conversation (message keys).
pub const EXAMPLES: [&str; 3] = ["example-warm-square", "example-poster", "example-mono"];

/// Next edits, each with the steps (message keys of `op-*`) that mean it has been done already.
pub const NEXT: [(&str, &[&str]); 7] = [
    ("next-brighter", &["op-brightness", "op-exposure"]),
    ("next-square", &["op-crop-square", "op-crop-aspect"]),
    ("next-contrast", &["op-contrast"]),
    ("next-warmer", &["op-warmer", "op-cooler"]),
    ("next-mono", &["op-grayscale", "op-sepia"]),
    ("next-sharpen", &["op-sharpen", "op-blur"]),
    ("next-vignette", &["op-vignette"]),
];

/// Next edits of a poster ViNano drew: its words and background drawn again.
pub const POSTER: [&str; 2] = ["next-title-yellow", "next-poster-background"];

/// Next edits of the background, offered first when the server can do them (what people ask for most).
pub const BACKGROUND: [(&str, &[&str]); 2] = [
    (
        "next-cut-out",
        &["op-remove-background", "op-background-color", "op-background-gradient", "op-product-shot"],
    ),
    ("next-portrait", &["op-background-blur", "op-remove-background", "op-product-shot"]),
];

/// The next edits to offer after `image` (three at most; none for a clip or an image without steps); with
/// `background` (the server has the segmentation model), the background's first.
pub fn next_for(image: &ImageInfo, background: bool) -> Vec<&'static str> {
    let Some(generation) = &image.generation else { return Vec::new() };
    if image.content_type == "image/gif" || image.content_type.starts_with("video/") {
        return Vec::new();
    }
    let done: Vec<&str> = generation.steps_said.iter().map(|s| s.key.as_str()).collect();
    // A poster was made from words: it has no photographed background to take out.
    let photo = !done.contains(&"op-poster");
    let offered = if background && photo { &BACKGROUND[..] } else { &[] };
    let poster = if photo { &[][..] } else { &POSTER[..] };
    let rest = offered.iter().chain(NEXT.iter()).filter(|(_, ops)| !ops.iter().any(|op| done.contains(op)));
    poster.iter().copied().chain(rest.map(|(key, _)| *key)).take(3).collect()
}

/// Puts `words` in the composer and moves the focus there.
fn fill(text: RwSignal<String>, words: String) {
    text.set(words);
    if let Some(el) = document().get_element_by_id("instruction") {
        let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
    }
}

/// A row of tappable instructions.
#[component]
pub(super) fn Suggestions(
    /// Their message keys.
    keys: Vec<&'static str>,
    /// What the row is called (for screen readers).
    label: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = super::use_editor().draft;
    let chips = keys
        .into_iter()
        .map(|key| {
            view! {
                <li>
                    <button type="button" class="suggestion" on:click=move |_| fill(text, i18n.t(key))>
                        {i18n.tr(key)}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="suggestions" aria-label=i18n.tr(label)>{chips}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    /// Every suggestion, in every language, is something the local engine does (an example that answered
    /// "I didn't understand" would teach people the wrong thing).
    #[test]
    fn every_suggestion_in_every_language_is_understood() {
        for locale in Locale::ALL {
            let keys = EXAMPLES.iter().copied().chain(NEXT.iter().chain(&BACKGROUND).map(|(k, _)| *k));
            for key in keys {
                let words = crate::i18n::translate(locale, key, &[]);
                assert!(!words.is_empty() && words != key, "{key} missing in {}", locale.tag());
                let plan = vinano_engine::plan(&words);
                assert!(plan.is_ok(), "{} {key} = {words:?}: {plan:?}", locale.tag());
                // The poster example makes a poster in every language (not a "poster" look on a photo).
                if key == "example-poster" {
                    assert!(plan.is_ok_and(|p| p.creates_image()), "{} {key} = {words:?}", locale.tag());
                }
            }
        }
    }

    /// A poster's next edits, in every language, draw it again with the change.
    #[test]
    fn every_poster_suggestion_changes_the_poster() {
        let poster = vinano_engine::Operation::Poster {
            title: "SALE".into(),
            subtitle: None,
            colors: [[10, 20, 40], [20, 30, 60]],
            design: None,
        };
        for locale in Locale::ALL {
            for key in POSTER {
                let words = crate::i18n::translate(locale, key, &[]);
                let revision = vinano_engine::revise(&poster, &words);
                assert!(
                    revision.as_ref().is_some_and(|r| r.rest.is_empty() && r.unclear.is_empty()),
                    "{} {key} = {words:?}: {revision:?}",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn next_edits_leave_out_what_was_just_done() {
        let said = |key: &str| vinano_api::Said { key: key.into(), args: Default::default() };
        let mut image: ImageInfo = serde_json::from_value(serde_json::json!({
            "id": "r", "content_type": "image/png", "width": 10, "height": 10, "parent_id": "p",
            "generation": {"steps": ["warmer"], "steps_said": [], "provider": "local", "duration_ms": 1}
        }))
        .unwrap();
        image.generation.as_mut().unwrap().steps_said = vec![said("op-warmer"), said("op-brightness")];
        assert_eq!(next_for(&image, false), vec!["next-square", "next-contrast", "next-mono"]);
        // With background editing, the background comes first (but not again once done).
        assert_eq!(next_for(&image, true), vec!["next-cut-out", "next-portrait", "next-square"]);
        image.generation.as_mut().unwrap().steps_said = vec![said("op-crop-square"), said("op-contrast")];
        assert_eq!(next_for(&image, false), vec!["next-brighter", "next-warmer", "next-mono"]);
        image.generation.as_mut().unwrap().steps_said = vec![said("op-background-blur")];
        assert_eq!(next_for(&image, true), vec!["next-cut-out", "next-brighter", "next-square"]);
        image.generation.as_mut().unwrap().steps_said = vec![said("op-poster")];
        assert_eq!(
            next_for(&image, true),
            vec!["next-title-yellow", "next-poster-background", "next-brighter"],
            "a poster's words and background first"
        );
        image.content_type = "image/gif".into();
        assert!(next_for(&image, true).is_empty(), "a clip isn't edited further");
    }
}
