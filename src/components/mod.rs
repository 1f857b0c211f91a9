//! Pieces used by more than one page.

mod alert;
pub mod attachments;
pub mod form;
pub mod job;
pub mod params;
pub mod versions;

pub use alert::{error_text, ErrorAlert};

use crate::i18n::I18n;
use vinano_api::ImageInfo;

/// "your photo (120 × 80)" or "edited image (80 × 120)": how an image is named in alt text and chips.
pub fn describe(i18n: I18n, img: &ImageInfo) -> String {
    let key = if img.parent_id.is_some() { "image-result-alt" } else { "image-original-alt" };
    i18n.t_args(key, [("width", img.width.into()), ("height", img.height.into())])
}
