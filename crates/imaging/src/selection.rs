//! Edits inside a selection: a brush mask (255 selected, 0 not) softened at its edge, and an edited copy
//! blended into the original through it, so "make this brighter" changes only what was brushed over.

use crate::matte::Plane;
use image::{DynamicImage, GenericImageView, GrayImage, Luma, Rgba, RgbaImage};

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

/// A rectangle of an image: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width (at least 1).
    pub width: u32,
    /// Height (at least 1).
    pub height: u32,
}

impl Region {
    /// The whole of an image.
    pub fn whole(image: &DynamicImage) -> Self {
        Self { x: 0, y: 0, width: image.width(), height: image.height() }
    }
}

impl Selection {
    /// The part of the image a model needs to see to edit inside the selection: the box around everything
    /// the softened mask touches, grown by a margin of context (an eighth of the box's long side, at least
    /// 16 pixels) and kept inside the image. `None` when nothing is selected.
    pub fn region(&self) -> Option<Region> {
        let (w, h) = self.soft.dimensions();
        let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
        for (x, y, p) in self.soft.enumerate_pixels() {
            if p[0] > 0 {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
            }
        }
        if x0 >= x1 || y0 >= y1 {
            return None;
        }
        let margin = ((x1 - x0).max(y1 - y0) / 8).max(16);
        let (x0, y0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
        let (x1, y1) = ((x1 + margin).min(w), (y1 + margin).min(h));
        Some(Region { x: x0, y: y0, width: x1 - x0, height: y1 - y0 })
    }

    /// The selection as an image editing API's mask (the OpenAI Images API's): the image's size, fully
    /// transparent where the model may paint (everything the softened mask touches), opaque elsewhere.
    pub fn as_edit_mask(&self) -> RgbaImage {
        RgbaImage::from_fn(self.soft.width(), self.soft.height(), |x, y| {
            Rgba([0, 0, 0, if self.soft.get_pixel(x, y)[0] > 0 { 0 } else { 255 }])
        })
    }

    /// A model's answer for `region` of `original` put back into it: scaled to the region (a model answers
    /// at its own size), placed there, and blended through the softened mask, so nothing outside the
    /// selection and its soft edge changes whatever the model did elsewhere.
    pub fn put_back(&self, original: &DynamicImage, answer: &DynamicImage, region: Region) -> DynamicImage {
        let fitted = if answer.dimensions() == (region.width, region.height) {
            answer.to_rgba8()
        } else {
            answer
                .resize_exact(region.width, region.height, image::imageops::FilterType::CatmullRom)
                .to_rgba8()
        };
        let mut edited = original.to_rgba8();
        image::imageops::replace(&mut edited, &fitted, i64::from(region.x), i64::from(region.y));
        let edited = if original.color().has_alpha() {
            DynamicImage::ImageRgba8(edited)
        } else {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(edited).to_rgb8())
        };
        blend(original, &edited, &self.soft)
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

    #[test]
    fn a_models_answer_goes_back_only_inside_the_selection() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_fn(200, 120, |x, _| Rgb([x as u8, 90, 60])));
        let mask = GrayImage::from_fn(200, 120, |x, y| {
            Luma([if (100..140).contains(&x) && (40..80).contains(&y) { 255 } else { 0 }])
        });
        let selection = Selection::new(mask);
        let r = feather_radius(200, 120);
        // The region holds the soft mask and a margin, inside the image.
        let region = selection.region().unwrap();
        assert!(region.x <= 100 - 2 * r - 16 && region.y <= 40 - 2 * r - 16, "{region:?}");
        assert!(region.x + region.width >= 140 + 2 * r + 16 && region.x + region.width <= 200, "{region:?}");
        assert!(region.y + region.height <= 120, "{region:?}");
        // The edit mask is transparent over the selection and opaque far from it.
        let edit = selection.as_edit_mask();
        assert_eq!((edit.get_pixel(120, 60)[3], edit.get_pixel(10, 10)[3]), (0, 255));
        // A model answers the region at its own size, all green: green lands in the selection only.
        let answer = DynamicImage::ImageRgb8(RgbImage::from_pixel(512, 512, Rgb([0, 255, 0])));
        let out = selection.put_back(&img, &answer, region).to_rgb8();
        let before = img.to_rgb8();
        assert_eq!(out.get_pixel(120, 60).0, [0, 255, 0]);
        for (x, y, p) in out.enumerate_pixels() {
            if !(100 - 2 * r..140 + 2 * r).contains(&x) || !(40 - 2 * r..80 + 2 * r).contains(&y) {
                assert_eq!(p, before.get_pixel(x, y), "({x}, {y}) outside changed");
            }
        }
        assert!(Selection::new(GrayImage::new(20, 20)).region().is_none());
    }
}
