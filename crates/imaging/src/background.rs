//! What goes behind the subject once a [`matte`](crate::matte) tells it apart: nothing (a cut-out with
//! transparency), a colour, a gradient, a blurred copy of the photo (portrait mode), or a clean product
//! shot (the subject centred on a plain square with margins and an optional soft shadow).

use crate::matte::Plane;
use image::{imageops::FilterType, DynamicImage, GrayImage, RgbImage, Rgba, RgbaImage};

/// Long side of the copy a background blur is worked out on.
const BLUR_SIDE: u32 = 512;

/// What replaces the background.
#[derive(Debug, Clone, PartialEq)]
pub enum Backdrop {
    /// A solid colour.
    Color([u8; 3]),
    /// A top-to-bottom gradient.
    Gradient([[u8; 3]; 2]),
    /// The photo itself, blurred with this radius as a share of its long side (portrait mode).
    Blur(f32),
    /// Another picture, scaled to cover the photo and cut around its centre.
    Picture(DynamicImage),
}

/// The subject alone, as a file to hand over: [`cut_out`] with the colour of every fully transparent pixel
/// cleared, so the removed background can't be brought back by dropping the alpha channel. Kept apart from
/// [`cut_out`] because a cut-out that is scaled afterwards needs those colours: black there would darken its
/// edges.
pub fn removed(img: &DynamicImage, matte: &GrayImage) -> RgbaImage {
    let mut rgba = cut_out(img, matte);
    for p in rgba.pixels_mut().filter(|p| p[3] == 0) {
        p.0 = [0; 4];
    }
    rgba
}

/// The subject alone: the photo with the matte as its alpha (times any alpha it had).
pub fn cut_out(img: &DynamicImage, matte: &GrayImage) -> RgbaImage {
    let mut rgba = img.to_rgba8();
    for (p, a) in rgba.pixels_mut().zip(matte.pixels()) {
        p[3] = ((u16::from(p[3]) * u16::from(a[0]) + 127) / 255) as u8;
    }
    rgba
}

/// The subject over `backdrop`, opaque, at the photo's size.
pub fn replace(img: &DynamicImage, matte: &GrayImage, backdrop: Backdrop) -> DynamicImage {
    let rgb = img.to_rgb8();
    let (w, h) = rgb.dimensions();
    let behind: Box<dyn Fn(u32, u32) -> [f32; 3]> = match backdrop {
        Backdrop::Color(c) => Box::new(move |_, _| c.map(f32::from)),
        Backdrop::Gradient([top, bottom]) => Box::new(move |_, y| {
            let t = y as f32 / h.saturating_sub(1).max(1) as f32;
            [0, 1, 2].map(|c| f32::from(top[c]) * (1.0 - t) + f32::from(bottom[c]) * t)
        }),
        Backdrop::Blur(share) => {
            // A blur this wide loses nothing when worked out on a small copy and scaled back up.
            let long = w.max(h).max(1);
            let k = (BLUR_SIDE as f32 / long as f32).min(1.0);
            let (sw, sh) = (((w as f32 * k).round() as u32).max(1), ((h as f32 * k).round() as u32).max(1));
            let small = image::imageops::resize(&rgb, sw, sh, FilterType::Triangle);
            let small_matte = image::imageops::resize(matte, sw, sh, FilterType::Triangle);
            let radius = ((sw.max(sh) as f32 * share).round() as usize).max(1);
            let planes = background_blur(&small, &small_matte, radius);
            let (kx, ky) = (sw as f32 / w as f32, sh as f32 / h as f32);
            Box::new(move |x, y| {
                let (sx, sy) = ((x as f32 + 0.5) * kx, (y as f32 + 0.5) * ky);
                [0, 1, 2].map(|c| planes[c].sample(sx, sy))
            })
        }
        Backdrop::Picture(picture) => {
            let covered = crate::compose::cover(&picture, w, h);
            Box::new(move |x, y| {
                let p = covered.get_pixel(x, y);
                [0, 1, 2].map(|c| f32::from(p[c]))
            })
        }
    };
    let out = image::RgbImage::from_fn(w, h, |x, y| {
        let a = f32::from(matte.get_pixel(x, y)[0]) / 255.0;
        let p = rgb.get_pixel(x, y);
        let b = behind(x, y);
        image::Rgb(
            [0, 1, 2].map(|c| (f32::from(p[c]) * a + b[c] * (1.0 - a)).round().clamp(0.0, 255.0) as u8),
        )
    });
    DynamicImage::ImageRgb8(out)
}

/// The background's colours blurred without the subject's (each pixel weighted by how much it is
/// background), so no halo of the subject spreads into the blur. Three box passes approximate a Gaussian.
fn background_blur(rgb: &RgbImage, matte: &GrayImage, radius: usize) -> [Plane; 3] {
    let (w, h) = (rgb.width() as usize, rgb.height() as usize);
    let weight: Vec<f32> = matte.as_raw().iter().map(|&a| 1.0 - f32::from(a) / 255.0).collect();
    let pass = |p: Plane| (0..3).fold(p, |p, _| p.boxed(radius / 2 + 1));
    let weights = pass(Plane { w, h, v: weight.clone() });
    [0, 1, 2].map(|c| {
        let v = rgb.pixels().zip(&weight).map(|(p, k)| f32::from(p[c]) * k).collect();
        let sum = pass(Plane { w, h, v });
        // Where no background is near (deep inside a large subject), the photo's own blur stands in.
        let plain = pass(Plane { w, h, v: rgb.pixels().map(|p| f32::from(p[c])).collect() });
        let v = sum
            .v
            .iter()
            .zip(&weights.v)
            .zip(&plain.v)
            .map(|((s, k), p)| if *k > 1e-3 { s / k } else { *p })
            .collect();
        Plane { w, h, v }
    })
}

/// The part of the matte that is subject (alpha ≥ 16), as x, y, width, height; `None` when there is none.
pub fn subject_box(matte: &GrayImage) -> Option<(u32, u32, u32, u32)> {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, a) in matte.enumerate_pixels() {
        if a[0] >= 16 {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    (x0 <= x1).then(|| (x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

/// How a product shot is laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProductLayout {
    /// The canvas's width and height; `None`: a square a quarter larger than the subject's long side, the
    /// subject at its own size.
    pub size: Option<(u32, u32)>,
    /// With a size, the empty margin on each side as a share of the width and of the height (0.0..0.5); the
    /// subject is scaled to fill what is left, keeping its shape.
    pub margin: f32,
    /// The backdrop's colour at the top and at the bottom (the same for a plain one).
    pub colors: [[u8; 3]; 2],
    /// A soft elliptical shadow under the subject.
    pub shadow: bool,
    /// A drawn scene instead of the colours: the subject stands on its floor, with a shadow under it.
    pub scene: Option<crate::scene::Scene>,
}

impl ProductLayout {
    /// The subject at its own size on a plain square of `color`.
    pub fn plain(color: [u8; 3], shadow: bool) -> Self {
        Self { size: None, margin: 0.1, colors: [color, color], shadow, scene: None }
    }
}

/// A product shot: the subject cut out, centred on the layout's canvas with its margins, and (with a
/// shadow) a soft ellipse under it. `None` when the matte holds no subject.
pub fn product_shot(img: &DynamicImage, matte: &GrayImage, layout: &ProductLayout) -> Option<DynamicImage> {
    let (x, y, w, h) = subject_box(matte)?;
    let mut subject = image::imageops::crop_imm(&cut_out(img, matte), x, y, w, h).to_image();
    // In a scene, the subject leaves room for the wall behind it and the floor in front.
    let margin = match layout.scene {
        Some(_) => layout.margin.max(0.15),
        None => layout.margin,
    };
    let (cw, ch) = match layout.size {
        Some(size) => {
            let keep = (1.0 - 2.0 * margin.clamp(0.0, 0.45)).max(0.1);
            let k = (size.0 as f32 * keep / w as f32).min(size.1 as f32 * keep / h as f32);
            let (sw, sh) = (((w as f32 * k).round() as u32).max(1), ((h as f32 * k).round() as u32).max(1));
            if (sw, sh) != (w, h) {
                subject = image::imageops::resize(&subject, sw, sh, FilterType::CatmullRom);
            }
            size
        }
        None => {
            let side = ((w.max(h) as f32) / 0.8).ceil() as u32;
            (side, side)
        }
    };
    let (w, h) = subject.dimensions();
    let [top_colour, bottom_colour] = layout.colors;
    let last = ch.saturating_sub(1).max(1) as f32;
    let left = cw.saturating_sub(w) / 2;
    // Centred; in a scene, standing on its floor (but never off the canvas).
    let top = match layout.scene {
        Some(scene) => ((ch as f32 * scene.floor()) as u32).saturating_sub(h).min(ch.saturating_sub(h)),
        None => ch.saturating_sub(h) / 2,
    };
    let mut canvas = match layout.scene {
        Some(scene) => crate::scene::draw(scene, cw, ch, (cw as f32 / 2.0, (top + h) as f32)),
        None => RgbaImage::from_fn(cw, ch, |_, py| {
            let t = py as f32 / last;
            let [r, g, b] = [0, 1, 2].map(|c| {
                (f32::from(top_colour[c]) * (1.0 - t) + f32::from(bottom_colour[c]) * t).round() as u8
            });
            Rgba([r, g, b, 255])
        }),
    };
    if layout.shadow || layout.scene.is_some() {
        let (cx, cy) = (cw as f32 / 2.0, (top + h) as f32);
        let (rx, ry) = (w as f32 * 0.42, (h as f32 * 0.035).max(2.0));
        for (px, py, p) in canvas.enumerate_pixels_mut() {
            let d = ((px as f32 + 0.5 - cx) / rx).powi(2) + ((py as f32 + 0.5 - cy) / ry).powi(2);
            // Darkest (35 %) at the centre, fading out smoothly by twice the radius.
            let k = 0.35 * (1.0 - (d / 4.0).min(1.0)).powi(2);
            for c in 0..3 {
                p[c] = (f32::from(p[c]) * (1.0 - k)).round() as u8;
            }
        }
    }
    image::imageops::overlay(&mut canvas, &subject, i64::from(left), i64::from(top));
    Some(DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, Luma, Rgb, RgbImage};

    /// A red square (the subject) on a black-and-white checkerboard, and its matte.
    fn scene() -> (DynamicImage, GrayImage) {
        let inside = |x: u32, y: u32| (30..70).contains(&x) && (20..60).contains(&y);
        let img = RgbImage::from_fn(100, 80, |x, y| {
            if inside(x, y) {
                Rgb([220, 20, 20])
            } else if (x / 4 + y / 4) % 2 == 0 {
                Rgb([255, 255, 255])
            } else {
                Rgb([0, 0, 0])
            }
        });
        let matte = GrayImage::from_fn(100, 80, |x, y| Luma([if inside(x, y) { 255 } else { 0 }]));
        (DynamicImage::ImageRgb8(img), matte)
    }

    #[test]
    fn a_cut_out_keeps_the_subject_and_clears_the_rest() {
        let (img, matte) = scene();
        let out = cut_out(&img, &matte);
        assert_eq!(out.get_pixel(50, 40).0, [220, 20, 20, 255]);
        assert_eq!(out.get_pixel(5, 5)[3], 0);
    }

    #[test]
    fn a_removed_background_leaves_no_trace_in_the_file() {
        let (img, matte) = scene();
        let out = removed(&img, &matte);
        assert_eq!(out.get_pixel(50, 40).0, [220, 20, 20, 255]);
        // The checkerboard was white and black: every pixel outside is now empty, colour included.
        assert!(out
            .enumerate_pixels()
            .filter(|(x, y, _)| matte.get_pixel(*x, *y)[0] == 0)
            .all(|(_, _, p)| p.0 == [0; 4]));
        // Dropping the alpha channel shows black, not the background that was removed.
        assert_eq!(DynamicImage::ImageRgba8(out).to_rgb8().get_pixel(5, 5).0, [0, 0, 0]);
    }

    #[test]
    fn a_colour_or_gradient_goes_behind_the_subject_only() {
        let (img, matte) = scene();
        let blue = replace(&img, &matte, Backdrop::Color([30, 60, 200])).to_rgb8();
        assert_eq!(blue.get_pixel(50, 40).0, [220, 20, 20]);
        assert_eq!(blue.get_pixel(2, 2).0, [30, 60, 200]);
        let fade = replace(&img, &matte, Backdrop::Gradient([[0, 0, 0], [255, 255, 255]])).to_rgb8();
        assert!(fade.get_pixel(2, 0)[0] < 5 && fade.get_pixel(2, 79)[0] > 250);
    }

    #[test]
    fn portrait_mode_blurs_the_background_without_the_subject_s_colour() {
        let (img, matte) = scene();
        let out = replace(&img, &matte, Backdrop::Blur(0.08)).to_rgb8();
        assert_eq!(out.get_pixel(50, 40).0, [220, 20, 20], "the subject is untouched");
        // The checkerboard far from the subject becomes an even grey...
        let p = out.get_pixel(10, 70);
        assert!((100..160).contains(&p[0]) && p[0].abs_diff(p[1]) < 3, "{p:?}");
        // ...and right next to the subject it carries no red.
        let edge = out.get_pixel(28, 40);
        assert!(edge[0].abs_diff(edge[1]) < 6, "{edge:?}");
    }

    #[test]
    fn a_product_shot_is_square_centred_and_padded() {
        let (img, matte) = scene();
        let out = product_shot(&img, &matte, &ProductLayout::plain([255, 255, 255], true)).unwrap();
        assert_eq!(out.dimensions(), (50, 50));
        let rgb = out.to_rgb8();
        assert_eq!(rgb.get_pixel(25, 25).0, [220, 20, 20]);
        assert_eq!(rgb.get_pixel(1, 1).0, [255, 255, 255]);
        // The shadow darkens just below the subject's base, not the corners.
        assert!(rgb.get_pixel(25, 46)[0] < 250, "{:?}", rgb.get_pixel(25, 46));
        assert!(
            product_shot(&img, &GrayImage::new(100, 80), &ProductLayout::plain([255; 3], false)).is_none()
        );
    }

    #[test]
    fn a_marketplace_canvas_fits_the_subject_within_its_margins() {
        let (img, matte) = scene();
        let layout = ProductLayout {
            size: Some((300, 200)),
            margin: 0.1,
            colors: [[255, 255, 255], [200, 220, 255]],
            shadow: false,
            scene: None,
        };
        let rgb = product_shot(&img, &matte, &layout).unwrap().to_rgb8();
        assert_eq!(rgb.dimensions(), (300, 200));
        // The 40 × 40 subject is scaled to the 160 px the height leaves (200 less two 10 % margins),
        // centred: columns 70..230, rows 20..180.
        let red = |p: &Rgb<u8>| p[0] > 180 && p[1] < 80;
        assert!(red(rgb.get_pixel(150, 100)) && red(rgb.get_pixel(72, 22)) && red(rgb.get_pixel(227, 177)));
        assert!(
            !red(rgb.get_pixel(66, 100)) && !red(rgb.get_pixel(150, 16)) && !red(rgb.get_pixel(150, 184))
        );
        // The gradient runs from white at the top to light blue at the bottom.
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(299, 199).0, [200, 220, 255]);
    }

    #[test]
    fn in_a_scene_the_subject_stands_on_the_floor_with_room_around_it() {
        let (img, matte) = scene();
        let layout = ProductLayout {
            size: Some((400, 400)),
            margin: 0.07,
            colors: [[255; 3]; 2],
            shadow: false,
            scene: Some(crate::scene::Scene::Table),
        };
        let rgb = product_shot(&img, &matte, &layout).unwrap().to_rgb8();
        let red = |p: &Rgb<u8>| p[0] > 180 && p[1] < 80;
        let rows: Vec<u32> = (0..400).filter(|&y| (0..400).any(|x| red(rgb.get_pixel(x, y)))).collect();
        let (first, last) = (rows[0], *rows.last().unwrap());
        // 15 % margins at least: 280 px tall, its base on the floor at 86 % (row 344).
        assert_eq!(last - first + 1, 280);
        assert!(last.abs_diff(343) <= 1, "base at {last}");
        // The wall above, the wood in front and a shadow at its foot.
        let wall = rgb.get_pixel(10, 20);
        let wood = rgb.get_pixel(10, 390);
        assert!(wall[0] > 200 && wood[0] > wood[2] + 30 && wood[0] < wall[0], "{wall:?} {wood:?}");
        let beside = rgb.get_pixel(200, 346);
        let far = rgb.get_pixel(20, 346);
        assert!(beside[0] < far[0], "the shadow under its base: {beside:?} vs {far:?}");
    }
}
