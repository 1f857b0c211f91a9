//! Colour profiles. Phones tag their photos with Display P3 and cameras often with Adobe RGB; ViNano drops
//! every profile with the rest of the metadata, so a photo is converted to sRGB first (or its colours would
//! come out dull or shifted everywhere the file is shown without its profile). Converted with `moxcms`, the
//! colour engine the `image` crate uses itself.

use image::{DynamicImage, ImageDecoder, ImageReader};
use moxcms::{CmsError, ColorProfile, DataColorSpace, Layout, TransformExecutor, TransformOptions};
use std::io::Cursor;
use std::sync::Arc;

/// The largest profile read (real ones are a few kilobytes; a LUT profile some hundreds).
const MAX_PROFILE: usize = 4 << 20;

/// Rows converted at a time (the copy it needs stays small).
const ROWS: usize = 64;

/// The ICC profile embedded in an image file, read from its header without decoding any pixels.
pub fn icc_profile(bytes: &[u8]) -> Option<Vec<u8>> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    reader.into_decoder().ok()?.icc_profile().ok().flatten()
}

/// Converts `image` from the RGB colour space `icc` describes to sRGB, in place. Returns whether anything
/// changed: a profile that can't be read, isn't RGB, or is sRGB already (converting would change nothing
/// but rounding) leaves the pixels as they are, as do greyscale and floating-point images.
pub fn to_srgb(image: &mut DynamicImage, icc: &[u8]) -> bool {
    if icc.len() > MAX_PROFILE {
        return false;
    }
    let Ok(source) = ColorProfile::new_from_slice(icc) else { return false };
    if source.color_space != DataColorSpace::Rgb {
        return false;
    }
    let srgb = ColorProfile::new_srgb();
    let options = TransformOptions::default();
    let width = image.width() as usize;
    let eight = |layout| source.create_transform_8bit(layout, &srgb, layout, options);
    let sixteen = |layout| source.create_transform_16bit(layout, &srgb, layout, options);
    let deep = |v: u8| u16::from(v) * 257;
    match image {
        DynamicImage::ImageRgb8(b) => convert_with(b, width, Layout::Rgb, eight, |v| v, 1),
        DynamicImage::ImageRgba8(b) => convert_with(b, width, Layout::Rgba, eight, |v| v, 1),
        DynamicImage::ImageRgb16(b) => convert_with(b, width, Layout::Rgb, sixteen, deep, 257),
        DynamicImage::ImageRgba16(b) => convert_with(b, width, Layout::Rgba, sixteen, deep, 257),
        _ => false,
    }
}

/// The transform `make` builds for `layout`, run over `buffer` (rows of `width` pixels) unless it leaves
/// colours where they are (within `tolerance`, probing with `value` of 8-bit levels).
fn convert_with<V: Copy + Default + Into<u32>>(
    buffer: &mut [V],
    width: usize,
    layout: Layout,
    make: impl FnOnce(Layout) -> Result<Arc<dyn TransformExecutor<V> + Send + Sync>, CmsError>,
    value: impl Fn(u8) -> V,
    tolerance: u32,
) -> bool {
    let Ok(transform) = make(layout) else { return false };
    if is_identity(transform.as_ref(), layout, value, tolerance) {
        return false;
    }
    convert(transform.as_ref(), buffer, width * channels(layout))
}

fn channels(layout: Layout) -> usize {
    if layout == Layout::Rgba {
        4
    } else {
        3
    }
}

/// Whether the transform leaves a spread of colours where they are (within `tolerance`): the profile is sRGB
/// by another name.
fn is_identity<V: Copy + Default + Into<u32>>(
    transform: &(dyn TransformExecutor<V> + Send + Sync),
    layout: Layout,
    value: impl Fn(u8) -> V,
    tolerance: u32,
) -> bool {
    let levels = [0u8, 40, 90, 128, 180, 230, 255];
    let mut probe = Vec::new();
    for r in levels {
        for g in levels {
            for b in [0u8, 128, 255] {
                probe.extend([value(r), value(g), value(b)]);
                if layout == Layout::Rgba {
                    probe.push(value(255));
                }
            }
        }
    }
    let mut out = vec![V::default(); probe.len()];
    if transform.transform(&probe, &mut out).is_err() {
        return true;
    }
    probe.iter().zip(&out).all(|(&a, &b)| a.into().abs_diff(b.into()) <= tolerance)
}

/// Runs the transform over the buffer a few rows at a time. Returns whether it converted everything.
fn convert<V: Copy + Default>(
    transform: &(dyn TransformExecutor<V> + Send + Sync),
    buffer: &mut [V],
    row: usize,
) -> bool {
    let mut source = vec![V::default(); row * ROWS];
    for chunk in buffer.chunks_mut(row * ROWS) {
        let source = &mut source[..chunk.len()];
        source.copy_from_slice(chunk);
        if transform.transform(source, chunk).is_err() {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::{jpeg::JpegEncoder, png::PngEncoder};
    use image::{ImageEncoder, Rgb, RgbImage};

    /// `rgb` (sRGB) as it is stored in a Display P3 file.
    fn in_p3(rgb: [u8; 3]) -> [u8; 3] {
        let to_p3 = ColorProfile::new_srgb()
            .create_transform_8bit(
                Layout::Rgb,
                &ColorProfile::new_display_p3(),
                Layout::Rgb,
                Default::default(),
            )
            .unwrap();
        let mut out = [0u8; 3];
        to_p3.transform(&rgb, &mut out).unwrap();
        out
    }

    /// A 32 × 16 image of `pixel`, as PNG or JPEG, tagged with `icc`.
    fn tagged(pixel: [u8; 3], icc: &[u8], jpeg: bool) -> Vec<u8> {
        let img = RgbImage::from_pixel(32, 16, Rgb(pixel));
        let mut out = Vec::new();
        let (w, h, t) = (32, 16, image::ExtendedColorType::Rgb8);
        if jpeg {
            let mut encoder = JpegEncoder::new_with_quality(&mut out, 100);
            encoder.set_icc_profile(icc.to_vec()).unwrap();
            encoder.write_image(&img, w, h, t).unwrap();
        } else {
            let mut encoder = PngEncoder::new(&mut out);
            encoder.set_icc_profile(icc.to_vec()).unwrap();
            encoder.write_image(&img, w, h, t).unwrap();
        }
        out
    }

    #[test]
    fn a_display_p3_photo_is_decoded_in_srgb() {
        let brick = [200, 100, 50];
        let stored = in_p3(brick);
        assert!(
            stored.iter().zip(brick).any(|(a, b)| a.abs_diff(b) > 8),
            "P3 stores it differently: {stored:?}"
        );
        let p3 = ColorProfile::new_display_p3().encode().unwrap();
        for jpeg in [false, true] {
            let bytes = tagged(stored, &p3, jpeg);
            assert_eq!(icc_profile(&bytes).as_deref(), Some(&p3[..]), "jpeg: {jpeg}");
            let decoded = crate::decode(&bytes, Default::default()).unwrap().image.to_rgb8();
            let got = decoded.get_pixel(16, 8).0;
            let tolerance = if jpeg { 4 } else { 1 };
            assert!(got.iter().zip(brick).all(|(a, b)| a.abs_diff(b) <= tolerance), "jpeg: {jpeg}: {got:?}");
        }
    }

    #[test]
    fn srgb_profiles_and_unreadable_ones_leave_the_pixels_alone() {
        let mut img =
            DynamicImage::ImageRgb8(RgbImage::from_fn(20, 10, |x, y| Rgb([x as u8 * 12, y as u8 * 25, 77])));
        let before = img.clone();
        assert!(!to_srgb(&mut img, &ColorProfile::new_srgb().encode().unwrap()));
        assert!(!to_srgb(&mut img, b"not a profile"));
        assert!(!to_srgb(&mut img, &[0u8; 200]));
        assert_eq!(img, before);
        // A 16-bit image converts too, with its alpha kept.
        let mut deep = DynamicImage::ImageRgba16(image::ImageBuffer::from_pixel(
            4,
            4,
            image::Rgba([20000u16, 40000, 9000, 1234]),
        ));
        assert!(to_srgb(&mut deep, &ColorProfile::new_display_p3().encode().unwrap()));
        let p = deep.as_rgba16().unwrap().get_pixel(1, 1).0;
        assert_eq!(p[3], 1234);
        assert_ne!(p[..3], [20000, 40000, 9000]);
    }
}
