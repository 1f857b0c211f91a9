//! Object removal: the area of a mask filled from its surroundings, as if what was there had never been.
//!
//! Thin or small areas (a scratch, a wire, a spot) are filled by `telea`'s fast marching, which
//! continues the colours around them smoothly; larger ones by `patchmatch`, which copies texture from
//! elsewhere in the photo. Only a window around the mask is worked on, so a small mark on a large photo
//! costs little. Deterministic, no I/O: the same on the server and in the browser's worker.

mod patchmatch;
mod telea;

use image::{DynamicImage, GrayImage, Rgba, RgbaImage};

/// How the hole is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Fast marching (Telea 2004): for thin or small areas.
    Telea,
    /// Multi-scale PatchMatch completion: for larger areas, with texture.
    PatchMatch,
}

/// A mask pixel at or above this is part of the area to fill.
const SELECTED: u8 = 32;
/// Areas no wider than this many pixels (twice the distance from their middle to their edge) are thin.
const THIN: u32 = 12;
/// Areas of fewer pixels than this are small.
const SMALL: usize = 1_500;

/// The working copy: RGBA values and which pixels are to be filled.
#[derive(Clone)]
pub(crate) struct Canvas {
    pub(crate) w: usize,
    pub(crate) h: usize,
    pub(crate) px: Vec<[f32; 4]>,
    pub(crate) hole: Vec<bool>,
}

impl Canvas {
    /// Half the size: each pixel the mean of its four, and a hole when any of them is.
    fn half(&self) -> Canvas {
        let (w, h) = (self.w.div_ceil(2), self.h.div_ceil(2));
        let mut px = vec![[0f32; 4]; w * h];
        let mut hole = vec![false; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut sum = [0f32; 4];
                let mut n = 0f32;
                for (sx, sy) in
                    [(2 * x, 2 * y), (2 * x + 1, 2 * y), (2 * x, 2 * y + 1), (2 * x + 1, 2 * y + 1)]
                {
                    if sx >= self.w || sy >= self.h {
                        continue;
                    }
                    let i = sy * self.w + sx;
                    hole[y * w + x] |= self.hole[i];
                    for (s, v) in sum.iter_mut().zip(self.px[i]) {
                        *s += v;
                    }
                    n += 1.0;
                }
                px[y * w + x] = sum.map(|s| s / n);
            }
        }
        Canvas { w, h, px, hole }
    }

    /// Hole pixels take the (bilinear) value of the coarser level `coarse` at the same place.
    fn upsample_from(&mut self, coarse: &Canvas) {
        for y in 0..self.h {
            for x in 0..self.w {
                let i = y * self.w + x;
                if !self.hole[i] {
                    continue;
                }
                let fx = ((x as f32 + 0.5) / 2.0 - 0.5).clamp(0.0, (coarse.w - 1) as f32);
                let fy = ((y as f32 + 0.5) / 2.0 - 0.5).clamp(0.0, (coarse.h - 1) as f32);
                let (x0, y0) = (fx as usize, fy as usize);
                let (x1, y1) = ((x0 + 1).min(coarse.w - 1), (y0 + 1).min(coarse.h - 1));
                let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
                let at = |x: usize, y: usize| coarse.px[y * coarse.w + x];
                let (a, b, c, d) = (at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1));
                self.px[i] = std::array::from_fn(|k| {
                    (a[k] * (1.0 - ax) + b[k] * ax) * (1.0 - ay) + (c[k] * (1.0 - ax) + d[k] * ax) * ay
                });
            }
        }
    }
}

/// The method [`erase`] uses for `mask`: fast marching for thin or small areas, PatchMatch otherwise.
/// `None` when the mask selects nothing.
pub fn method_for(mask: &GrayImage) -> Option<Method> {
    let hole: Vec<bool> = mask.pixels().map(|p| p[0] >= SELECTED).collect();
    let area = hole.iter().filter(|&&h| h).count();
    if area == 0 {
        return None;
    }
    let thickness = 2 * max_depth(&hole, mask.width() as usize, mask.height() as usize);
    Some(if area < SMALL || thickness <= THIN { Method::Telea } else { Method::PatchMatch })
}

/// How many bytes [`erase`] may hold at once for an image of `pixels` pixels (the window is at most the
/// whole image): the working copy and its pyramid, the matches and the votes.
pub fn peak_bytes(pixels: u64) -> u64 {
    pixels * 64
}

/// `img` with the area `mask` selects (pixels at or above 32; 255 is fully selected) filled from its
/// surroundings. The mask must be the image's size (otherwise it is scaled to it). An empty mask changes
/// nothing.
pub fn erase(img: &DynamicImage, mask: &GrayImage) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    let mask = if mask.dimensions() == (w, h) {
        mask.clone()
    } else {
        image::imageops::resize(mask, w, h, image::imageops::FilterType::Triangle)
    };
    let Some(method) = method_for(&mask) else {
        return img.clone();
    };
    // The selection grown by two pixels: a brush stroke hugs its object, and the halo just outside the
    // object's edge would otherwise be copied in.
    let grown = grow(&mask, 2);
    let Some((x0, y0, x1, y1)) = bounds(&grown) else {
        return img.clone();
    };
    // The window: the selection's box with a margin as wide as the box (at least 32 pixels) on every side.
    let margin = (x1 - x0).max(y1 - y0).max(32);
    let (wx0, wy0) = (x0.saturating_sub(margin), y0.saturating_sub(margin));
    let (wx1, wy1) = ((x1 + margin).min(w), (y1 + margin).min(h));
    let rgba = img.to_rgba8();
    let (cw, ch) = ((wx1 - wx0) as usize, (wy1 - wy0) as usize);
    let mut canvas =
        Canvas { w: cw, h: ch, px: Vec::with_capacity(cw * ch), hole: Vec::with_capacity(cw * ch) };
    for y in wy0..wy1 {
        for x in wx0..wx1 {
            canvas.px.push(rgba.get_pixel(x, y).0.map(f32::from));
            canvas.hole.push(grown.get_pixel(x, y)[0] > 0);
        }
    }
    match method {
        Method::Telea => telea::fill(&mut canvas, 5),
        Method::PatchMatch => patchmatch::fill(&mut canvas),
    }
    let mut out: RgbaImage = rgba;
    for (i, px) in canvas.px.iter().enumerate() {
        if canvas.hole[i] {
            let (x, y) = (wx0 + (i % cw) as u32, wy0 + (i / cw) as u32);
            out.put_pixel(x, y, Rgba(px.map(|v| v.round().clamp(0.0, 255.0) as u8)));
        }
    }
    if img.color().has_alpha() {
        DynamicImage::ImageRgba8(out)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(out).to_rgb8())
    }
}

/// The mask's selected pixels grown by `by` pixels (a square neighbourhood), as 0 or 255.
fn grow(mask: &GrayImage, by: u32) -> GrayImage {
    let (w, h) = mask.dimensions();
    let on = |x: u32, y: u32| mask.get_pixel(x, y)[0] >= SELECTED;
    // Rows first, then columns: the same as a square window, in O(pixels × by).
    let rows = GrayImage::from_fn(w, h, |x, y| {
        let hit = (x.saturating_sub(by)..(x + by + 1).min(w)).any(|sx| on(sx, y));
        image::Luma([if hit { 255 } else { 0 }])
    });
    GrayImage::from_fn(w, h, |x, y| {
        let hit = (y.saturating_sub(by)..(y + by + 1).min(h)).any(|sy| rows.get_pixel(x, sy)[0] > 0);
        image::Luma([if hit { 255 } else { 0 }])
    })
}

/// The box `(x0, y0, x1, y1)` (end exclusive) around the non-zero pixels.
fn bounds(mask: &GrayImage) -> Option<(u32, u32, u32, u32)> {
    let mut b: Option<(u32, u32, u32, u32)> = None;
    for (x, y, p) in mask.enumerate_pixels() {
        if p[0] > 0 {
            let (x0, y0, x1, y1) = b.unwrap_or((x, y, x + 1, y + 1));
            b = Some((x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1)));
        }
    }
    b
}

/// The largest distance (in pixels, 4-connected) from a hole pixel to the nearest pixel outside the hole.
fn max_depth(hole: &[bool], w: usize, h: usize) -> u32 {
    let mut d: Vec<u32> = hole.iter().map(|&h| if h { u32::MAX / 2 } else { 0 }).collect();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if x > 0 {
                d[i] = d[i].min(d[i - 1] + 1);
            }
            if y > 0 {
                d[i] = d[i].min(d[i - w] + 1);
            }
        }
    }
    for y in (0..h).rev() {
        for x in (0..w).rev() {
            let i = y * w + x;
            if x + 1 < w {
                d[i] = d[i].min(d[i + 1] + 1);
            }
            if y + 1 < h {
                d[i] = d[i].min(d[i + w] + 1);
            }
        }
    }
    d.into_iter().max().unwrap_or(0)
}

#[cfg(test)]
mod tests;
