//! Pieces used by more than one page.

mod alert;
pub mod attachments;
pub mod connection;
pub mod dialog;
pub mod form;
pub mod menu;
pub mod overlay;
pub mod problem;
pub mod requests;
pub mod signed_in;
pub mod time;
pub mod toast;

pub use alert::{error_text, ErrorAlert};

use crate::i18n::I18n;
use vinano_api::ImageInfo;

/// "Deleted on 2027-02-27" (or "Kept for legal reasons" when the image has no deletion date).
pub fn expiry_text(i18n: I18n, img: &ImageInfo) -> String {
    match &img.expires_at {
        Some(at) => i18n.t_args("image-expires", [("date", time::use_clock().date(at).into())]),
        None => i18n.t("image-retained"),
    }
}

/// "your photo (120 × 80)" or "edited image (80 × 120)": how an image is named in alt text and chips.
pub fn describe(i18n: I18n, img: &ImageInfo) -> String {
    let key = if img.parent_id.is_some() { "image-result-alt" } else { "image-original-alt" };
    i18n.t_args(key, [("width", img.width.into()), ("height", img.height.into())])
}
