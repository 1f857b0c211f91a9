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
}
