//! Automatic corrections, worked out from the photo itself: levels (each channel's darkest and brightest
//! tones stretched to the full range) and white balance (a grey-world estimate of the light's colour).

use image::DynamicImage;

/// Share of pixels at each end of a channel's histogram treated as outliers (specular highlights, noise).
const CLIP: f64 = 0.005;

/// Applies `f` to every pixel's RGB (alpha untouched), keeping the colour model.
fn map_rgb(img: &DynamicImage, f: impl Fn(usize, u8) -> u8) -> DynamicImage {
    if img.color().has_alpha() {
        let mut rgba = img.to_rgba8();
        for p in rgba.pixels_mut() {
            for k in 0..3 {
                p[k] = f(k, p[k]);
            }
        }
        DynamicImage::ImageRgba8(rgba)
    } else {
        let mut rgb = img.to_rgb8();
        for p in rgb.pixels_mut() {
            for k in 0..3 {
                p[k] = f(k, p[k]);
            }
        }
        DynamicImage::ImageRgb8(rgb)
    }
}

/// Per-channel histograms of the opaque pixels.
fn histograms(img: &DynamicImage) -> ([[u64; 256]; 3], u64) {
    let mut h = [[0u64; 256]; 3];
    let mut n = 0;
    for p in img.to_rgba8().pixels().filter(|p| p[3] > 0) {
        for k in 0..3 {
            h[k][p[k] as usize] += 1;
        }
        n += 1;
    }
    (h, n)
}

/// Auto levels: each channel's 0.5 % darkest tones become black and its 0.5 % brightest white, the rest
/// stretched between (which also takes out much of a colour cast). A channel already spanning nearly the
/// whole range, or a flat one, is left alone.
pub fn auto_levels(img: &DynamicImage) -> DynamicImage {
    let (hist, n) = histograms(img);
    if n == 0 {
        return img.clone();
    }
    let cut = (n as f64 * CLIP) as u64;
    let ends = hist.map(|h| {
        let (mut low, mut seen) = (0usize, 0u64);
        while low < 255 && seen + h[low] <= cut {
            seen += h[low];
            low += 1;
        }
        let (mut high, mut seen) = (255usize, 0u64);
        while high > 0 && seen + h[high] <= cut {
            seen += h[high];
            high -= 1;
        }
        (low as f32, high as f32)
    });
    let lut: Vec<[u8; 256]> = ends
        .iter()
        .map(|&(low, high)| {
            let span = high - low;
            std::array::from_fn(|v| {
                if span < 16.0 || (low <= 2.0 && high >= 253.0) {
                    v as u8
                } else {
                    ((v as f32 - low) * 255.0 / span).round().clamp(0.0, 255.0) as u8
                }
            })
        })
        .collect();
    map_rgb(img, |k, v| lut[k][v as usize])
}

/// White balance from a grey-world estimate: the photo's mean colour is taken to be neutral, and each
/// channel is scaled so that it is (by at most ×2 or ÷2, so a photo of one strong colour isn't ruined).
pub fn white_balance(img: &DynamicImage) -> DynamicImage {
    let (hist, n) = histograms(img);
    if n == 0 {
        return img.clone();
    }
    let means = hist.map(|h| h.iter().enumerate().map(|(v, c)| v as f64 * *c as f64).sum::<f64>() / n as f64);
    let grey = (means[0] + means[1] + means[2]) / 3.0;
    if grey < 1.0 {
        return img.clone();
    }
    let gains = means.map(|m| (grey / m.max(1.0)).clamp(0.5, 2.0) as f32);
    map_rgb(img, |k, v| (f32::from(v) * gains[k]).round().clamp(0.0, 255.0) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    /// A grey ramp seen under warm light: red lifted, blue lowered, and squeezed into the middle tones.
    fn cast_ramp() -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(256, 64, |x, _| {
            let v = 60.0 + x as f32 * 0.5;
            Rgb([(v * 1.25) as u8, v as u8, (v * 0.75) as u8])
        }))
    }

    fn mean(img: &DynamicImage) -> [f64; 3] {
        let rgb = img.to_rgb8();
        let n = f64::from(rgb.width() * rgb.height());
        let mut m = [0.0; 3];
        for p in rgb.pixels() {
            for k in 0..3 {
                m[k] += f64::from(p[k]) / n;
            }
        }
        m
    }

    #[test]
    fn white_balance_makes_a_warm_cast_grey() {
        let before = mean(&cast_ramp());
        let after = mean(&white_balance(&cast_ramp()));
        assert!(before[0] - before[2] > 50.0, "{before:?}");
        assert!((after[0] - after[2]).abs() < 3.0 && (after[0] - after[1]).abs() < 3.0, "{after:?}");
    }

    #[test]
    fn auto_levels_stretches_each_channel_to_the_full_range() {
        let out = auto_levels(&cast_ramp()).to_rgb8();
        for k in 0..3 {
            let (lo, hi) = out.pixels().fold((255u8, 0u8), |(lo, hi), p| (lo.min(p[k]), hi.max(p[k])));
            assert!(lo <= 3 && hi >= 252, "channel {k}: {lo}..{hi}");
        }
        // A photo already spanning the range, and a flat one, are left as they are.
        let full = DynamicImage::ImageRgb8(RgbImage::from_fn(256, 4, |x, _| Rgb([x as u8; 3])));
        assert_eq!(auto_levels(&full), full);
        let flat = DynamicImage::ImageRgb8(RgbImage::from_pixel(8, 8, Rgb([90, 90, 90])));
        assert_eq!(auto_levels(&flat), flat);
    }
}
