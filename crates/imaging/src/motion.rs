//! Short clips from still images: the frames of a slow zoom, a zoom-out reveal, a pan, or a crossfade
//! between two versions. Encoding the frames (animated GIF) is the caller's business.

use crate::prep::{fit, resize_exact};
use crate::{ImagingError, Result};
use image::{DynamicImage, GenericImageView, RgbaImage};

/// A camera movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// Slowly closer to the centre (1× → 1.25×).
    ZoomIn,
    /// Starts close and pulls back to show the whole picture (1.4× → 1×).
    ZoomOut,
    /// Slides from the left part of the picture to the right part.
    Pan,
    /// Dissolves from one version into another.
    Crossfade,
}

/// Smooth start and stop.
fn ease(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

/// `count` frames (2..=120) of `motion` over `image`, at most `long_side` pixels on the long side.
/// `other` is the image a crossfade ends on (resized to the same frame size).
pub fn frames(
    image: &DynamicImage,
    other: Option<&DynamicImage>,
    motion: Motion,
    count: u32,
    long_side: u32,
) -> Result<Vec<RgbaImage>> {
    let count = count.clamp(2, 120);
    let (w, h) = image.dimensions();
    // Work on a copy twice the output size: zooms stay sharp and every frame is cheap to cut.
    let (ww, wh) = fit(w, h, Some(long_side * 2));
    let work = resize_exact(image, ww, wh)?;
    let (out_w, out_h) = match motion {
        Motion::Pan => fit(ww * 7 / 10, wh, Some(long_side)),
        _ => fit(ww, wh, Some(long_side)),
    };
    let end = match (motion, other) {
        (Motion::Crossfade, Some(o)) => Some(resize_exact(o, out_w, out_h)?.to_rgba8()),
        (Motion::Crossfade, None) => return Err(ImagingError::Corrupt),
        _ => None,
    };
    let start = resize_exact(&work, out_w, out_h)?.to_rgba8();
    (0..count)
        .map(|i| {
            let t = ease(i as f32 / (count - 1) as f32);
            let crop = |scale: f32, x_frac: f32| -> Result<RgbaImage> {
                let (cw, ch) = (((ww as f32 / scale) as u32).max(1), ((wh as f32 / scale) as u32).max(1));
                let x = ((ww - cw) as f32 * x_frac) as u32;
                let y = (wh - ch) / 2;
                Ok(resize_exact(&work.crop_imm(x, y, cw, ch), out_w, out_h)?.to_rgba8())
            };
            match motion {
                Motion::ZoomIn => crop(1.0 + 0.25 * t, 0.5),
                Motion::ZoomOut => crop(1.4 - 0.4 * t, 0.5),
                Motion::Pan => {
                    let cw = ww * 7 / 10;
                    let x = ((ww - cw) as f32 * t) as u32;
                    Ok(resize_exact(&work.crop_imm(x, 0, cw, wh), out_w, out_h)?.to_rgba8())
                }
                Motion::Crossfade => {
                    let end = end.as_ref().ok_or(ImagingError::Corrupt)?;
                    let mut frame = start.clone();
                    for (p, q) in frame.pixels_mut().zip(end.pixels()) {
                        for c in 0..4 {
                            p[c] = (f32::from(p[c]) * (1.0 - t) + f32::from(q[c]) * t).round() as u8;
                        }
                    }
                    Ok(frame)
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Left half red, right half blue, with a white dot in the middle.
    fn scene() -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(400, 300, |x, y| {
            if (x as i32 - 200).pow(2) + (y as i32 - 150).pow(2) < 400 {
                image::Rgb([255, 255, 255])
            } else if x < 200 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        }))
    }

    fn white(frame: &RgbaImage) -> usize {
        frame.pixels().filter(|p| p[0] > 230 && p[1] > 230 && p[2] > 230).count()
    }

    #[test]
    fn a_zoom_grows_the_centre_and_a_reveal_shrinks_it() {
        let zoom = frames(&scene(), None, Motion::ZoomIn, 10, 200).unwrap();
        assert_eq!(zoom.len(), 10);
        assert!(zoom.iter().all(|f| f.dimensions() == (200, 150)));
        assert!(white(&zoom[9]) > white(&zoom[0]) * 14 / 10, "{} vs {}", white(&zoom[9]), white(&zoom[0]));
        let reveal = frames(&scene(), None, Motion::ZoomOut, 10, 200).unwrap();
        assert!(white(&reveal[0]) > white(&reveal[9]) * 17 / 10);
    }

    #[test]
    fn a_pan_moves_from_left_to_right() {
        let pan = frames(&scene(), None, Motion::Pan, 8, 200).unwrap();
        let red = |f: &RgbaImage| f.pixels().filter(|p| p[0] > 180 && p[2] < 80).count();
        assert!(red(&pan[0]) > red(&pan[7]) * 2, "more red (left) at the start");
    }

    #[test]
    fn a_crossfade_ends_on_the_other_version() {
        let other = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(400, 300, image::Rgb([0, 200, 0])));
        let fade = frames(&scene(), Some(&other), Motion::Crossfade, 6, 100).unwrap();
        assert_eq!(fade[5].get_pixel(10, 10).0, [0, 200, 0, 255]);
        assert!(fade[0].get_pixel(10, 10)[0] > 180);
        assert!(frames(&scene(), None, Motion::Crossfade, 6, 100).is_err());
    }
}
