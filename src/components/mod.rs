//! Pieces used by more than one page.

mod alert;
pub mod attachments;
pub mod form;
pub mod problem;

pub use alert::{error_text, ErrorAlert};

use crate::i18n::I18n;
use vinano_api::ImageInfo;

/// `2026-11-29T12:00:00Z` as people read it: `2026-11-29 12:00 UTC` (anything else unchanged).
pub fn utc_minute(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

/// "Deleted on 2027-02-27" (or "Kept for legal reasons" when the image has no deletion date).
pub fn expiry_text(i18n: I18n, img: &ImageInfo) -> String {
    match &img.expires_at {
        Some(at) => i18n.t_args("image-expires", [("date", at.get(..10).unwrap_or(at).to_string().into())]),
        None => i18n.t("image-retained"),
    }
}

/// "your photo (120 × 80)" or "edited image (80 × 120)": how an image is named in alt text and chips.
pub fn describe(i18n: I18n, img: &ImageInfo) -> String {
    let key = if img.parent_id.is_some() { "image-result-alt" } else { "image-original-alt" };
    i18n.t_args(key, [("width", img.width.into()), ("height", img.height.into())])
}
