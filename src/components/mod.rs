//! Pieces used by more than one page.

mod alert;
pub mod attachments;
pub mod card_form;
pub mod connection;
pub mod dialog;
pub mod form;
pub mod menu;
pub mod overlay;
pub mod preset_icon;
pub mod problem;
pub mod requests;
pub mod signed_in;
pub mod time;
pub mod toast;

pub use alert::{error_text, ErrorAlert};

use crate::i18n::I18n;
use vinano_api::ImageInfo;

/// "Will be deleted on 2027-02-27" (or "Kept for legal reasons" when the image has no deletion date).
pub fn expiry_text(i18n: I18n, img: &ImageInfo) -> String {
    match &img.expires_at {
        Some(at) => i18n.t_args("image-expires", [("date", time::use_clock().date(at).into())]),
        None => i18n.t("image-retained"),
    }
}

/// How an image is named in alt text and chips, by what it is: "Your photo (120 × 80)", "Image made by
/// ViNano from your words: poster "Summer sale" (1080 × 1350)", "Edited image: black and white → rotate
/// 90° clockwise (80 × 120)", "Clip made by ViNano: …".
pub fn describe(i18n: I18n, img: &ImageInfo) -> String {
    let Some(generation) = &img.generation else {
        return i18n
            .t_args("image-original-alt", [("width", img.width.into()), ("height", img.height.into())]);
    };
    let key = if img.content_type == "image/gif" || img.content_type.starts_with("video/") {
        "image-clip-alt"
    } else if img.parent_id.is_none() {
        "image-made-alt"
    } else {
        "image-result-alt"
    };
    let steps = steps_text(i18n, generation);
    i18n.t_args(key, [("steps", steps.into()), ("width", img.width.into()), ("height", img.height.into())])
}

/// The steps of an edit in the person's language, joined by arrows (their English when they came without
/// keys).
pub fn steps_text(i18n: I18n, generation: &vinano_api::Generation) -> String {
    said_steps(i18n, &generation.steps, &generation.steps_said)
}

/// Steps (their English, and as message keys with their values) in the person's language, "a → b".
pub fn said_steps(i18n: I18n, english: &[String], said: &[vinano_api::Said]) -> String {
    if said.len() != english.len() {
        return english.join(" → ");
    }
    let steps: Vec<String> =
        said.iter().zip(english).map(|(s, english)| i18n.said(Some(s), english)).collect();
    steps.join(" → ")
}
