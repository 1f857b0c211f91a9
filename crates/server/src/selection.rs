//! Selections: the brush mask sent with an instruction ("erase this", "make this brighter"), read and
//! checked before anything is stored, kept sealed with the job and with the version it made.
//!
//! On the wire a selection is a PNG (as base64, a `data:` URL prefix allowed): white where the person
//! brushed, or opaque there when the PNG has transparency. It may be smaller than the photo (the app paints
//! at screen size) as long as it has the photo's shape; it is scaled to the photo.

use crate::storage::crypto::MasterKey;
use base64::Engine as _;
use image::GrayImage;
use vinano_api::{Msg, Problem};
use vinano_engine::EditPlan;

/// The largest selection file accepted, in bytes (a brushed mask compresses to far less).
pub use vinano_engine::mask::MAX_BYTES;

/// The selection in `encoded` (base64, a `data:` URL prefix allowed), at the size of the photo (`image`:
/// width and height), checked against the plan (see [`vinano_engine::mask::read`]).
pub fn read(encoded: &str, image: (u32, u32), plan: &EditPlan) -> Result<GrayImage, Problem> {
    let b64 = encoded.trim();
    let b64 = b64.strip_prefix("data:image/png;base64,").unwrap_or(b64);
    if b64.len() > MAX_BYTES / 3 * 4 + 4 {
        return Err(Problem::new(Msg::SelectionTooLarge).num("max", (MAX_BYTES >> 20) as u64));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| Problem::new(Msg::SelectionUnreadable))?;
    vinano_engine::mask::read(&bytes, image, plan)
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
    use image::Luma;

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
