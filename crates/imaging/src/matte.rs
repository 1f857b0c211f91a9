//! Mattes: how much of each pixel belongs to the subject (255) or to the background (0).
//!
//! A segmentation model answers at a low resolution (U²-Net-p: 320 × 320), which cut out as it is looks
//! cut with scissors. [`refine`] brings it to full resolution with a guided filter (He, Sun and Tang,
//! 2013) in its fast form: the filter's linear coefficients are worked out on a copy at most
//! [`WORK_SIDE`] pixels long, then applied to every pixel of the photo, so edges follow the photo's own
//! edges (hair, fur) and cost stays linear in the pixel count.

use image::{imageops::FilterType, DynamicImage, GrayImage, Luma, RgbImage};

/// Long side of the copy the filter's coefficients are computed on.
pub const WORK_SIDE: u32 = 1024;

/// Something that tells subject from background: a salient-object segmentation model. Answers a mask of
/// any size (it is scaled to the image); 255 is subject.
pub trait Saliency: Send + Sync {
    /// The coarse mask of `image`'s salient subject, or why the model failed.
    fn saliency(&self, image: &RgbImage) -> Result<GrayImage, String>;
}

/// The matte of `img` at its full size: its own alpha channel when it has transparent pixels already (a
/// cut-out made earlier), otherwise the model's answer refined against the photo.
pub fn matte(img: &DynamicImage, model: &dyn Saliency) -> Result<GrayImage, String> {
    if let Some(alpha) = alpha_of(img) {
        return Ok(alpha);
    }
    let rgb = img.to_rgb8();
    let small = working_copy(&rgb);
    let coarse = model.saliency(&small)?;
    Ok(refine_on(&rgb, &small, &coarse))
}

/// The alpha channel, when some pixel is less than opaque.
pub fn alpha_of(img: &DynamicImage) -> Option<GrayImage> {
    if !is_transparent(img) {
        return None;
    }
    let alpha = match img {
        // Read in place: a copy of a 12-megapixel photo costs more than the scan.
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().map(|p| p[3]).collect(),
        DynamicImage::ImageLumaA8(la) => la.pixels().map(|p| p[1]).collect(),
        other => other.to_rgba8().pixels().map(|p| p[3]).collect(),
    };
    GrayImage::from_raw(img.width(), img.height(), alpha)
}

/// Whether some pixel is less than opaque (without making the alpha channel).
pub fn is_transparent(img: &DynamicImage) -> bool {
    match img {
        _ if !img.color().has_alpha() => false,
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().any(|p| p[3] != 255),
        DynamicImage::ImageLumaA8(la) => la.pixels().any(|p| p[1] != 255),
        other => other.to_rgba8().pixels().any(|p| p[3] != 255),
    }
}

/// `rgb` scaled down so its long side is at most [`WORK_SIDE`] (as it is when smaller), with a bilinear
/// (triangle) filter.
fn working_copy(rgb: &RgbImage) -> RgbImage {
    let (w, h) = rgb.dimensions();
    let long = w.max(h).max(1);
    if long <= WORK_SIDE {
        return rgb.clone();
    }
    let k = f64::from(WORK_SIDE) / f64::from(long);
    let (nw, nh) = (((f64::from(w) * k).round() as u32).max(1), ((f64::from(h) * k).round() as u32).max(1));
    crate::crop::scaled(rgb, (nw, nh), fast_image_resize::FilterType::Bilinear)
        .unwrap_or_else(|| image::imageops::resize(rgb, nw, nh, FilterType::Triangle))
}

/// A plane of `f32` values, row by row.
pub(crate) struct Plane {
    pub(crate) w: usize,
    pub(crate) h: usize,
    pub(crate) v: Vec<f32>,
}

impl Plane {
    pub(crate) fn from_gray(img: &GrayImage) -> Self {
        let v = img.as_raw().iter().map(|&p| f32::from(p) / 255.0).collect();
        Self { w: img.width() as usize, h: img.height() as usize, v }
    }

    /// Luminance (Rec. 601) in 0..=1.
    fn luma(img: &RgbImage) -> Self {
        let v = img.as_raw().chunks_exact(3).map(luma).collect();
        Self { w: img.width() as usize, h: img.height() as usize, v }
    }

    fn zip(&self, other: &Plane, f: impl Fn(f32, f32) -> f32) -> Plane {
        let v = self.v.iter().zip(&other.v).map(|(a, b)| f(*a, *b)).collect();
        Plane { w: self.w, h: self.h, v }
    }

    /// The mean over a (2r+1)² window, clipped at the borders (running sums: linear in the size). Rows are
    /// averaged along themselves, then whole rows are added and taken off a running sum as the window
    /// moves down, so memory is read in order.
    pub(crate) fn boxed(&self, r: usize) -> Plane {
        let (w, h) = (self.w, self.h);
        let mut rows = vec![0.0f32; self.v.len()];
        for (row, out) in self.v.chunks_exact(w.max(1)).zip(rows.chunks_exact_mut(w.max(1))) {
            mean_1d(row, r, out);
        }
        let mut out = vec![0.0f32; self.v.len()];
        let mut sum = vec![0.0f64; w];
        let (mut lo, mut hi) = (0usize, 0usize);
        for (y, target) in out.chunks_exact_mut(w.max(1)).enumerate() {
            let (want_lo, want_hi) = (y.saturating_sub(r), (y + r + 1).min(h));
            while hi < want_hi {
                sum.iter_mut().zip(&rows[hi * w..(hi + 1) * w]).for_each(|(s, v)| *s += f64::from(*v));
                hi += 1;
            }
            while lo < want_lo {
                sum.iter_mut().zip(&rows[lo * w..(lo + 1) * w]).for_each(|(s, v)| *s -= f64::from(*v));
                lo += 1;
            }
            let n = (hi - lo) as f64;
            target.iter_mut().zip(&sum).for_each(|(t, s)| *t = (s / n) as f32);
        }
        Plane { w, h, v: out }
    }

    /// Bilinear sample at (x, y) in this plane's pixel coordinates (centres at .5).
    pub(crate) fn sample(&self, x: f32, y: f32) -> f32 {
        let (x0, x1, fx) = Taps::at(x, self.w);
        let (y0, y1, fy) = Taps::at(y, self.h);
        let at = |x: usize, y: usize| self.v[y * self.w + x];
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// Row `y0` and row `y1` mixed by `fy`, into `out`.
    fn mixed_rows(&self, (y0, y1, fy): (usize, usize, f32), out: &mut [f32]) {
        let (a, b) = (&self.v[y0 * self.w..(y0 + 1) * self.w], &self.v[y1 * self.w..(y1 + 1) * self.w]);
        for ((o, a), b) in out.iter_mut().zip(a).zip(b) {
            *o = a * (1.0 - fy) + b * fy;
        }
    }
}

/// Where a coordinate falls between two samples of a line of `n`: the two indices and the weight of the
/// second (centres at .5, clamped at the ends).
struct Taps;

impl Taps {
    fn at(x: f32, n: usize) -> (usize, usize, f32) {
        let x = (x - 0.5).clamp(0.0, (n - 1) as f32);
        let x0 = x.floor() as usize;
        (x0, (x0 + 1).min(n - 1), x - x0 as f32)
    }
}

/// Rec. 601 luminance of an RGB pixel, 0..=1.
fn luma(p: &[u8]) -> f32 {
    (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])) / 255.0
}

/// Means over a sliding window of `2r + 1` values (fewer at the ends).
fn mean_1d(values: &[f32], r: usize, out: &mut [f32]) {
    let n = values.len();
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(0.0f64);
    for v in values {
        prefix.push(prefix[prefix.len() - 1] + f64::from(*v));
    }
    for (i, o) in out.iter_mut().enumerate().take(n) {
        let (lo, hi) = (i.saturating_sub(r), (i + r + 1).min(n));
        *o = ((prefix[hi] - prefix[lo]) / (hi - lo) as f64) as f32;
    }
}

/// The coarse mask brought to `rgb`'s size along the photo's edges (the fast guided filter, grey guide).
pub fn refine(rgb: &RgbImage, coarse: &GrayImage) -> GrayImage {
    refine_on(rgb, &working_copy(rgb), coarse)
}

/// [`refine`] given the photo's working copy already made.
fn refine_on(rgb: &RgbImage, small: &RgbImage, coarse: &GrayImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    if w == 0 || h == 0 {
        return GrayImage::new(w, h);
    }
    let (sw, sh) = small.dimensions();
    let guide = Plane::luma(small);
    let p = Plane::from_gray(&image::imageops::resize(coarse, sw, sh, FilterType::Triangle));
    // A window of about 1/64 of the long side; eps sets how strong an edge must be to keep the mask sharp.
    let r = (sw.max(sh) as usize / 64).max(2);
    let eps = 1e-3f32;
    let mean_i = guide.boxed(r);
    let mean_p = p.boxed(r);
    let corr_ii = guide.zip(&guide, |a, b| a * b).boxed(r);
    let corr_ip = guide.zip(&p, |a, b| a * b).boxed(r);
    let var_i = corr_ii.zip(&mean_i, |c, m| c - m * m);
    let cov_ip = corr_ip.zip(&mean_i.zip(&mean_p, |a, b| a * b), |c, m| c - m);
    let a = cov_ip.zip(&var_i, |c, v| c / (v + eps));
    let b = mean_p.zip(&a.zip(&mean_i, |a, m| a * m), |p, am| p - am);
    let (mean_a, mean_b) = (a.boxed(r), b.boxed(r));
    // Each output pixel: the coefficients sampled bilinearly where it falls on the small copy. The
    // horizontal taps are the same for every row; each row mixes two rows of coefficients first.
    let (kx, ky) = (sw as f32 / w as f32, sh as f32 / h as f32);
    let columns: Vec<(usize, usize, f32)> =
        (0..w).map(|x| Taps::at((x as f32 + 0.5) * kx, sw as usize)).collect();
    let mut out = GrayImage::new(w, h);
    let width = w as usize;
    crate::cores::rows(&mut out, width, |first, band| {
        let (mut row_a, mut row_b) = (vec![0.0f32; sw as usize], vec![0.0f32; sw as usize]);
        for (k, line) in band.chunks_exact_mut(width).enumerate() {
            let y = first + k;
            let taps = Taps::at((y as f32 + 0.5) * ky, sh as usize);
            mean_a.mixed_rows(taps, &mut row_a);
            mean_b.mixed_rows(taps, &mut row_b);
            let photo = &rgb.as_raw()[y * width * 3..(y + 1) * width * 3];
            for ((o, px), &(x0, x1, fx)) in line.iter_mut().zip(photo.chunks_exact(3)).zip(&columns) {
                let a = row_a[x0] * (1.0 - fx) + row_a[x1] * fx;
                let b = row_b[x0] * (1.0 - fx) + row_b[x1] * fx;
                *o = ((a * luma(px) + b).clamp(0.0, 1.0) * 255.0).round() as u8;
            }
        }
    });
    out
}

/// The share of the matte that is subject (alpha ≥ 128), 0..=1.
pub fn coverage(matte: &GrayImage) -> f32 {
    let n = matte.as_raw().len().max(1);
    matte.as_raw().iter().filter(|&&a| a >= 128).count() as f32 / n as f32
}

/// The subject under a tap: the part of `matte` connected to the point (`x`, `y`), with its soft edge;
/// everything else is cleared (of two people, the one tapped). A tap just beside a subject (within a
/// twentieth of the long side) takes the nearest one. `None` when nothing stands out there.
pub fn component_at(matte: &GrayImage, x: u32, y: u32) -> Option<GrayImage> {
    // A subject's core, and how far out its soft edge is followed.
    const CORE: u8 = 128;
    const EDGE: u8 = 24;
    let (w, h) = matte.dimensions();
    if x >= w || y >= h {
        return None;
    }
    let reach = i64::from((w.max(h) / 20).max(8));
    let (cx, cy) = (i64::from(x), i64::from(y));
    let mut seed = None;
    for ny in (cy - reach).max(0)..=(cy + reach).min(i64::from(h) - 1) {
        for nx in (cx - reach).max(0)..=(cx + reach).min(i64::from(w) - 1) {
            let d = (nx - cx).pow(2) + (ny - cy).pow(2);
            if d <= reach * reach
                && matte.get_pixel(nx as u32, ny as u32)[0] >= CORE
                && seed.is_none_or(|(_, _, best)| d < best)
            {
                seed = Some((nx as u32, ny as u32, d));
            }
        }
    }
    let (sx, sy, _) = seed?;
    let index = |x: u32, y: u32| (y * w + x) as usize;
    let mut taken = vec![false; (w * h) as usize];
    let mut stack = vec![(sx, sy)];
    taken[index(sx, sy)] = true;
    while let Some((px, py)) = stack.pop() {
        let around = [(px.wrapping_sub(1), py), (px + 1, py), (px, py.wrapping_sub(1)), (px, py + 1)];
        for (nx, ny) in around {
            if nx < w && ny < h && !taken[index(nx, ny)] && matte.get_pixel(nx, ny)[0] >= EDGE {
                taken[index(nx, ny)] = true;
                stack.push((nx, ny));
            }
        }
    }
    Some(GrayImage::from_fn(w, h, |x, y| {
        Luma([if taken[index(x, y)] { matte.get_pixel(x, y)[0] } else { 0 }])
    }))
}

/// Intersection over union of two mattes thresholded at half (1.0 when both are empty).
pub fn iou(a: &GrayImage, b: &GrayImage) -> f32 {
    let (mut inter, mut union) = (0u64, 0u64);
    for (x, y) in a.as_raw().iter().zip(b.as_raw()) {
        let (x, y) = (*x >= 128, *y >= 128);
        inter += u64::from(x && y);
        union += u64::from(x || y);
    }
    if union == 0 {
        1.0
    } else {
        inter as f32 / union as f32
    }
}

/// The subject's centre of mass in `matte`, as fractions (0..=1) of its width and height, each pixel
/// weighed by how surely it is subject; `None` when nothing stands out (under 0.5 % of the frame).
pub fn centre(matte: &GrayImage) -> Option<(f64, f64)> {
    let (w, h) = matte.dimensions();
    let (mut sum, mut sx, mut sy) = (0u64, 0u64, 0u64);
    for (x, y, p) in matte.enumerate_pixels() {
        let a = u64::from(p[0]);
        sum += a;
        sx += a * u64::from(x);
        sy += a * u64::from(y);
    }
    if sum * 200 < 255 * u64::from(w) * u64::from(h) {
        return None;
    }
    let at = |s: u64, side: u32| (s as f64 / sum as f64 + 0.5) / f64::from(side);
    Some((at(sx, w), at(sy, h)))
}

/// Where to keep a crop centred to show the subject of `matte`: across, its centre of mass; down, the centre
/// of its upper half (from its top to halfway down its extent), where a person's head and a product's label
/// are — a wide banner of a seated person shows the face, not the chest. Fractions (0..=1) of the width
/// and height; `None` when nothing stands out.
pub fn focus(matte: &GrayImage) -> Option<(f64, f64)> {
    let (x, _) = centre(matte)?;
    let (w, h) = matte.dimensions();
    // A row belongs to the subject when a fiftieth of it, at least, is surely subject.
    let rows: Vec<u64> = matte.rows().map(|row| row.filter(|p| p[0] >= 128).count() as u64).collect();
    let least = u64::from(w / 50).max(1);
    let top = rows.iter().position(|&n| n >= least)?;
    let bottom = rows.iter().rposition(|&n| n >= least)?;
    let half = top + (bottom - top) / 2;
    let (sum, weighted) = rows[top..=half]
        .iter()
        .enumerate()
        .fold((0u64, 0u64), |(s, ws), (i, &n)| (s + n, ws + n * (top + i) as u64));
    let y = if sum == 0 { 0.5 } else { (weighted as f64 / sum as f64 + 0.5) / f64::from(h) };
    Some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn the_subject_s_centre_is_where_the_matte_is() {
        // A 40 × 20 square in the right half of 200 × 100, at x 140..180, y 60..80.
        let m = GrayImage::from_fn(200, 100, |x, y| {
            Luma([if (140..180).contains(&x) && (60..80).contains(&y) { 255 } else { 0 }])
        });
        let (cx, cy) = centre(&m).unwrap();
        assert!((cx - 0.8).abs() < 1e-9 && (cy - 0.7).abs() < 1e-9, "{cx} {cy}");
        assert_eq!(centre(&GrayImage::new(200, 100)), None);
        // The focus is on its upper half: rows 60..=69 of 60..=79.
        let (fx, fy) = focus(&m).unwrap();
        assert!((fx - 0.8).abs() < 1e-9 && (fy - 0.65).abs() < 1e-9, "{fx} {fy}");
        assert_eq!(focus(&GrayImage::new(200, 100)), None);
    }

    /// A dark disc on a light, noisy background, and its true matte.
    fn disc(w: u32, h: u32) -> (RgbImage, GrayImage) {
        let (cx, cy, r) = (w as f32 / 2.0, h as f32 / 2.0, w.min(h) as f32 / 3.0);
        let inside =
            |x: u32, y: u32| ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt() < r;
        let photo = RgbImage::from_fn(w, h, |x, y| {
            if inside(x, y) {
                Rgb([40, 30, 120])
            } else {
                let n = ((x * 7 + y * 13) % 17) as u8;
                Rgb([200 + n, 190 + n, 170 + n])
            }
        });
        let truth = GrayImage::from_fn(w, h, |x, y| Luma([if inside(x, y) { 255 } else { 0 }]));
        (photo, truth)
    }

    #[test]
    fn a_blocky_low_resolution_mask_is_refined_to_the_photo_s_edges() {
        let (photo, truth) = disc(1600, 1200);
        // What a model gives: a 40 × 30 mask, blocky and a little off.
        let coarse = image::imageops::resize(&truth, 40, 30, FilterType::Nearest);
        let blocky = image::imageops::resize(&coarse, 1600, 1200, FilterType::Nearest);
        let refined = refine(&photo, &coarse);
        assert_eq!(refined.dimensions(), (1600, 1200));
        let (before, after) = (iou(&blocky, &truth), iou(&refined, &truth));
        assert!(after > before && after > 0.97, "IoU {before} → {after}");
        // Far from the edge the matte is certain.
        assert_eq!(refined.get_pixel(800, 600)[0], 255);
        assert_eq!(refined.get_pixel(20, 20)[0], 0);
    }

    #[test]
    fn an_image_with_transparency_is_its_own_matte() {
        struct Never;
        impl Saliency for Never {
            fn saliency(&self, _: &RgbImage) -> Result<GrayImage, String> {
                Err("the model is not needed".into())
            }
        }
        let img =
            image::RgbaImage::from_fn(10, 10, |x, _| image::Rgba([1, 2, 3, if x < 5 { 255 } else { 0 }]));
        let m = matte(&DynamicImage::ImageRgba8(img), &Never).unwrap();
        assert_eq!((m.get_pixel(0, 0)[0], m.get_pixel(9, 9)[0]), (255, 0));
        assert!((coverage(&m) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn a_tap_takes_the_subject_under_it_and_leaves_the_other() {
        // Two soft-edged blobs: one on the left, one on the right.
        let matte = GrayImage::from_fn(200, 100, |x, y| {
            let blob = |cx: f32| {
                let d = ((x as f32 - cx).powi(2) + (y as f32 - 50.0).powi(2)).sqrt();
                ((30.0 - d) * 40.0).clamp(0.0, 255.0) as u8
            };
            Luma([blob(50.0).max(blob(150.0))])
        });
        let left = component_at(&matte, 50, 50).unwrap();
        assert_eq!(left.get_pixel(50, 50)[0], 255);
        assert_eq!(left.get_pixel(150, 50)[0], 0, "the other subject is not taken");
        // The soft edge comes with it.
        let edge = (20..35).map(|x| left.get_pixel(x, 50)[0]).find(|&v| v > 0 && v < 255);
        assert!(edge.is_some(), "{:?}", (20..35).map(|x| left.get_pixel(x, 50)[0]).collect::<Vec<_>>());
        // Just beside the right one: the right one. Far from both: nothing.
        let right = component_at(&matte, 183, 50).unwrap();
        assert!(right.get_pixel(150, 50)[0] == 255 && right.get_pixel(50, 50)[0] == 0);
        assert!(component_at(&matte, 100, 5).is_none());
        assert!(component_at(&matte, 500, 5).is_none(), "outside the matte");
    }
}
