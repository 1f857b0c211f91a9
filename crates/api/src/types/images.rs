//! Image versions: what the API says of one, its flags, ratings, and the library.

use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// The sizes of the previews the server makes of every still (px on the longer side).
pub const PREVIEW_SIZES: [u32; 2] = [256, 768];

/// A stored image version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageInfo {
    /// Image id; its bytes are at `/api/v1/images/{id}`.
    pub id: String,
    /// The version this one was made from, if it is an edit.
    pub parent_id: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// MIME type of the stored bytes.
    pub content_type: String,
    /// How this version was made, when it is an edit (absent for uploads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<Generation>,
    /// The owner's rating of this result, if they gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Feedback>,
    /// Marked for commercial use: never used for AI training without the separate consent below.
    #[serde(default)]
    pub commercial: bool,
    /// Explicit consent to AI training for this commercial image.
    #[serde(default)]
    pub training_consent: bool,
    /// When the retention policy deletes it (RFC 3339): 90 days after it was made. Absent while it is kept
    /// for legal reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

/// `PATCH /api/v1/images/{id}`: the image's privacy flags (only the fields present change).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageFlags {
    /// Marked for commercial use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commercial: Option<bool>,
    /// Explicit consent to AI training for this (commercial) image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_consent: Option<bool>,
}

/// Thumbs up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// A good result.
    Up,
    /// A bad result.
    Down,
}

impl Rating {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Up => "up",
            Rating::Down => "down",
        }
    }
}

/// `PUT /api/v1/images/{id}/feedback`, and the stored rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Feedback {
    /// Thumbs up or down.
    pub rating: Rating,
    /// Optional words about the result (at most 1000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// How an edited version was produced: shown under the result so nothing about it is hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Generation {
    /// The operations applied, in order, in words ("black and white", "rotate 90° clockwise").
    pub steps: Vec<String>,
    /// The same as message keys with their values (`steps` is their English).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps_said: Vec<crate::Said>,
    /// Which executor ran them ("local" for the built-in engine).
    pub provider: String,
    /// Time spent producing the image, in milliseconds.
    pub duration_ms: u64,
    /// The steps were done inside a brushed selection (`GET /api/v1/images/{id}/selection` is its mask).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub selection: bool,
}

impl ImageInfo {
    /// URL of the image bytes.
    pub fn url(&self) -> String {
        image_url(&self.id)
    }

    /// URL of its preview of `size` px on the longer side (256 or 768; the image itself when it is no
    /// larger).
    pub fn preview_url(&self, size: u32) -> String {
        format!("{}?size={size}", image_url(&self.id))
    }

    /// A `srcset` for showing it at any width up to its own: the previews smaller than it, then itself. Empty
    /// when it has no previews (a clip, or an image no larger than the smallest preview). (`index.html` builds
    /// the same one to preload the newest result of a conversation.)
    pub fn srcset(&self) -> String {
        if self.content_type == "image/gif" || self.content_type.starts_with("video/") {
            return String::new();
        }
        let longer = self.width.max(self.height).max(1);
        let mut set: Vec<String> = PREVIEW_SIZES
            .iter()
            .filter(|&&size| size < longer)
            .map(|&size| {
                let width = (u64::from(self.width) * u64::from(size)).div_ceil(u64::from(longer));
                format!("{} {width}w", self.preview_url(size))
            })
            .collect();
        if set.is_empty() {
            return String::new();
        }
        set.push(format!("{} {}w", self.url(), self.width));
        set.join(", ")
    }

    /// URL that downloads the version as a file in `format` ("png", "jpeg" or "webp").
    pub fn download_url(&self, format: &str) -> String {
        format!("{}?format={format}&download=1", image_url(&self.id))
    }
}

/// URL of an image version's bytes.
pub fn image_url(id: &str) -> String {
    format!("{}/images/{id}", crate::API_PREFIX)
}

/// One image in the "All my images" library, `GET /api/v1/images`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LibraryItem {
    /// The image version.
    pub image: ImageInfo,
    /// The conversation it appears in, if any.
    pub conversation_id: Option<String>,
    /// When it was stored (RFC 3339).
    pub created_at: Timestamp,
}

/// `GET /api/v1/me/suggestions`: what Home suggests from the person's own history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestions {
    /// Instructions they have sent more than once that made a result by their words alone, most used first
    /// (at most 5).
    pub instructions: Vec<UsedInstruction>,
    /// Results they rated as good, newest rating first (at most 6).
    pub liked: Vec<LibraryItem>,
}

/// An instruction and how often it made a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsedInstruction {
    /// The words, as last sent.
    pub text: String,
    /// How many times they made a result.
    pub times: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(content_type: &str, width: u32, height: u32) -> ImageInfo {
        serde_json::from_value(serde_json::json!({
            "id": "abc", "content_type": content_type, "width": width, "height": height
        }))
        .unwrap()
    }

    #[test]
    fn a_srcset_lists_the_previews_smaller_than_the_image_then_the_image() {
        assert_eq!(
            image("image/jpeg", 900, 1200).srcset(),
            "/api/v1/images/abc?size=256 192w, /api/v1/images/abc?size=768 576w, /api/v1/images/abc 900w"
        );
        assert_eq!(
            image("image/png", 600, 300).srcset(),
            "/api/v1/images/abc?size=256 256w, /api/v1/images/abc 600w"
        );
        assert_eq!(image("image/jpeg", 200, 100).srcset(), "", "no previews of a small image");
        assert_eq!(image("image/gif", 2000, 1000).srcset(), "", "none of a clip");
    }
}

/// The long side, in pixels, a brushed selection is painted at (at most; a smaller photo's own size).
pub const SELECTION_SIDE: u32 = 1024;

/// The size a selection of a `width` × `height` photo is painted at: the photo's shape, the long side at
/// most [`SELECTION_SIDE`] (the server scales a selection up to the photo).
pub fn selection_canvas(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height).max(1);
    if long <= SELECTION_SIDE {
        return (width.max(1), height.max(1));
    }
    let k = f64::from(SELECTION_SIDE) / f64::from(long);
    (((f64::from(width) * k).round() as u32).max(1), ((f64::from(height) * k).round() as u32).max(1))
}

#[cfg(test)]
mod selection_tests {
    use super::selection_canvas;

    #[test]
    fn the_canvas_has_the_photo_s_shape_and_at_most_1024_pixels_on_the_long_side() {
        assert_eq!(selection_canvas(800, 600), (800, 600));
        assert_eq!(selection_canvas(4032, 3024), (1024, 768));
        assert_eq!(selection_canvas(3000, 4000), (768, 1024));
        assert_eq!(selection_canvas(5000, 37), (1024, 8));
        assert_eq!(selection_canvas(0, 0), (1, 1));
    }
}
