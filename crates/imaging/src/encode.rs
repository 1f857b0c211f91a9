//! Encoding results. Encoding from pixels writes no metadata, which is how EXIF (GPS included) is stripped.

use crate::{ImagingError, Result};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageEncoder};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// JPEG at quality 90 (photos without transparency).
    Jpeg,
    /// Lossless PNG (images with transparency).
    Png,
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

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
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

/// Encodes an image, without any metadata.
pub fn encode(image: &DynamicImage, format: OutputFormat) -> Result<Encoded> {
    let mut bytes = Vec::new();
    match format {
        OutputFormat::Jpeg => {
            let rgb = image.to_rgb8();
            JpegEncoder::new_with_quality(&mut bytes, 90)
                .write_image(&rgb, rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8)
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
