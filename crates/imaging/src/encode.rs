//! Encoding results. Encoding from pixels writes no metadata, which is how EXIF (GPS included) is stripped.

use crate::{ImagingError, Result};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageEncoder};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// JPEG at quality 90 (photos without transparency).
    Jpeg,
    /// Lossless PNG (images with transparency).
    Png,
    /// Lossless WebP: smaller than PNG for the same pixels.
    WebP,
}

impl OutputFormat {
    /// The best format for an image: PNG when it has an alpha channel, JPEG otherwise.
    pub fn for_image(image: &DynamicImage) -> Self {
        if image.color().has_alpha() {
            Self::Png
        } else {
            Self::Jpeg
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::WebP => "webp",
        }
    }

    /// The format named by a MIME type or extension (`png`, `image/jpeg`, `webp`...), if it is one of ours.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().trim_start_matches("image/") {
            "jpeg" | "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::WebP),
            _ => None,
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
        }
    }
}

/// Encoded bytes and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The file bytes.
    pub bytes: Vec<u8>,
    /// Their format.
    pub format: OutputFormat,
}

/// JPEG quality used unless a caller asks for another.
pub const JPEG_QUALITY: u8 = 90;

/// Encodes an image, without any metadata.
pub fn encode(image: &DynamicImage, format: OutputFormat) -> Result<Encoded> {
    encode_with_quality(image, format, JPEG_QUALITY)
}

/// Encodes an image, without any metadata; `jpeg_quality` (1–100) applies to JPEG only, the others are
/// lossless.
pub fn encode_with_quality(image: &DynamicImage, format: OutputFormat, jpeg_quality: u8) -> Result<Encoded> {
    let mut bytes = Vec::new();
    match format {
        OutputFormat::Jpeg => {
            let rgb = image.to_rgb8();
            JpegEncoder::new_with_quality(&mut bytes, jpeg_quality.clamp(1, 100))
                .write_image(&rgb, rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8)
                .map_err(|_| ImagingError::Encode)?;
        }
        OutputFormat::WebP => {
            let rgba = image.to_rgba8();
            WebPEncoder::new_lossless(&mut bytes)
                .write_image(&rgba, rgba.width(), rgba.height(), image::ExtendedColorType::Rgba8)
                .map_err(|_| ImagingError::Encode)?;
        }
        OutputFormat::Png => {
            let rgba = image.to_rgba8();
            PngEncoder::new(&mut bytes)
                .write_image(&rgba, rgba.width(), rgba.height(), image::ExtendedColorType::Rgba8)
                .map_err(|_| ImagingError::Encode)?;
        }
    }
    Ok(Encoded { bytes, format })
}
