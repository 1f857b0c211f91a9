//! Small previews of every stored version (256 and 768 px on the longer side), made when the version is
//! stored, so the library, the version tree and the thread on a phone don't load full-size images.
//!
//! They live in a store of their own (`previews/` beside `blobs/`, sealed with the same key), named after
//! the version's file, and go with it: the deletion queue removes a file's previews with the file, and the
//! reconciler removes any preview whose file no row names. A version smaller than a preview size, a clip,
//! or one stored before previews existed is served as it is.
//!
//! Format: JPEG (quality 80) for opaque pictures, lossless WebP for pictures with transparency. (A lossy
//! WebP encoder would need libwebp, a C library; a JPEG preview of a photo is as small, and every browser
//! shows it.)

use crate::AppState;
use vinano_imaging::{DynamicImage, OutputFormat};

/// The preview sizes: the longer side, px (the contract's, which the app builds its `srcset` from).
pub const SIZES: [u32; 2] = vinano_api::PREVIEW_SIZES;
/// JPEG quality of a preview.
const QUALITY: u8 = 80;

/// The store key of `blob_key`'s preview of `size` (hex, like every key: the file's key, then the size).
pub fn key(blob_key: &str, size: u32) -> String {
    format!("{blob_key}{size:04x}")
}

/// Makes the previews of `image` that are smaller than it: `(size, encoded bytes)`. CPU work: call it on the
/// image threads.
pub fn render(image: &DynamicImage) -> Vec<(u32, Vec<u8>)> {
    let longer = image.width().max(image.height());
    let format = if image.color().has_alpha() { OutputFormat::WebP } else { OutputFormat::Jpeg };
    SIZES
        .iter()
        .filter(|&&size| size < longer)
        .filter_map(|&size| {
            let small = image.thumbnail(size, size);
            vinano_imaging::encode_with_quality(&small, format, QUALITY).ok().map(|e| (size, e.bytes))
        })
        .collect()
}

/// A clip's previews: its `frame` (the first) as a still picture at every preview size, at most its own
/// size, so a grid of pictures shows a clip as one (an `<img>` can't show an MP4).
pub fn stills(frame: &DynamicImage) -> Vec<(u32, Vec<u8>)> {
    let frame = DynamicImage::ImageRgb8(frame.to_rgb8());
    SIZES
        .iter()
        .filter_map(|&size| {
            let small = frame.thumbnail(size, size);
            vinano_imaging::encode_with_quality(&small, OutputFormat::Jpeg, QUALITY)
                .ok()
                .map(|e| (size, e.bytes))
        })
        .collect()
}

/// Stores previews made by [`render`] for the file `blob_key`. A failure is logged, not returned: without
/// its previews a version is still whole (it is served full size).
pub async fn store(state: &AppState, blob_key: &str, previews: &[(u32, Vec<u8>)]) {
    for (size, bytes) in previews {
        if let Err(e) = state.previews.put(&key(blob_key, *size), bytes).await {
            tracing::warn!(error = %e, key = %blob_key, size, "could not store a preview; the full image will be served");
        }
    }
}

/// Removes the previews of the file `blob_key` (missing ones are fine).
pub async fn remove(state: &AppState, blob_key: &str) -> std::io::Result<()> {
    for size in SIZES {
        state.previews.delete(&key(blob_key, size)).await?;
    }
    Ok(())
}

/// The preview of `size` of the file `blob_key` with its content type, if there is one.
pub async fn get(
    state: &AppState,
    blob_key: &str,
    size: u32,
) -> std::io::Result<Option<(Vec<u8>, &'static str)>> {
    match state.previews.get(&key(blob_key, size)).await {
        Ok(bytes) => {
            let mime = if bytes.starts_with(b"RIFF") { "image/webp" } else { "image/jpeg" };
            Ok(Some((bytes, mime)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_keep_the_shape_and_only_ever_shrink() {
        let photo = DynamicImage::new_rgb8(1200, 900);
        let made = render(&photo);
        let sizes: Vec<(u32, (u32, u32))> = made
            .iter()
            .map(|(s, bytes)| {
                let img = image::load_from_memory(bytes).unwrap();
                assert_eq!(&bytes[..2], &[0xFF, 0xD8], "a JPEG");
                (*s, (img.width(), img.height()))
            })
            .collect();
        assert_eq!(sizes, vec![(256, (256, 192)), (768, (768, 576))]);
        // Transparency stays: lossless WebP.
        let logo = DynamicImage::new_rgba8(300, 600);
        let made = render(&logo);
        assert_eq!(made.len(), 1, "only the 256 px one is smaller than a 600 px picture");
        assert_eq!(&made[0].1[..4], b"RIFF");
        assert!(render(&DynamicImage::new_rgb8(200, 100)).is_empty(), "nothing for a small picture");
        assert_eq!(key("ab12", 256), "ab120100");
    }
}
