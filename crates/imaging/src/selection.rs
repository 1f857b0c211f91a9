//! Edits inside a selection: a brush mask (255 selected, 0 not) softened at its edge, and an edited copy
//! blended into the original through it, so "make this brighter" changes only what was brushed over.

use crate::matte::Plane;
use image::{DynamicImage, GrayImage, Luma, Rgba, RgbaImage};

/// A selection: the brush mask as sent (255 selected) and its copy softened at the edge for blending.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The mask, the image's size.
    pub mask: GrayImage,
    /// The mask feathered over [`feather_radius`] pixels.
    pub soft: GrayImage,
}

impl Selection {
    /// The selection of `mask` (the size of the image it selects in).
    pub fn new(mask: GrayImage) -> Self {
        let soft = feather(&mask, feather_radius(mask.width(), mask.height()));
        Self { mask, soft }
    }
}

/// A mask pixel at or above this counts as selected (for [`coverage`]).
const SELECTED: u8 = 128;

/// The share of pixels the mask selects, 0 to 1.
pub fn coverage(mask: &GrayImage) -> f32 {
    let n = mask.pixels().filter(|p| p[0] >= SELECTED).count();
    n as f32 / (mask.width() as f32 * mask.height() as f32).max(1.0)
}

/// The feather radius for an image: 0.4 % of its long side, at least 2 pixels.
pub fn feather_radius(width: u32, height: u32) -> u32 {
    (width.max(height) / 250).max(2)
}

/// The mask softened over `radius` pixels (a box filter run twice, close to a Gaussian).
pub fn feather(mask: &GrayImage, radius: u32) -> GrayImage {
    let plane = Plane::from_gray(mask).boxed(radius as usize).boxed(radius as usize);
    GrayImage::from_fn(mask.width(), mask.height(), |x, y| {
        Luma([(plane.v[(y * mask.width() + x) as usize] * 255.0).round().clamp(0.0, 255.0) as u8])
    })
}

/// `edited` where `weights` is 255, `original` where it is 0, and in between at its edge. The images and
/// the weights must be the same size (an edit inside a selection keeps the size); the result has
/// transparency when either image has.
pub fn blend(original: &DynamicImage, edited: &DynamicImage, weights: &GrayImage) -> DynamicImage {
    let (a, b) = (original.to_rgba8(), edited.to_rgba8());
    let out = RgbaImage::from_fn(a.width(), a.height(), |x, y| {
        let t = f32::from(weights.get_pixel(x, y)[0]) / 255.0;
        let (p, q) = (a.get_pixel(x, y), b.get_pixel(x, y));
        Rgba(std::array::from_fn(|k| (f32::from(p[k]) * (1.0 - t) + f32::from(q[k]) * t).round() as u8))
    });
    if original.color().has_alpha() || edited.color().has_alpha() {
        DynamicImage::ImageRgba8(out)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    #[test]
    fn brightening_inside_a_selection_changes_only_the_selection_and_its_soft_edge() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(100, 80, Rgb([100, 100, 100])));
        let mask = GrayImage::from_fn(100, 80, |x, y| {
            Luma([if (30..70).contains(&x) && (20..60).contains(&y) { 255 } else { 0 }])
        });
        let r = feather_radius(100, 80);
        let soft = feather(&mask, r);
        let out = blend(&img, &crate::ops::brightness(&img, 40), &soft).to_rgb8();
        let reach = 2 * r;
        for (x, y, p) in out.enumerate_pixels() {
            let inside = (30 + reach..70 - reach).contains(&x) && (20 + reach..60 - reach).contains(&y);
            let outside = !(30 - reach..70 + reach).contains(&x) || !(20 - reach..60 + reach).contains(&y);
            if inside {
                assert!(p[0] > 180, "({x}, {y}) = {p:?} inside");
            } else if outside {
                assert_eq!(p[0], 100, "({x}, {y}) outside");
            }
        }
        // The edge is a ramp, not a step.
        let row: Vec<u8> = (20..40).map(|x| out.get_pixel(x, 40)[0]).collect();
        assert!(row.windows(2).all(|w| w[0] <= w[1]), "{row:?}");
        assert!(row.iter().any(|&v| v > 100 && v < 180), "{row:?}");
        assert!((coverage(&mask) - 0.2).abs() < 1e-6);
    }
}
