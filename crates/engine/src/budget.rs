//! Pixel budgets: what size each step of a plan makes, worked out from the input's size before any pixel
//! is touched, so that a plan that would need gigabytes ("resize to 400 %" three times) is refused at once
//! instead of aborting the process when the allocation fails.
//!
//! The same check runs twice: when a plan is made (the request is refused before a job exists) and in the
//! executor after every step (plans from a model planner or a provider can be anything).

use crate::plan::{EditPlan, Operation};
use crate::run::POSTER;
use std::fmt;

/// Frames per second of a locally rendered clip.
pub const CLIP_FPS: u32 = 24;
/// Long side of a locally rendered clip, in pixels.
pub const CLIP_SIZE: u32 = 1080;
/// Most frames a clip may have (10 s at [`CLIP_FPS`]).
pub const MAX_CLIP_FRAMES: u32 = 240;
/// What a clip holds at once, in frames of its size: its frames are made and encoded one at a time from a
/// working copy twice its size (four frames), with a parallax's two layers or a crossfade's two ends, the
/// frame and its YUV copy.
const CLIP_HELD_FRAMES: u64 = 12;

/// A plan (or one of its steps) would make an image larger than the budget allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "This would make a {} × {} image; the limit is {} megapixels.",
    group(*.width),
    group(*.height),
    megapixels(*.max_pixels)
)]
pub struct TooLarge {
    /// Width the step would reach.
    pub width: u64,
    /// Height the step would reach.
    pub height: u64,
    /// The budget, in pixels.
    pub max_pixels: u64,
}

impl TooLarge {
    /// What the person is told.
    pub fn said(&self) -> vinano_api::Problem {
        vinano_api::Problem::new(vinano_api::Msg::TooManyPixels)
            .num("width", self.width)
            .num("height", self.height)
            .num("limit_mp", megapixels(self.max_pixels))
    }
}

pub use vinano_api::problem::group;

/// The budget in whole megapixels (rounded down, at least 1 when there is a budget at all).
pub fn megapixels(pixels: u64) -> u64 {
    (pixels / 1_000_000).max(u64::from(pixels > 0))
}

/// Width and height, wide enough that no product or sum of steps can overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Pixels across.
    pub width: u64,
    /// Pixels down.
    pub height: u64,
}

impl Size {
    /// A size from an image's dimensions.
    pub fn new(width: u32, height: u32) -> Self {
        Self { width: u64::from(width), height: u64::from(height) }
    }

    /// Number of pixels.
    pub fn pixels(self) -> u64 {
        self.width.saturating_mul(self.height)
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × {}", group(self.width), group(self.height))
    }
}

/// Scales one side as the executor does (`round`, at least 1 pixel).
fn scaled(side: u64, factor: f64) -> u64 {
    ((side as f64 * factor).round() as u64).max(1)
}

impl Operation {
    /// The size this step makes from an input of `input` (an upper bound for crops, exact otherwise).
    /// A clip's size is that of one frame.
    pub fn output_size(&self, input: Size) -> Size {
        let Size { width: w, height: h } = input;
        match self {
            Operation::Rotate { degrees } if degrees.rem_euclid(180) == 90 => Size { width: h, height: w },
            Operation::ResizeLongSide { pixels } => {
                let factor = f64::from((*pixels).max(1)) / w.max(h).max(1) as f64;
                Size { width: scaled(w, factor), height: scaled(h, factor) }
            }
            // As the executor computes it, in `f32`.
            Operation::Scale { factor } => {
                let side = |s: u64| ((s as f32 * factor).round() as u64).max(1);
                Size { width: side(w), height: side(h) }
            }
            Operation::Border { width, .. } => {
                let extra = 2 * u64::from(*width);
                Size { width: w.saturating_add(extra), height: h.saturating_add(extra) }
            }
            Operation::Poster { design, .. } => {
                design.as_ref().map_or(Size::new(POSTER.0, POSTER.1), |d| Size::new(d.width, d.height))
            }
            // Each image in a cell the size of the picture so far.
            Operation::Combine { images, layout } => {
                let n = images.len().max(1) as u64;
                match layout {
                    crate::Layout::Row => Size { width: w.saturating_mul(n), height: h },
                    crate::Layout::Column => Size { width: w, height: h.saturating_mul(n) },
                    crate::Layout::Grid => {
                        Size { width: w.saturating_mul(n.min(2)), height: h.saturating_mul(n.div_ceil(2)) }
                    }
                }
            }
            // The form's canvas, or the subject (at most the whole image) on a square a quarter larger
            // than its long side.
            Operation::IdPhoto { sheet: true, .. } => Size { width: 1800, height: 1200 },
            Operation::IdPhoto { standard, .. } => {
                let (w, h) = standard.pixels();
                Size { width: u64::from(w), height: u64::from(h) }
            }
            Operation::ProductShot { canvas: Some(c), .. } => {
                Size { width: u64::from(c.width), height: u64::from(c.height) }
            }
            Operation::ProductShot { .. } => {
                let side = (w.max(h) as f64 / 0.8).ceil() as u64;
                Size { width: side, height: side }
            }
            Operation::Video { .. } => {
                let long = w.max(h).max(1);
                let factor = (f64::from(CLIP_SIZE) / long as f64).min(1.0);
                Size { width: scaled(w, factor), height: scaled(h, factor) }
            }
            _ => input,
        }
    }
}

impl EditPlan {
    /// Checks, from the input's size (`None` when the plan starts from nothing, like a poster), that no
    /// step makes an image over `max_pixels`, and that a clip's frames together stay within it too. The
    /// error names the first size that would cross the budget.
    pub fn check_budget(&self, input: Option<(u32, u32)>, max_pixels: u64) -> Result<(), TooLarge> {
        let mut size = input.map_or(Size::new(1, 1), |(w, h)| Size::new(w, h));
        let over = |s: Size| TooLarge { width: s.width, height: s.height, max_pixels };
        if size.pixels() > max_pixels {
            return Err(over(size));
        }
        for op in &self.operations {
            // A resize reads its whole input while it writes its whole output: both count.
            let next = op.output_size(size);
            if next.pixels() > max_pixels {
                return Err(over(next));
            }
            if let Operation::Video { .. } = op {
                let all = next.pixels().saturating_mul(CLIP_HELD_FRAMES);
                if all > max_pixels {
                    return Err(over(Size {
                        width: next.width,
                        height: next.height.saturating_mul(CLIP_HELD_FRAMES),
                    }));
                }
            }
            size = next;
        }
        Ok(())
    }
}

impl EditPlan {
    /// The most pixels held at once while the plan runs from an image of `input`: the largest input and
    /// output of one step together (a step reads its whole input while it writes its whole output). What
    /// the server budgets memory by, before the job starts.
    pub fn peak_pixels(&self, input: Option<(u32, u32)>) -> u64 {
        let mut size = input.map_or(Size::new(1, 1), |(w, h)| Size::new(w, h));
        let mut peak = size.pixels().saturating_mul(2);
        for op in &self.operations {
            let next = op.output_size(size);
            let mut held = size.pixels().saturating_add(next.pixels());
            if let Operation::Video { .. } = op {
                held = held.saturating_add(next.pixels().saturating_mul(CLIP_HELD_FRAMES));
            }
            // The matte and the photo's RGB copy come on top of the input and the output.
            if op.needs_segmentation() {
                held = held.saturating_add(size.pixels());
            }
            // Inside a selection: the mask and its softened copy, and the blend's result.
            if self.in_selection {
                held = held.saturating_add(size.pixels().saturating_mul(2));
            }
            // Object removal's working copy, pyramid, matches and votes (4 bytes a pixel here).
            if *op == Operation::Erase {
                held = held.saturating_add(vinano_imaging::inpaint::peak_bytes(size.pixels()) / 4);
            }
            peak = peak.max(held);
            size = next;
        }
        peak
    }
}

/// Checks an image the executor has just made against the budget (a step of a planner's or provider's
/// plan may have grown it beyond what was foreseen).
pub fn check_image(width: u32, height: u32, max_pixels: u64) -> Result<(), TooLarge> {
    let size = Size::new(width, height);
    if size.pixels() > max_pixels {
        return Err(TooLarge { width: size.width, height: size.height, max_pixels });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use crate::run::run;
    use image::{DynamicImage, GenericImageView, RgbImage};

    const MP40: u64 = 40_000_000;

    #[test]
    fn three_times_four_hundred_percent_is_refused_naming_the_size_it_would_reach() {
        let p = plan("resize it to 400% then resize it to 400% then resize it to 400%").unwrap();
        assert_eq!(p.operations.len(), 3, "{p:?}");
        let err = p.check_budget(Some((1800, 1200)), MP40).unwrap_err();
        assert_eq!((err.width, err.height), (28_800, 19_200));
        assert_eq!(err.to_string(), "This would make a 28 800 × 19 200 image; the limit is 40 megapixels.");
        // One 400 % step of the same photo is fine: 7 200 × 4 800 = 34.6 MP.
        plan("resize it to 400%").unwrap().check_budget(Some((1800, 1200)), MP40).unwrap();
    }

    #[test]
    fn predicted_sizes_match_what_the_executor_makes() {
        let img = DynamicImage::ImageRgb8(RgbImage::new(61, 37));
        for text in [
            "scale to 150%",
            "resize to 800px",
            "rotate 90 degrees",
            "add a 40 px black border",
            "crop it square",
            "remove 10% from the left",
            "turn it into a poster",
            "make it half the size and rotate it 270 degrees",
        ] {
            let p = plan(text).unwrap();
            let mut size = Size::new(61, 37);
            for op in &p.operations {
                size = op.output_size(size);
            }
            let (w, h) = run(&p, &img, crate::tests_tools()).unwrap().dimensions();
            assert!(u64::from(w) <= size.width && u64::from(h) <= size.height, "{text}: {w}×{h} vs {size}");
            if !text.contains("crop") && !text.contains("remove") {
                assert_eq!(Size::new(w, h), size, "{text}");
            }
        }
    }

    #[test]
    fn borders_posters_and_clips_count_too() {
        let border = plan("add a 40 px black border").unwrap();
        // 6 320 × 6 320 becomes 6 400 × 6 400 = 40.96 MP.
        assert_eq!(border.check_budget(Some((6320, 6320)), MP40).unwrap_err().width, 6400);
        border.check_budget(Some((6000, 6000)), MP40).unwrap();
        // A poster starts from nothing and is always the same size.
        plan("turn it into a poster").unwrap().check_budget(None, MP40).unwrap();
        // A 10-second clip of 480 × 480 frames needs 100 frames' worth of pixels.
        let clip = crate::EditPlan {
            operations: vec![Operation::Video { motion: crate::Motion::ZoomIn, seconds: 10, shape: None }],
            not_understood: vec![],
            in_selection: false,
            base: None,
        };
        clip.check_budget(Some((4000, 4000)), MP40).unwrap();
        assert!(clip.check_budget(Some((4000, 4000)), 10_000_000).is_err());
    }

    #[test]
    fn an_input_already_over_the_budget_is_refused_and_sizes_never_overflow() {
        assert!(plan("make it brighter").unwrap().check_budget(Some((10_000, 5_000)), MP40).is_err());
        let huge = Size { width: u64::MAX / 2, height: 3 };
        assert_eq!(huge.pixels(), u64::MAX);
        assert_eq!(
            Operation::Border { width: 500, color: [0; 3] }.output_size(huge).width,
            u64::MAX / 2 + 1000
        );
        assert!(check_image(8000, 5001, MP40).is_err());
        check_image(8000, 5000, MP40).unwrap();
    }

    #[test]
    fn the_peak_is_the_largest_step_with_its_input() {
        // 1 000 × 1 000, doubled (4 MP out while 1 MP is read), then halved (4 MP in, 1 MP out).
        let p = plan("scale to 200% then scale to 50%").unwrap();
        assert_eq!(p.peak_pixels(Some((1000, 1000))), 5_000_000);
        // A plan that keeps the size holds the input twice (source and result).
        assert_eq!(plan("flip it").unwrap().peak_pixels(Some((1000, 1000))), 2_000_000);
    }

    #[test]
    fn numbers_are_grouped_by_three() {
        assert_eq!(group(7), "7");
        assert_eq!(group(800), "800");
        assert_eq!(group(28_800), "28 800");
        assert_eq!(group(1_234_567), "1 234 567");
        assert_eq!(megapixels(40_000_000), 40);
        assert_eq!(megapixels(500_000), 1);
    }
}
