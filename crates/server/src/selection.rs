//! Selections: the brush mask sent with an instruction ("erase this", "make this brighter"), read and
//! checked before anything is stored, kept sealed with the job and with the version it made.
//!
//! On the wire a selection is a PNG (as base64, a `data:` URL prefix allowed): white where the person
//! brushed, or opaque there when the PNG has transparency. It may be smaller than the photo (the app paints
//! at screen size) as long as it has the photo's shape; it is scaled to the photo.

use crate::storage::crypto::MasterKey;
use base64::Engine as _;
use image::{GrayImage, Luma};
use vinano_api::{Msg, Problem};
use vinano_engine::{EditPlan, Operation};
use vinano_imaging::DecodeLimits;

/// The largest selection file accepted, in bytes (a brushed mask compresses to far less).
pub const MAX_BYTES: usize = 2 << 20;

/// A selection that selects less than this share of the photo is empty.
const EMPTY: f32 = 0.000_05;
/// An erase selection that covers more than this share leaves nothing to fill from.
const EVERYTHING: f32 = 0.97;

/// The selection in `encoded`, at the size of the photo (`image`: width and height), checked against the
/// plan: readable, the photo's shape, not empty, and (to erase) not the whole photo.
pub fn read(encoded: &str, image: (u32, u32), plan: &EditPlan) -> Result<GrayImage, Problem> {
    let b64 = encoded.trim();
    let b64 = b64.strip_prefix("data:image/png;base64,").unwrap_or(b64);
    if b64.len() > MAX_BYTES / 3 * 4 + 4 {
        return Err(Problem::new(Msg::SelectionTooLarge).num("max", (MAX_BYTES >> 20) as u64));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| Problem::new(Msg::SelectionUnreadable))?;
    // Never larger than the photo (a selection is painted at its size or smaller): a small PNG that declares
    // a huge canvas is refused from its header, before anything is decoded.
    let (iw, ih) = image;
    let shape = |w: u32, h: u32| {
        Problem::new(Msg::SelectionShape)
            .num("width", w.into())
            .num("height", h.into())
            .num("image_width", iw.into())
            .num("image_height", ih.into())
    };
    let unlimited = DecodeLimits { max_pixels: u64::MAX, max_side: u32::MAX };
    let (_, pw, ph) =
        vinano_imaging::probe(&bytes, unlimited).map_err(|_| Problem::new(Msg::SelectionUnreadable))?;
    if pw > iw.max(16) || ph > ih.max(16) {
        return Err(shape(pw, ph));
    }
    let limits = DecodeLimits { max_pixels: u64::from(pw) * u64::from(ph), max_side: pw.max(ph) };
    let decoded =
        vinano_imaging::decode(&bytes, limits).map_err(|_| Problem::new(Msg::SelectionUnreadable))?;
    let mask = to_mask(&decoded.image);
    let (w, h) = mask.dimensions();
    // The photo's shape: the height the photo's proportions give this width, within a pixel and 1 %.
    let expected = f64::from(w) * f64::from(ih) / f64::from(iw.max(1));
    let fits = (f64::from(h) - expected).abs() <= 1.0 + expected * 0.01;
    if !fits || w.max(h) < 16 {
        return Err(shape(w, h));
    }
    let mask = if (w, h) == image {
        mask
    } else {
        image::imageops::resize(&mask, iw, ih, image::imageops::FilterType::Triangle)
    };
    let share = vinano_imaging::selection::coverage(&mask);
    if share < EMPTY {
        return Err(Msg::SelectionEmpty.into());
    }
    if share > EVERYTHING && plan.operations.contains(&Operation::Erase) {
        return Err(Msg::SelectionEverything.into());
    }
    Ok(mask)
}

/// The mask of a decoded selection: its alpha where it has transparency, else its brightness.
fn to_mask(img: &vinano_imaging::DynamicImage) -> GrayImage {
    if let Some(alpha) = vinano_imaging::matte::alpha_of(img) {
        return alpha;
    }
    let luma = img.to_luma8();
    GrayImage::from_fn(luma.width(), luma.height(), |x, y| Luma([luma.get_pixel(x, y)[0]]))
}

/// The name a person's selections are sealed under (so one can't be moved to someone else's job).
fn name(user_id: &str) -> String {
    format!("selection:{user_id}")
}

/// The selection as stored: a PNG, sealed for `user_id`, as base64.
pub fn seal(key: &MasterKey, user_id: &str, mask: &GrayImage) -> anyhow::Result<String> {
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(mask.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(key.seal(&name(user_id), &png)))
}

/// The PNG of a stored selection (what [`seal`] made for `user_id`).
pub fn open_png(key: &MasterKey, user_id: &str, stored: &str) -> anyhow::Result<Vec<u8>> {
    let sealed = base64::engine::general_purpose::STANDARD.decode(stored)?;
    Ok(key.open(&name(user_id), &sealed)?)
}

/// A stored selection as a mask.
pub fn open(key: &MasterKey, user_id: &str, stored: &str) -> anyhow::Result<GrayImage> {
    let png = open_png(key, user_id, stored)?;
    Ok(image::load_from_memory_with_format(&png, image::ImageFormat::Png)?.to_luma8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(mask: &GrayImage) -> String {
        let mut out = Vec::new();
        image::DynamicImage::ImageLuma8(mask.clone())
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    #[test]
    fn a_selection_is_checked_scaled_and_sealed() {
        let erase = vinano_engine::plan_with("erase this", true).unwrap();
        let brighter = vinano_engine::plan_with("make this brighter", true).unwrap();
        // Painted at half size: scaled to the photo.
        let half = GrayImage::from_fn(200, 150, |x, _| Luma([if x < 20 { 255 } else { 0 }]));
        let mask = read(&format!("data:image/png;base64,{}", png(&half)), (400, 300), &erase).unwrap();
        assert_eq!(mask.dimensions(), (400, 300));
        assert!(mask.get_pixel(10, 10)[0] > 200 && mask.get_pixel(300, 10)[0] == 0);
        let msg = |r: Result<GrayImage, Problem>| r.unwrap_err().msg;
        assert_eq!(msg(read("not base64!", (400, 300), &erase)), Msg::SelectionUnreadable);
        // Larger than the photo: refused from the header, before decoding.
        assert_eq!(msg(read(&png(&GrayImage::new(4000, 3000)), (400, 300), &erase)), Msg::SelectionShape);
        assert_eq!(msg(read(&png(&GrayImage::new(300, 300)), (400, 300), &erase)), Msg::SelectionShape);
        assert_eq!(msg(read(&png(&GrayImage::new(400, 300)), (400, 300), &erase)), Msg::SelectionEmpty);
        let white = GrayImage::from_pixel(400, 300, Luma([255]));
        assert_eq!(msg(read(&png(&white), (400, 300), &erase)), Msg::SelectionEverything);
        // Brightening everything brushed is fine.
        read(&png(&white), (400, 300), &brighter).unwrap();
        let key = MasterKey::generate();
        let stored = seal(&key, "u1", &mask).unwrap();
        assert_eq!(open(&key, "u1", &stored).unwrap(), mask);
        assert!(open(&key, "u2", &stored).is_err(), "another person's name must not open it");
    }
}
