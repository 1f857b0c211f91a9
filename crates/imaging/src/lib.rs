//! Pixel work shared by the ViNano server and the browser: bounded decoding of untrusted images, EXIF
//! orientation, the edit operations, and encoding (which drops all metadata, GPS included).
//!
//! No I/O, clocks or randomness: this crate runs natively and in a browser Web Worker alike.

pub mod auto;
pub mod background;
pub mod colour;
pub mod compose;
mod cores;
pub mod crop;
mod decode;
pub mod density;
mod encode;
pub mod face;
pub mod inpaint;
pub mod matte;
pub mod motion;
pub mod ops;
pub mod poster;
pub mod prep;
pub mod provenance;
pub mod scene;
pub mod selection;
pub mod text;

pub use decode::{
    check_dimensions, decode, exif_orientation, is_complete, probe, sniff, DecodeLimits, Decoded,
    SourceFormat,
};
pub use encode::{encode, encode_with_quality, Encoded, OutputFormat, JPEG_QUALITY};
pub use image::DynamicImage;

/// EXIF metadata types used in this crate's API.
pub mod exif {
    pub use image::metadata::Orientation;
}

/// Why an image could not be processed. Messages are fit to show to the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImagingError {
    /// The bytes are not a JPEG, PNG or WebP image.
    #[error("This file is not a supported image. Please upload a JPEG, PNG or WebP photo.")]
    UnsupportedFormat,
    /// HEIC/HEIF/AVIF, the iPhone camera's default format, which this build cannot decode.
    #[error(
        "HEIC photos (the iPhone camera's default) can't be read here. Please choose JPEG: on the iPhone, \
         Settings → Camera → Formats → Most Compatible, or share the photo as JPEG."
    )]
    Heic,
    /// The image declares more pixels than allowed.
    #[error(
        "This image is too large ({width} × {height} pixels). The limit is {max_megapixels} megapixels."
    )]
    TooLarge {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The configured limit in megapixels.
        max_megapixels: u32,
    },
    /// The image header or data is damaged.
    #[error("This image appears to be damaged and could not be read.")]
    Corrupt,
    /// Encoding the result failed.
    #[error("The image could not be saved.")]
    Encode,
}

/// Result alias for this crate.
pub type Result<T, E = ImagingError> = std::result::Result<T, E>;
