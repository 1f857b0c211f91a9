//! A brushed selection as the person sent it: a PNG, white where they brushed (or opaque there when it
//! has transparency). It may be smaller than the photo (the app paints at screen size) as long as it has the
//! photo's shape; it is scaled to the photo. Read the same way on the server and on the device.

use crate::{EditPlan, Operation};
use image::{GrayImage, Luma};
use vinano_api::{Msg, Problem};
use vinano_imaging::DecodeLimits;

/// The largest selection file accepted, in bytes (a brushed mask compresses to far less).
pub const MAX_BYTES: usize = 2 << 20;

/// A selection that selects less than this share of the photo is empty.
const EMPTY: f32 = 0.000_05;
/// An erase selection that covers more than this share leaves nothing to fill from.
const EVERYTHING: f32 = 0.97;

/// The selection in `bytes` (a PNG), at the size of the photo (`image`: width and height), checked against the
/// plan: readable, the photo's shape, not empty, and (to erase) not the whole photo.
pub fn read(bytes: &[u8], image: (u32, u32), plan: &EditPlan) -> Result<GrayImage, Problem> {
    if bytes.len() > MAX_BYTES {
        return Err(Problem::new(Msg::SelectionTooLarge).num("max", (MAX_BYTES >> 20) as u64));
    }
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
        vinano_imaging::probe(bytes, unlimited).map_err(|_| Problem::new(Msg::SelectionUnreadable))?;
    if pw > iw.max(16) || ph > ih.max(16) {
        return Err(shape(pw, ph));
    }
    let limits = DecodeLimits { max_pixels: u64::from(pw) * u64::from(ph), max_side: pw.max(ph) };
    let decoded =
        vinano_imaging::decode(bytes, limits).map_err(|_| Problem::new(Msg::SelectionUnreadable))?;
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
pub fn to_mask(img: &vinano_imaging::DynamicImage) -> GrayImage {
    if let Some(alpha) = vinano_imaging::matte::alpha_of(img) {
        return alpha;
    }
    let luma = img.to_luma8();
    GrayImage::from_fn(luma.width(), luma.height(), |x, y| Luma([luma.get_pixel(x, y)[0]]))
}
