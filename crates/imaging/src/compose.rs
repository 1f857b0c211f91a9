//! Several pictures made into one: another image placed on a photo (a logo in a corner, cut out along its
//! matte or its own transparency), pictures side by side, stacked or in a grid, and a picture scaled to
//! cover a given size (a new background).

use image::{imageops::FilterType, DynamicImage, GenericImageView, GrayImage, RgbaImage};

/// Where a placed picture goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Top left corner.
    TopLeft,
    /// Top right corner.
    TopRight,
    /// Bottom left corner.
    BottomLeft,
    /// Bottom right corner.
    BottomRight,
    /// The middle.
    Center,
}

/// How pictures are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Side by side, left to right.
    Row,
    /// One above the other, top to bottom.
    Column,
    /// Two across, as many rows as needed.
    Grid,
}

/// `img` scaled to fill `width` × `height` and cut to it around its centre (nothing is stretched).
pub fn cover(img: &DynamicImage, width: u32, height: u32) -> RgbaImage {
    let (w, h) = img.dimensions();
    let (width, height) = (width.max(1), height.max(1));
    let k = (f64::from(width) / f64::from(w.max(1))).max(f64::from(height) / f64::from(h.max(1)));
    let (sw, sh) =
        (((f64::from(w) * k).ceil() as u32).max(width), ((f64::from(h) * k).ceil() as u32).max(height));
    let scaled = image::imageops::resize(&img.to_rgba8(), sw, sh, FilterType::Triangle);
    image::imageops::crop_imm(&scaled, (sw - width) / 2, (sh - height) / 2, width, height).to_image()
}

/// The margin between a placed picture and the photo's edge: 4 % of the photo's shorter side.
pub fn margin(width: u32, height: u32) -> u32 {
    (width.min(height) as f32 * 0.04).round() as u32
}

/// `top` placed on `base` at `anchor`, its width `share` of the base's width (its height kept in
/// proportion, and at most 90 % of the base's height), a [`margin`] from the edges. `matte`, when given,
/// says how much of `top` shows (a cut-out); `top`'s own transparency always counts. The result has the
/// base's size, and transparency only where the base had it.
pub fn overlay(
    base: &DynamicImage,
    top: &DynamicImage,
    matte: Option<&GrayImage>,
    anchor: Anchor,
    share: f32,
) -> DynamicImage {
    let (bw, bh) = base.dimensions();
    let (tw, th) = top.dimensions();
    let mut layer = top.to_rgba8();
    if let Some(matte) = matte.filter(|m| m.dimensions() == (tw, th)) {
        for (p, a) in layer.pixels_mut().zip(matte.pixels()) {
            p[3] = ((u16::from(p[3]) * u16::from(a[0]) + 127) / 255) as u8;
        }
    }
    let k = (bw as f32 * share.clamp(0.01, 1.0) / tw.max(1) as f32).min(bh as f32 * 0.9 / th.max(1) as f32);
    let (w, h) = (((tw as f32 * k).round() as u32).max(1), ((th as f32 * k).round() as u32).max(1));
    let layer = image::imageops::resize(&layer, w, h, FilterType::Lanczos3);
    let m = margin(bw, bh);
    let (right, below) = (bw.saturating_sub(w + m), bh.saturating_sub(h + m));
    let (x, y) = match anchor {
        Anchor::TopLeft => (m, m),
        Anchor::TopRight => (right, m),
        Anchor::BottomLeft => (m, below),
        Anchor::BottomRight => (right, below),
        Anchor::Center => (bw.saturating_sub(w) / 2, bh.saturating_sub(h) / 2),
    };
    let transparent = base.color().has_alpha();
    let mut canvas = base.to_rgba8();
    image::imageops::overlay(&mut canvas, &layer, i64::from(x), i64::from(y));
    if transparent {
        DynamicImage::ImageRgba8(canvas)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
    }
}

/// The size of an arrangement of `count` cells of `cell`.
pub fn arranged_size(cell: (u32, u32), count: usize, layout: Layout) -> (u64, u64) {
    let (w, h, n) = (u64::from(cell.0), u64::from(cell.1), count.max(1) as u64);
    match layout {
        Layout::Row => (w * n, h),
        Layout::Column => (w, h * n),
        Layout::Grid => (w * n.min(2), h * n.div_ceil(2)),
    }
}

/// `pictures` arranged by `layout`, each one filling a cell of `cell` (scaled and cut around its centre,
/// never stretched); a grid's empty last cell is white. Transparency is kept when any picture has it.
pub fn arrange(pictures: &[&DynamicImage], cell: (u32, u32), layout: Layout) -> DynamicImage {
    let (cw, ch) = (cell.0.max(1), cell.1.max(1));
    let (w, h) = arranged_size((cw, ch), pictures.len(), layout);
    let transparent = pictures.iter().any(|p| p.color().has_alpha());
    let mut canvas = RgbaImage::from_pixel(w as u32, h as u32, image::Rgba([255, 255, 255, 255]));
    for (i, picture) in pictures.iter().enumerate() {
        let (col, row) = match layout {
            Layout::Row => (i as u32, 0),
            Layout::Column => (0, i as u32),
            Layout::Grid => (i as u32 % 2, i as u32 / 2),
        };
        let cell = if picture.dimensions() == (cw, ch) { picture.to_rgba8() } else { cover(picture, cw, ch) };
        image::imageops::replace(&mut canvas, &cell, i64::from(col * cw), i64::from(row * ch));
    }
    if transparent {
        DynamicImage::ImageRgba8(canvas)
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Luma, Rgb, RgbImage, Rgba};

    fn solid(w: u32, h: u32, c: [u8; 3]) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb(c)))
    }

    #[test]
    fn a_picture_goes_in_the_asked_corner_at_the_asked_size() {
        let photo = solid(400, 300, [20, 20, 20]);
        let logo = solid(100, 50, [250, 0, 0]);
        let out = overlay(&photo, &logo, None, Anchor::BottomRight, 0.25).to_rgb8();
        assert_eq!(out.dimensions(), (400, 300));
        // 25 % of 400 is 100 wide, 50 high, 12 px (4 % of 300) from the right and bottom edges.
        let red: Vec<(u32, u32)> =
            out.enumerate_pixels().filter(|(_, _, p)| p[0] > 200).map(|(x, y, _)| (x, y)).collect();
        assert_eq!(red.len(), 100 * 50);
        assert_eq!(red.iter().map(|p| p.0).min(), Some(400 - 12 - 100));
        assert_eq!(red.iter().map(|p| p.0).max(), Some(400 - 12 - 1));
        assert_eq!(red.iter().map(|p| p.1).max(), Some(287));
        assert_eq!(*out.get_pixel(10, 10), Rgb([20, 20, 20]));
        let top_left = overlay(&photo, &logo, None, Anchor::TopLeft, 0.25).to_rgb8();
        assert_eq!(top_left.get_pixel(12, 12)[0], 250);
        assert_eq!(top_left.get_pixel(11, 11)[0], 20);
    }

    #[test]
    fn a_cut_out_shows_only_the_subject() {
        let photo = solid(200, 200, [0, 0, 200]);
        // A logo on white: only its left half is subject.
        let logo = solid(100, 100, [255, 255, 255]);
        let matte = GrayImage::from_fn(100, 100, |x, _| Luma([if x < 50 { 255 } else { 0 }]));
        let out = overlay(&photo, &logo, Some(&matte), Anchor::Center, 0.5).to_rgb8();
        assert_eq!(*out.get_pixel(60, 100), Rgb([255, 255, 255]));
        assert_eq!(*out.get_pixel(140, 100), Rgb([0, 0, 200]), "the logo's background stays out");
    }

    #[test]
    fn side_by_side_stacked_and_grid() {
        let a = solid(60, 40, [255, 0, 0]);
        let b = solid(30, 90, [0, 255, 0]);
        let c = solid(10, 10, [0, 0, 255]);
        let row = arrange(&[&a, &b], (60, 40), Layout::Row).to_rgb8();
        assert_eq!(row.dimensions(), (120, 40));
        assert_eq!(*row.get_pixel(59, 20), Rgb([255, 0, 0]));
        assert_eq!(*row.get_pixel(60, 0), Rgb([0, 255, 0]));
        let column = arrange(&[&a, &b], (60, 40), Layout::Column).to_rgb8();
        assert_eq!(column.dimensions(), (60, 80));
        assert_eq!(*column.get_pixel(0, 79), Rgb([0, 255, 0]));
        let grid = arrange(&[&a, &b, &c], (60, 40), Layout::Grid).to_rgb8();
        assert_eq!(grid.dimensions(), (120, 80));
        assert_eq!(*grid.get_pixel(10, 50), Rgb([0, 0, 255]));
        assert_eq!(*grid.get_pixel(100, 60), Rgb([255, 255, 255]), "the empty cell is white");
        assert_eq!(arranged_size((60, 40), 3, Layout::Grid), (120, 80));
    }

    #[test]
    fn cover_fills_without_stretching() {
        // Left half red, right half green, 200 × 100, covering a square: the middle 100 columns.
        let img = DynamicImage::ImageRgba8(RgbaImage::from_fn(200, 100, |x, _| {
            Rgba(if x < 100 { [255, 0, 0, 255] } else { [0, 255, 0, 255] })
        }));
        let out = cover(&img, 50, 50);
        assert_eq!(out.dimensions(), (50, 50));
        assert!(out.get_pixel(5, 25)[0] > 200 && out.get_pixel(45, 25)[1] > 200);
    }
}
