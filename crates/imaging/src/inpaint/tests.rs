use super::*;
use image::{Luma, Rgb, RgbImage};

/// A textured background (stripes, a grid of dots and grain): what a mean fill or a smear gets wrong.
fn texture(w: u32, h: u32) -> RgbImage {
    let mut seed = 0x1234_5678_9ABC_DEF0u64;
    RgbImage::from_fn(w, h, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let grain = (seed % 17) as f32 - 8.0;
        let stripe = if (x + y / 2) % 12 < 6 { 60.0 } else { 0.0 };
        let dot = if x % 8 < 3 && y % 8 < 3 { 50.0 } else { 0.0 };
        let v = |base: f32| (base + stripe + dot + grain).clamp(0.0, 255.0) as u8;
        Rgb([v(90.0), v(120.0), v(60.0)])
    })
}

/// Peak signal-to-noise ratio over the pixels `mask` selects.
fn psnr(a: &RgbImage, b: &RgbImage, mask: &GrayImage) -> f64 {
    let (mut se, mut n) = (0f64, 0f64);
    for (x, y, m) in mask.enumerate_pixels() {
        if m[0] >= 128 {
            for k in 0..3 {
                let e = f64::from(a.get_pixel(x, y)[k]) - f64::from(b.get_pixel(x, y)[k]);
                se += e * e;
            }
            n += 3.0;
        }
    }
    10.0 * (255.0f64.powi(2) / (se / n).max(1e-9)).log10()
}

fn rect_mask(w: u32, h: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> GrayImage {
    GrayImage::from_fn(w, h, |x, y| {
        Luma([if (x0..x1).contains(&x) && (y0..y1).contains(&y) { 255 } else { 0 }])
    })
}

/// The object painted over the background, a solid block.
fn with_object(bg: &RgbImage, mask: &GrayImage) -> RgbImage {
    RgbImage::from_fn(bg.width(), bg.height(), |x, y| {
        if mask.get_pixel(x, y)[0] > 0 {
            Rgb([220, 30, 40])
        } else {
            *bg.get_pixel(x, y)
        }
    })
}

/// The baseline: every selected pixel the mean colour of the unselected ones.
fn mean_fill(img: &RgbImage, mask: &GrayImage) -> RgbImage {
    let (mut sum, mut n) = ([0f64; 3], 0f64);
    for (x, y, p) in img.enumerate_pixels() {
        if mask.get_pixel(x, y)[0] == 0 {
            for k in 0..3 {
                sum[k] += f64::from(p[k]);
            }
            n += 1.0;
        }
    }
    let mean = Rgb(sum.map(|s| (s / n).round() as u8));
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        if mask.get_pixel(x, y)[0] > 0 {
            mean
        } else {
            *img.get_pixel(x, y)
        }
    })
}

#[test]
fn erasing_an_object_on_texture_beats_a_mean_fill() {
    let (w, h) = (240, 180);
    let truth = texture(w, h);
    // A 60 × 50 object: about 7 % of the photo.
    let mask = rect_mask(w, h, (100, 60, 160, 110));
    let photo = with_object(&truth, &mask);
    assert_eq!(method_for(&mask), Some(Method::PatchMatch));
    let out = erase(&DynamicImage::ImageRgb8(photo.clone()), &mask).to_rgb8();
    let filled = psnr(&out, &truth, &mask);
    let baseline = psnr(&mean_fill(&photo, &mask), &truth, &mask);
    println!("erase 60×50 on texture: PatchMatch {filled:.1} dB, mean fill {baseline:.1} dB");
    assert!(filled > baseline + 1.0, "PatchMatch {filled:.1} dB vs mean fill {baseline:.1} dB");
    // No red is left, and nothing away from the selection moved.
    assert!(out.pixels().all(|p| !(p[0] > 200 && p[1] < 60)));
    for (x, y, p) in out.enumerate_pixels() {
        let far = !(96..164).contains(&x) || !(56..114).contains(&y);
        if far {
            assert_eq!(p, truth.get_pixel(x, y), "({x}, {y}) changed");
        }
    }
}

#[test]
fn a_thin_scratch_is_filled_smoothly() {
    let (w, h) = (200, 120);
    // A smooth gradient with a 3-pixel diagonal scratch through it.
    let truth = RgbImage::from_fn(w, h, |x, y| Rgb([(x + 20) as u8, (y * 2) as u8, 150]));
    let mask = GrayImage::from_fn(w, h, |x, y| {
        let on = (x as i32 - y as i32 - 40).abs() <= 1 && (20..180).contains(&x);
        Luma([if on { 255 } else { 0 }])
    });
    assert_eq!(method_for(&mask), Some(Method::Telea));
    let photo = with_object(&truth, &mask);
    let out = erase(&DynamicImage::ImageRgb8(photo.clone()), &mask).to_rgb8();
    let filled = psnr(&out, &truth, &mask);
    let baseline = psnr(&mean_fill(&photo, &mask), &truth, &mask);
    println!("scratch on a gradient: fast marching {filled:.1} dB, mean fill {baseline:.1} dB");
    assert!(filled > 38.0 && filled > baseline + 15.0, "{filled:.1} dB vs {baseline:.1} dB");
}

#[test]
fn an_empty_mask_changes_nothing_and_transparency_is_kept() {
    let img = DynamicImage::ImageRgba8(RgbaImage::from_fn(50, 40, |x, _| Rgba([10, 20, 30, (x * 5) as u8])));
    let empty = GrayImage::new(50, 40);
    assert_eq!(method_for(&empty), None);
    assert_eq!(erase(&img, &empty), img);
    // A mask of another size is scaled to the image.
    let small = rect_mask(25, 20, (10, 8, 14, 12));
    let out = erase(&img, &small);
    assert_eq!(out.color(), image::ColorType::Rgba8);
    assert_eq!((out.width(), out.height()), (50, 40));
}

#[test]
fn the_same_input_gives_the_same_fill() {
    let truth = texture(120, 90);
    let mask = rect_mask(120, 90, (40, 30, 80, 60));
    let photo = DynamicImage::ImageRgb8(with_object(&truth, &mask));
    assert_eq!(erase(&photo, &mask), erase(&photo, &mask));
}
