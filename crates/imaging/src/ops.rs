//! Edit operations on decoded images. Each takes and returns a [`DynamicImage`].

use image::{imageops::FilterType, DynamicImage, GenericImageView};

/// Brightens (positive) or darkens (negative) by `percent` of full scale, -100..=100.
pub fn brightness(img: &DynamicImage, percent: i32) -> DynamicImage {
    let delta = (percent.clamp(-100, 100) * 255) / 100;
    img.brighten(delta)
}

/// Raises (positive) or lowers (negative) contrast by `percent`, -100..=100.
pub fn contrast(img: &DynamicImage, percent: i32) -> DynamicImage {
    img.adjust_contrast(percent.clamp(-100, 100) as f32)
}

/// Converts to grayscale, keeping the colour model (so RGB stays RGB with R = G = B).
pub fn grayscale(img: &DynamicImage) -> DynamicImage {
    let gray = img.grayscale();
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(gray.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(gray.to_rgb8())
    }
}

/// Rotates clockwise by a multiple of 90 degrees (other values are rounded to the nearest quarter turn).
pub fn rotate(img: &DynamicImage, degrees_clockwise: i32) -> DynamicImage {
    let quarter = ((degrees_clockwise as f32 / 90.0).round() as i32).rem_euclid(4);
    match quarter {
        1 => img.rotate90(),
        2 => img.rotate180(),
        3 => img.rotate270(),
        _ => img.clone(),
    }
}

/// Mirrors left-right.
pub fn flip_horizontal(img: &DynamicImage) -> DynamicImage {
    img.fliph()
}

/// Mirrors top-bottom.
pub fn flip_vertical(img: &DynamicImage) -> DynamicImage {
    img.flipv()
}

/// Crops the largest centred region with aspect ratio `w:h`.
pub fn crop_to_aspect(img: &DynamicImage, w: u32, h: u32) -> DynamicImage {
    let (iw, ih) = img.dimensions();
    if w == 0 || h == 0 || iw == 0 || ih == 0 {
        return img.clone();
    }
    // Compare iw/ih with w/h in integers to avoid rounding surprises.
    let (cw, ch) = if u64::from(iw) * u64::from(h) > u64::from(ih) * u64::from(w) {
        (((u64::from(ih) * u64::from(w)) / u64::from(h)).max(1) as u32, ih)
    } else {
        (iw, ((u64::from(iw) * u64::from(h)) / u64::from(w)).max(1) as u32)
    };
    img.crop_imm((iw - cw) / 2, (ih - ch) / 2, cw, ch)
}

/// Resizes so the longer side is `long_side` pixels, keeping the aspect ratio (Lanczos3).
pub fn resize_long_side(img: &DynamicImage, long_side: u32) -> DynamicImage {
    let (iw, ih) = img.dimensions();
    let long = iw.max(ih).max(1);
    let scale = f64::from(long_side.max(1)) / f64::from(long);
    let nw = ((f64::from(iw) * scale).round() as u32).max(1);
    let nh = ((f64::from(ih) * scale).round() as u32).max(1);
    lanczos3(img, nw, nh)
}

/// Resizes by a factor (0.5 halves, 2.0 doubles).
pub fn scale(img: &DynamicImage, factor: f32) -> DynamicImage {
    let (iw, ih) = img.dimensions();
    let nw = ((iw as f32 * factor).round() as u32).max(1);
    let nh = ((ih as f32 * factor).round() as u32).max(1);
    lanczos3(img, nw, nh)
}

/// Lanczos3 through the SIMD resizer, with the `image` crate's own as the fallback.
fn lanczos3(img: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    crate::prep::resize_exact(img, width, height)
        .unwrap_or_else(|_| img.resize_exact(width, height, FilterType::Lanczos3))
}

/// Applies `f` to every colour channel value (alpha untouched), through a 256-entry lookup table.
fn map_channels(img: &DynamicImage, f: impl Fn(u8) -> u8) -> DynamicImage {
    let table: Vec<u8> = (0..=255u8).map(f).collect();
    map_pixels(img, |px| {
        for c in &mut px[..3] {
            *c = table[*c as usize];
        }
    })
}

/// Applies `f` to every pixel as RGBA (alpha kept), keeping the image's colour model (RGB stays RGB).
fn map_pixels(img: &DynamicImage, f: impl Fn(&mut [u8; 4])) -> DynamicImage {
    if img.color().has_alpha() {
        let mut rgba = img.to_rgba8();
        for p in rgba.pixels_mut() {
            f(&mut p.0);
        }
        DynamicImage::ImageRgba8(rgba)
    } else {
        let mut rgb = img.to_rgb8();
        for p in rgb.pixels_mut() {
            let mut px = [p[0], p[1], p[2], 255];
            f(&mut px);
            p.0 = [px[0], px[1], px[2]];
        }
        DynamicImage::ImageRgb8(rgb)
    }
}

fn clamp_u8(v: f32) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

/// Exposure in stops (-3..=3): every channel multiplied by 2^stops.
pub fn exposure(img: &DynamicImage, stops: f32) -> DynamicImage {
    let factor = 2f32.powf(stops.clamp(-3.0, 3.0));
    map_channels(img, |c| clamp_u8(f32::from(c) * factor))
}

/// Saturation change in percent (-100 = grey, +100 = twice as colourful).
pub fn saturation(img: &DynamicImage, percent: i32) -> DynamicImage {
    let k = 1.0 + percent.clamp(-100, 100) as f32 / 100.0;
    map_pixels(img, |p| {
        let l = 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]);
        for c in &mut p[..3] {
            *c = clamp_u8(l + (f32::from(*c) - l) * k);
        }
    })
}

/// Colour temperature in percent: positive warmer (more red, less blue), negative cooler.
pub fn warmth(img: &DynamicImage, percent: i32) -> DynamicImage {
    let shift = percent.clamp(-100, 100) as f32 * 0.6;
    map_pixels(img, |p| {
        p[0] = clamp_u8(f32::from(p[0]) + shift);
        p[1] = clamp_u8(f32::from(p[1]) + shift * 0.25);
        p[2] = clamp_u8(f32::from(p[2]) - shift);
    })
}

/// Rotates every hue by `degrees` around the colour wheel.
pub fn hue(img: &DynamicImage, degrees: i32) -> DynamicImage {
    img.huerotate(degrees.rem_euclid(360))
}

/// Gamma correction: above 1 lightens mid-tones, below 1 darkens them (0.2..=5).
pub fn gamma(img: &DynamicImage, gamma: f32) -> DynamicImage {
    let g = gamma.clamp(0.2, 5.0);
    map_channels(img, |c| clamp_u8(255.0 * (f32::from(c) / 255.0).powf(1.0 / g)))
}

/// A warm brown monochrome (the classic sepia matrix).
pub fn sepia(img: &DynamicImage) -> DynamicImage {
    map_pixels(img, |p| {
        let [r, g, b] = [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])];
        p[0] = clamp_u8(0.393 * r + 0.769 * g + 0.189 * b);
        p[1] = clamp_u8(0.349 * r + 0.686 * g + 0.168 * b);
        p[2] = clamp_u8(0.272 * r + 0.534 * g + 0.131 * b);
    })
}

/// A photographic negative.
pub fn invert(img: &DynamicImage) -> DynamicImage {
    map_channels(img, |c| 255 - c)
}

/// Reduces each channel to `levels` values (2..=32): a flat, poster-like look.
pub fn posterize(img: &DynamicImage, levels: u32) -> DynamicImage {
    let n = levels.clamp(2, 32) as f32 - 1.0;
    map_channels(img, |c| clamp_u8((f32::from(c) / 255.0 * n).round() / n * 255.0))
}

/// Darkens towards the corners; `strength` 0..=100.
pub fn vignette(img: &DynamicImage, strength: u32) -> DynamicImage {
    let (w, h) = img.dimensions();
    let s = strength.min(100) as f32 / 100.0;
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let max = (cx * cx + cy * cy).sqrt().max(1.0);
    let apply = |x: u32, y: u32, px: &mut [u8]| {
        let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt() / max;
        let k = 1.0 - s * d.powi(2);
        for c in &mut px[..3] {
            *c = clamp_u8(f32::from(*c) * k);
        }
    };
    if img.color().has_alpha() {
        let mut rgba = img.to_rgba8();
        for (x, y, p) in rgba.enumerate_pixels_mut() {
            apply(x, y, &mut p.0);
        }
        DynamicImage::ImageRgba8(rgba)
    } else {
        let mut rgb = img.to_rgb8();
        for (x, y, p) in rgb.enumerate_pixels_mut() {
            apply(x, y, &mut p.0);
        }
        DynamicImage::ImageRgb8(rgb)
    }
}

/// Gaussian-like blur with the given radius in pixels (0.5..=50).
pub fn blur(img: &DynamicImage, radius: f32) -> DynamicImage {
    img.fast_blur(radius.clamp(0.5, 50.0))
}

/// A mosaic: square blocks of one colour each (their mean), `blocks` of them across the long side
/// (8..=256).
pub fn pixelate(img: &DynamicImage, blocks: u32) -> DynamicImage {
    let src = img.to_rgba8();
    let (w, h) = src.dimensions();
    let side = (w.max(h) / blocks.clamp(8, 256)).max(1);
    let mut out = src.clone();
    for by in (0..h).step_by(side as usize) {
        for bx in (0..w).step_by(side as usize) {
            let (x1, y1) = ((bx + side).min(w), (by + side).min(h));
            let mut sum = [0u64; 4];
            for y in by..y1 {
                for x in bx..x1 {
                    for (s, v) in sum.iter_mut().zip(src.get_pixel(x, y).0) {
                        *s += u64::from(v);
                    }
                }
            }
            let n = u64::from((x1 - bx) * (y1 - by));
            let mean = image::Rgba(sum.map(|s| ((s + n / 2) / n) as u8));
            for y in by..y1 {
                for x in bx..x1 {
                    out.put_pixel(x, y, mean);
                }
            }
        }
    }
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(out)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
    }
}

/// Unsharp-mask sharpening; `amount` 1..=100.
pub fn sharpen(img: &DynamicImage, amount: u32) -> DynamicImage {
    let sigma = 0.5 + amount.clamp(1, 100) as f32 / 50.0;
    img.unsharpen(sigma, 2)
}

/// Removes speckle noise with a 3 × 3 median filter (edges kept sharper than a blur would).
pub fn denoise(img: &DynamicImage) -> DynamicImage {
    let has_alpha = img.color().has_alpha();
    let src = img.to_rgba8();
    let (w, h) = src.dimensions();
    let mut out = src.clone();
    for y in 0..h {
        for x in 0..w {
            let mut window = [[0u8; 9]; 3];
            let mut n = 0;
            for dy in -1i64..=1 {
                for dx in -1i64..=1 {
                    let sx = (i64::from(x) + dx).clamp(0, i64::from(w) - 1) as u32;
                    let sy = (i64::from(y) + dy).clamp(0, i64::from(h) - 1) as u32;
                    let p = src.get_pixel(sx, sy);
                    for c in 0..3 {
                        window[c][n] = p[c];
                    }
                    n += 1;
                }
            }
            let p = out.get_pixel_mut(x, y);
            for (c, values) in window.iter_mut().enumerate() {
                values.sort_unstable();
                p[c] = values[4];
            }
        }
    }
    if has_alpha {
        DynamicImage::ImageRgba8(out)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
    }
}

/// Cuts percentages off each edge (each 0..=45).
pub fn crop_edges(img: &DynamicImage, left: u32, top: u32, right: u32, bottom: u32) -> DynamicImage {
    let (w, h) = img.dimensions();
    let cut = |size: u32, pct: u32| (u64::from(size) * u64::from(pct.min(45)) / 100) as u32;
    let (l, r) = (cut(w, left), cut(w, right));
    let (t, b) = (cut(h, top), cut(h, bottom));
    let nw = w.saturating_sub(l + r).max(1);
    let nh = h.saturating_sub(t + b).max(1);
    img.crop_imm(l, t, nw, nh)
}

/// Adds a solid border `width` pixels wide (1..=500) in `color`.
pub fn border(img: &DynamicImage, width: u32, color: [u8; 3]) -> DynamicImage {
    let b = width.clamp(1, 500);
    let (w, h) = img.dimensions();
    let mut canvas =
        image::RgbaImage::from_pixel(w + 2 * b, h + 2 * b, image::Rgba([color[0], color[1], color[2], 255]));
    image::imageops::overlay(&mut canvas, &img.to_rgba8(), i64::from(b), i64::from(b));
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(canvas)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
    }
}

/// Fills transparent areas with a solid colour (the result is opaque).
pub fn fill_background(img: &DynamicImage, color: [u8; 3]) -> DynamicImage {
    let (w, h) = img.dimensions();
    let mut canvas = image::RgbaImage::from_pixel(w, h, image::Rgba([color[0], color[1], color[2], 255]));
    image::imageops::overlay(&mut canvas, &img.to_rgba8(), 0, 0);
    DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn sample() -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(60, 30, |x, y| Rgb([(x * 4) as u8, (y * 8) as u8, 100])))
    }

    #[test]
    fn crop_square_and_wide() {
        let sq = crop_to_aspect(&sample(), 1, 1);
        assert_eq!(sq.dimensions(), (30, 30));
        // Centred: the crop starts at x = 15 of the original.
        assert_eq!(sq.to_rgb8().get_pixel(0, 0), sample().to_rgb8().get_pixel(15, 0));
        let tall = DynamicImage::ImageRgb8(RgbImage::new(90, 160));
        assert_eq!(crop_to_aspect(&tall, 16, 9).dimensions(), (90, 50));
    }

    #[test]
    fn rotate_swaps_dimensions_and_moves_pixels() {
        let r = rotate(&sample(), 90);
        assert_eq!(r.dimensions(), (30, 60));
        // The original top-left pixel is at the top-right after a clockwise quarter turn.
        assert_eq!(r.to_rgb8().get_pixel(29, 0), sample().to_rgb8().get_pixel(0, 0));
        assert_eq!(rotate(&sample(), -90).dimensions(), (30, 60));
        assert_eq!(rotate(&sample(), 180).dimensions(), (60, 30));
    }

    #[test]
    fn grayscale_has_equal_channels() {
        let g = grayscale(&sample()).to_rgb8();
        assert!(g.pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
    }

    #[test]
    fn brightness_moves_mean() {
        let mean = |i: &DynamicImage| i.to_rgb8().pixels().map(|p| u32::from(p[2])).sum::<u32>() / 1800;
        assert!(mean(&brightness(&sample(), 20)) > mean(&sample()));
        assert!(mean(&brightness(&sample(), -20)) < mean(&sample()));
    }

    #[test]
    fn resize_keeps_aspect() {
        assert_eq!(resize_long_side(&sample(), 30).dimensions(), (30, 15));
        assert_eq!(scale(&sample(), 2.0).dimensions(), (120, 60));
    }

    #[test]
    fn flips_mirror() {
        let s = sample().to_rgb8();
        assert_eq!(flip_horizontal(&sample()).to_rgb8().get_pixel(0, 0), s.get_pixel(59, 0));
        assert_eq!(flip_vertical(&sample()).to_rgb8().get_pixel(0, 0), s.get_pixel(0, 29));
    }

    fn rgb(r: u8, g: u8, b: u8) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_pixel(20, 10, image::Rgb([r, g, b])))
    }

    fn px(img: &DynamicImage) -> [u8; 3] {
        let p = img.to_rgb8().get_pixel(10, 5).0;
        [p[0], p[1], p[2]]
    }

    #[test]
    fn colour_operations_move_pixels_the_right_way() {
        let base = rgb(100, 120, 140);
        assert!(px(&exposure(&base, 1.0))[0] == 200);
        assert!(px(&exposure(&base, -1.0))[0] == 50);
        let [r, g, b] = px(&saturation(&base, -100));
        assert!(r == g && g == b, "fully desaturated is grey");
        let [r, _, b] = px(&saturation(&base, 100));
        assert!(b - r > 40, "more saturated spreads the channels");
        let [r, _, b] = px(&warmth(&base, 50));
        assert!(r > 100 && b < 140, "warmer: more red, less blue");
        let [r, _, b] = px(&warmth(&base, -50));
        assert!(r < 100 && b > 140, "cooler: less red, more blue");
        assert_eq!(px(&invert(&base)), [155, 135, 115]);
        let [r, g, b] = px(&sepia(&base));
        assert!(r > g && g > b, "sepia is brown");
        assert!(px(&gamma(&base, 2.0))[0] > 100 && px(&gamma(&base, 0.5))[0] < 100);
        let poster = px(&posterize(&rgb(100, 200, 30), 2));
        assert_eq!(poster, [0, 255, 0]);
        let hue_shifted = px(&hue(&rgb(200, 30, 30), 120));
        assert!(hue_shifted[1] > hue_shifted[0], "red turned green: {hue_shifted:?}");
    }

    #[test]
    fn spatial_operations() {
        let base = rgb(200, 200, 200);
        let v = vignette(
            &DynamicImage::ImageRgb8(image::RgbImage::from_pixel(100, 100, image::Rgb([200; 3]))),
            80,
        )
        .to_rgb8();
        assert!(v.get_pixel(0, 0)[0] < 120 && v.get_pixel(50, 50)[0] > 195, "corners darker than the centre");
        // A one-pixel speck disappears with the median filter.
        let mut speck = image::RgbImage::from_pixel(9, 9, image::Rgb([50; 3]));
        speck.put_pixel(4, 4, image::Rgb([255; 3]));
        assert_eq!(denoise(&DynamicImage::ImageRgb8(speck)).to_rgb8().get_pixel(4, 4)[0], 50);
        // A hard edge gets softer with blur and crisper with sharpen.
        let edge = DynamicImage::ImageRgb8(image::RgbImage::from_fn(40, 10, |x, _| {
            image::Rgb([if x < 20 { 0 } else { 255 }; 3])
        }));
        let blurred = blur(&edge, 3.0).to_rgb8();
        assert!(blurred.get_pixel(19, 5)[0] > 30 && blurred.get_pixel(20, 5)[0] < 225);
        let sharpened = sharpen(&edge, 50).to_rgb8();
        assert_eq!(sharpened.get_pixel(5, 5)[0], 0);
        assert_eq!(crop_edges(&base, 10, 0, 0, 20).dimensions(), (18, 8));
        let framed = border(&base, 3, [255, 0, 0]);
        assert_eq!(framed.dimensions(), (26, 16));
        assert_eq!(framed.to_rgb8().get_pixel(0, 0).0, [255, 0, 0]);
        assert_eq!(framed.to_rgb8().get_pixel(13, 8).0, [200, 200, 200]);
        let clear = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(4, 4, image::Rgba([0, 0, 0, 0])));
        let filled = fill_background(&clear, [255, 255, 255]);
        assert!(!filled.color().has_alpha());
        assert_eq!(filled.to_rgb8().get_pixel(1, 1).0, [255, 255, 255]);
    }
}
