//! Executes an [`EditPlan`] on pixels.

use crate::{EditPlan, Operation};
use vinano_imaging::{ops, DynamicImage};

/// Applies every operation of the plan in order.
pub fn run(plan: &EditPlan, image: &DynamicImage) -> DynamicImage {
    plan.operations.iter().fold(image.clone(), |img, op| apply(op, &img))
}

/// Applies one operation (a job runs a plan step by step, reporting progress and honouring cancellation
/// between steps).
pub fn apply(op: &Operation, img: &DynamicImage) -> DynamicImage {
    match *op {
        Operation::Brightness { percent } => ops::brightness(img, percent),
        Operation::Contrast { percent } => ops::contrast(img, percent),
        Operation::Grayscale => ops::grayscale(img),
        Operation::Rotate { degrees } => ops::rotate(img, degrees),
        Operation::FlipHorizontal => ops::flip_horizontal(img),
        Operation::FlipVertical => ops::flip_vertical(img),
        Operation::CropAspect { w, h } => ops::crop_to_aspect(img, w, h),
        Operation::ResizeLongSide { pixels } => ops::resize_long_side(img, pixels),
        Operation::Scale { factor } => ops::scale(img, factor),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, Rgb, RgbImage};

    #[test]
    fn black_and_white_then_rotate() {
        let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(40, 20, Rgb([200, 30, 30])));
        let plan = crate::plan("make it black and white and rotate it 90 degrees").unwrap();
        let out = run(&plan, &img);
        assert_eq!(out.dimensions(), (20, 40));
        assert!(out.to_rgb8().pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
    }
}
