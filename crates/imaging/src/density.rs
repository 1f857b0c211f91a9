//! The print resolution a file says it has (dots per inch): PNG's `pHYs` chunk, JPEG's JFIF density. Print
//! shops and layout programs read it to size the picture on paper.

use crate::OutputFormat;

/// `bytes` (as [`crate::encode`] wrote them, in `format`) saying they are `dpi` dots per inch. WebP has no
/// field for it, and bytes that aren't what the encoder writes are returned as they are.
pub fn set(bytes: Vec<u8>, format: OutputFormat, dpi: u32) -> Vec<u8> {
    match format {
        OutputFormat::Png => png(bytes, dpi),
        OutputFormat::Jpeg => jpeg(bytes, dpi),
        OutputFormat::WebP => bytes,
    }
}

/// The resolution `bytes` say they have, in dots per inch (rounded), if they say one.
pub fn read(bytes: &[u8]) -> Option<u32> {
    if bytes.starts_with(b"\x89PNG") {
        let mut at = 8;
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
            if &bytes[at + 4..at + 8] == b"pHYs" && bytes.len() >= at + 8 + 9 {
                let d = &bytes[at + 8..at + 17];
                let per_metre = u32::from_be_bytes(d[..4].try_into().ok()?);
                return (d[8] == 1).then(|| (f64::from(per_metre) * 0.0254).round() as u32);
            }
            at += 12 + len;
        }
        return None;
    }
    if bytes.get(..4) == Some(&[0xFF, 0xD8, 0xFF, 0xE0]) && bytes.get(6..11) == Some(b"JFIF\0") {
        let units = *bytes.get(13)?;
        let x = u16::from_be_bytes([*bytes.get(14)?, *bytes.get(15)?]);
        return (units == 1).then_some(u32::from(x));
    }
    None
}

/// A `pHYs` chunk (pixels per metre, unit 1) right after `IHDR`.
fn png(bytes: Vec<u8>, dpi: u32) -> Vec<u8> {
    const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    if bytes.len() < AFTER_IHDR || bytes.get(12..16) != Some(b"IHDR") {
        return bytes;
    }
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    let mut data = per_metre.to_be_bytes().to_vec();
    data.extend_from_slice(&per_metre.to_be_bytes());
    data.push(1);
    let mut crc = crc32fast::Hasher::new();
    crc.update(b"pHYs");
    crc.update(&data);
    let mut out = Vec::with_capacity(bytes.len() + 21);
    out.extend_from_slice(&bytes[..AFTER_IHDR]);
    out.extend_from_slice(&9u32.to_be_bytes());
    out.extend_from_slice(b"pHYs");
    out.extend_from_slice(&data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out.extend_from_slice(&bytes[AFTER_IHDR..]);
    out
}

/// The JFIF segment's units (1: dots per inch) and densities, when the file starts with one.
fn jpeg(mut bytes: Vec<u8>, dpi: u32) -> Vec<u8> {
    if bytes.get(..4) != Some(&[0xFF, 0xD8, 0xFF, 0xE0])
        || bytes.get(6..11) != Some(b"JFIF\0")
        || bytes.len() < 18
    {
        return bytes;
    }
    let d = u16::try_from(dpi).unwrap_or(u16::MAX).to_be_bytes();
    bytes[13] = 1;
    bytes[14..16].copy_from_slice(&d);
    bytes[16..18].copy_from_slice(&d);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;

    #[test]
    fn png_and_jpeg_say_their_resolution_and_still_decode() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 30, image::Rgb([200, 100, 50])));
        for format in [OutputFormat::Png, OutputFormat::Jpeg] {
            let plain = crate::encode(&img, format).unwrap().bytes;
            assert_ne!(read(&plain), Some(300), "{format:?}");
            let marked = set(plain, format, 300);
            assert_eq!(read(&marked), Some(300), "{format:?}");
            let back = image::load_from_memory(&marked).unwrap();
            assert_eq!((back.width(), back.height()), (40, 30));
            // The provenance mark goes in after it and keeps it.
            let both = crate::provenance::mark(marked, format, crate::provenance::Source::Algorithmic);
            assert_eq!(read(&both), Some(300), "{format:?}");
            assert_eq!(crate::provenance::read(&both), Some(crate::provenance::Source::Algorithmic));
        }
        let webp = crate::encode(&img, OutputFormat::WebP).unwrap().bytes;
        assert_eq!(set(webp.clone(), OutputFormat::WebP, 300), webp);
    }
}
