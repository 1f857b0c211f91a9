//! Short clips from still images: the frames of a slow zoom, a zoom-out reveal, a pan, a parallax (the
//! subject closer than its background, from the segmentation's matte) or a crossfade between two versions.
//! Frames are handed over one at a time ([`render`]), so a 10 s clip at 24 fps never holds more than one;
//! encoding them is the caller's business.
//!
//! Every frame is resampled (Lanczos3) straight from a sub-pixel box of a working copy twice the clip's
//! size, so slow movements glide instead of stepping a pixel at a time.

use crate::prep::{fit, resize_exact};
use crate::{ImagingError, Result};
use fast_image_resize as fr;
use image::{DynamicImage, GenericImageView, GrayImage, RgbaImage};

/// The most frames one clip may have.
pub const MAX_FRAMES: u32 = 240;

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
    /// The camera drifts and pushes in, the subject (the matte) nearer than what is behind it: it grows
    /// and slides more than its background.
    Parallax,
}

/// Smooth start and stop.
fn ease(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

/// The size of a clip's frames from an image of `width` × `height`: the largest box of `shape` (width,
/// height; the picture's own when `None`, a pan's 70 % as wide) within the picture, at most `long_side` on
/// its long side, both sides even (as H.264's 4:2:0 colour needs) and at least 16 (one macroblock: a tiny
/// picture is enlarged).
pub fn frame_size(
    width: u32,
    height: u32,
    motion: Motion,
    long_side: u32,
    shape: Option<(u32, u32)>,
) -> (u32, u32) {
    let (w, h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let aspect = match (shape, motion) {
        (Some((a, b)), _) => f64::from(a.max(1)) / f64::from(b.max(1)),
        (None, Motion::Pan) => w * 0.7 / h,
        (None, _) => w / h,
    };
    let (bw, bh) = if w / h > aspect { (h * aspect, h) } else { (w, w / aspect) };
    let (fw, fh) = fit((bw.round() as u32).max(1), (bh.round() as u32).max(1), Some(long_side));
    ((fw & !1).max(16), (fh & !1).max(16))
}

/// A layer the frames are cut from.
struct Layer {
    image: fr::images::Image<'static>,
    alpha: bool,
}

impl Layer {
    fn new(image: RgbaImage, alpha: bool) -> Result<Self> {
        let (w, h) = image.dimensions();
        let image = fr::images::Image::from_vec_u8(w, h, image.into_raw(), fr::PixelType::U8x4)
            .map_err(|_| ImagingError::Corrupt)?;
        Ok(Self { image, alpha })
    }

    /// The largest box of `out`'s shape in the layer, made `scale` times smaller (1 = the largest).
    fn box_of(&self, scale: f64, out: (u32, u32)) -> (f64, f64) {
        let (w, h) = (f64::from(self.image.width()), f64::from(self.image.height()));
        let shape = f64::from(out.0) / f64::from(out.1);
        let (bw, bh) = if w / h > shape { (h * shape, h) } else { (w, w / shape) };
        (bw / scale.max(1.0), bh / scale.max(1.0))
    }

    /// The box of `scale` (1 = the largest of `out`'s shape) centred on (`cx`, `cy`) (fractions), kept
    /// inside the layer, at `out`.
    fn view(&self, scale: f64, (cx, cy): (f64, f64), out: (u32, u32)) -> Result<RgbaImage> {
        let (w, h) = (f64::from(self.image.width()), f64::from(self.image.height()));
        let (bw, bh) = self.box_of(scale, out);
        let x = (cx * w - bw / 2.0).clamp(0.0, w - bw);
        let y = (cy * h - bh / 2.0).clamp(0.0, h - bh);
        self.cut((x, y, bw, bh), out)
    }

    /// A pan's frame at `t` (0..=1): the largest box of `out`'s shape travelling from the left edge to the
    /// right, through the middle height; when that box is the picture's whole width, a box 70 % as large.
    fn pan(&self, t: f64, out: (u32, u32)) -> Result<RgbaImage> {
        let (w, h) = (f64::from(self.image.width()), f64::from(self.image.height()));
        let (bw, _) = self.box_of(1.0, out);
        let scale = if bw > w * 0.9 { 1.0 / 0.7 } else { 1.0 };
        let (bw, bh) = self.box_of(scale, out);
        self.cut(((w - bw) * t, (h - bh) / 2.0, bw, bh), out)
    }

    fn cut(&self, (x, y, bw, bh): (f64, f64, f64, f64), out: (u32, u32)) -> Result<RgbaImage> {
        let mut dst = fr::images::Image::new(out.0, out.1, fr::PixelType::U8x4);
        let options = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
            .crop(x, y, bw, bh)
            .use_alpha(self.alpha);
        fr::Resizer::new().resize(&self.image, &mut dst, &options).map_err(|_| ImagingError::Corrupt)?;
        RgbaImage::from_raw(out.0, out.1, dst.into_vec()).ok_or(ImagingError::Corrupt)
    }
}

/// Lays `top` over `bottom` by its alpha.
fn over(bottom: &mut RgbaImage, top: &RgbaImage) {
    for (b, t) in bottom.pixels_mut().zip(top.pixels()) {
        let a = u32::from(t[3]);
        for c in 0..3 {
            b[c] = ((u32::from(t[c]) * a + u32::from(b[c]) * (255 - a) + 127) / 255) as u8;
        }
    }
}

/// Hands `count` frames (2..=[`MAX_FRAMES`]) of `motion` over `image` to `each`, one at a time, at
/// [`frame_size`] (of `shape` when given); returns that size. `other` is the image a crossfade ends on; `matte` (any size, 255 is
/// subject) is what a parallax moves in front.
pub fn render(
    image: &DynamicImage,
    other: Option<&DynamicImage>,
    matte: Option<&GrayImage>,
    motion: Motion,
    (count, long_side, shape): (u32, u32, Option<(u32, u32)>),
    mut each: impl FnMut(&RgbaImage) -> Result<()>,
) -> Result<(u32, u32)> {
    let count = count.clamp(2, MAX_FRAMES);
    let (w, h) = image.dimensions();
    // A working copy twice the clip's size: zooms stay sharp.
    let (ww, wh) = fit(w, h, Some(long_side * 2));
    let work = resize_exact(image, ww, wh)?.to_rgba8();
    let out = frame_size(ww, wh, motion, long_side, shape);
    let t = |i: u32| ease(f64::from(i) / f64::from(count - 1));
    match motion {
        Motion::ZoomIn | Motion::ZoomOut | Motion::Pan => {
            let layer = Layer::new(work, false)?;
            for i in 0..count {
                let frame = match motion {
                    Motion::ZoomIn => layer.view(1.0 + 0.25 * t(i), (0.5, 0.5), out)?,
                    Motion::ZoomOut => layer.view(1.4 - 0.4 * t(i), (0.5, 0.5), out)?,
                    _ => layer.pan(t(i), out)?,
                };
                each(&frame)?;
            }
        }
        Motion::Crossfade => {
            let other = other.ok_or(ImagingError::Corrupt)?;
            let start = Layer::new(work, false)?.view(1.0, (0.5, 0.5), out)?;
            let end =
                Layer::new(resize_exact(other, ww, wh)?.to_rgba8(), false)?.view(1.0, (0.5, 0.5), out)?;
            for i in 0..count {
                let k = t(i);
                let mut frame = start.clone();
                for (p, q) in frame.pixels_mut().zip(end.pixels()) {
                    for c in 0..4 {
                        p[c] = (f64::from(p[c]) * (1.0 - k) + f64::from(q[c]) * k).round() as u8;
                    }
                }
                each(&frame)?;
            }
        }
        Motion::Parallax => {
            let matte = matte.ok_or(ImagingError::Corrupt)?;
            let matte = resize_exact(&DynamicImage::ImageLuma8(matte.clone()), ww, wh)?.to_luma8();
            let (back, front) = layers(work, &matte);
            let (back, front) = (Layer::new(back, false)?, Layer::new(front, true)?);
            for i in 0..count {
                let k = t(i);
                // Both drift right and push in; the subject, nearer, three times as much.
                let mut frame = back.view(1.05 + 0.04 * k, (0.5 + 0.012 * (k - 0.5), 0.5), out)?;
                let subject = front.view(1.05 + 0.12 * k, (0.5 + 0.036 * (k - 0.5), 0.5), out)?;
                over(&mut frame, &subject);
                each(&frame)?;
            }
        }
    }
    Ok(out)
}

/// A parallax's two layers: behind, the picture with the subject's place blurred (so its outline doesn't
/// show as the subject slides over it); in front, the subject alone.
fn layers(work: RgbaImage, matte: &GrayImage) -> (RgbaImage, RgbaImage) {
    let (w, h) = work.dimensions();
    let soft = DynamicImage::ImageRgba8(work.clone()).fast_blur((w.max(h) as f32 / 40.0).max(1.0)).to_rgba8();
    // The subject's place and a margin around it.
    let reach =
        DynamicImage::ImageLuma8(matte.clone()).fast_blur((w.max(h) as f32 / 60.0).max(1.0)).to_luma8();
    let mut back = work.clone();
    for ((p, s), r) in back.pixels_mut().zip(soft.pixels()).zip(reach.pixels()) {
        let k = (u32::from(r[0]) * 4).min(255);
        for c in 0..3 {
            p[c] = ((u32::from(s[c]) * k + u32::from(p[c]) * (255 - k) + 127) / 255) as u8;
        }
        p[3] = 255;
    }
    let mut front = work;
    for (p, m) in front.pixels_mut().zip(matte.pixels()) {
        p[3] = m[0];
    }
    (back, front)
}

/// Every frame at once (for small clips and tests): see [`render`].
pub fn frames(
    image: &DynamicImage,
    other: Option<&DynamicImage>,
    motion: Motion,
    count: u32,
    long_side: u32,
) -> Result<Vec<RgbaImage>> {
    let mut all = Vec::new();
    render(image, other, None, motion, (count, long_side, None), |f| {
        all.push(f.clone());
        Ok(())
    })?;
    Ok(all)
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
        assert_eq!(pan[0].dimensions(), (186, 200), "70 % of the width at full height, even");
        let red = |f: &RgbaImage| f.pixels().filter(|p| p[0] > 180 && p[2] < 80).count();
        assert!(red(&pan[0]) > red(&pan[7]) * 2, "more red (left) at the start");
    }

    #[test]
    fn a_wide_pan_travels_across_the_picture_and_keeps_its_shape() {
        // 16:9 frames over the 4:3 scene: the box is the whole width, so a closer one travels across it.
        let mut all = Vec::new();
        render(&scene(), None, None, Motion::Pan, (8, 160, Some((16, 9))), |f| {
            all.push(f.clone());
            Ok(())
        })
        .unwrap();
        assert!(all.iter().all(|f| f.dimensions() == (160, 90)));
        let red = |f: &RgbaImage| f.pixels().filter(|p| p[0] > 180 && p[2] < 80).count();
        assert!(red(&all[0]) > red(&all[7]) * 2, "from the left (red) to the right (blue)");
    }

    #[test]
    fn a_crossfade_ends_on_the_other_version() {
        let other = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(400, 300, image::Rgb([0, 200, 0])));
        let fade = frames(&scene(), Some(&other), Motion::Crossfade, 6, 100).unwrap();
        assert_eq!(fade[5].get_pixel(10, 10).0, [0, 200, 0, 255]);
        assert!(fade[0].get_pixel(10, 10)[0] > 180);
        assert!(frames(&scene(), None, Motion::Crossfade, 6, 100).is_err());
    }

    #[test]
    fn sizes_are_even_and_frames_come_one_at_a_time() {
        assert_eq!(frame_size(1001, 751, Motion::ZoomIn, 1080, None), (1000, 750));
        assert_eq!(frame_size(4000, 3000, Motion::ZoomIn, 1080, None), (1080, 810));
        assert_eq!(frame_size(9, 7, Motion::Pan, 1080, None), (16, 16));
        // A shape asked for: the largest such box in the picture, at most 1080 long.
        assert_eq!(frame_size(4000, 3000, Motion::Pan, 1080, Some((16, 9))), (1080, 608));
        assert_eq!(frame_size(4000, 3000, Motion::ZoomIn, 1080, Some((9, 16))), (608, 1080));
        let mut seen = 0;
        let size = render(&scene(), None, None, Motion::ZoomIn, (48, 100, None), |f| {
            assert_eq!(f.dimensions(), (100, 74));
            seen += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!((size, seen), ((100, 74), 48));
    }

    #[test]
    fn in_a_parallax_the_subject_grows_more_than_what_is_behind_it() {
        // A grey disc (the subject, by its matte) in front of a red/blue wall.
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_fn(400, 300, |x, y| {
            if (x as i32 - 200).pow(2) + (y as i32 - 150).pow(2) < 60 * 60 {
                image::Rgb([128, 128, 128])
            } else if x < 200 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        }));
        let matte = GrayImage::from_fn(400, 300, |x, y| {
            image::Luma([if (x as i32 - 200).pow(2) + (y as i32 - 150).pow(2) < 60 * 60 { 255 } else { 0 }])
        });
        let mut all = Vec::new();
        render(&photo, None, Some(&matte), Motion::Parallax, (12, 200, None), |f| {
            all.push(f.clone());
            Ok(())
        })
        .unwrap();
        let grey =
            |f: &RgbaImage| f.pixels().filter(|p| p[0].abs_diff(128) < 20 && p[2].abs_diff(128) < 20).count();
        let (first, last) = (grey(&all[0]) as f64, grey(&all[11]) as f64);
        // The disc's area grows by about (1.17 / 1.05)² ≈ 1.24; the wall's zoom alone would give 1.08.
        assert!(last / first > 1.17, "{first} → {last}");
        assert!(
            render(&photo, None, None, Motion::Parallax, (12, 200, None), |_| Ok(())).is_err(),
            "needs a matte"
        );
    }
}
