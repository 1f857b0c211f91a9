//! Cutting one photo to another shape around a point of interest: the social media resizer's sizes
//! (Instagram square, story, banners…), computed the same way for the page's previews and the worker's files.

use crate::{ImagingError, Result};
use fast_image_resize as fr;
use image::{DynamicImage, GenericImageView, Rgb, RgbImage};

/// The largest part of a `w` × `h` photo with the shape of `tw` × `th`, centred on `focus` (0..=1 of the
/// width and height) as far as the photo allows: `(x, y, width, height)` in the photo's pixels.
pub fn crop_for(w: f64, h: f64, tw: f64, th: f64, focus: (f64, f64)) -> (f64, f64, f64, f64) {
    let shape = tw / th.max(f64::MIN_POSITIVE);
    let (cw, ch) = if w / h > shape { (h * shape, h) } else { (w, w / shape) };
    let x = (focus.0 * w - cw / 2.0).clamp(0.0, (w - cw).max(0.0));
    let y = (focus.1 * h - ch / 2.0).clamp(0.0, (h - ch).max(0.0));
    (x, y, cw, ch)
}

/// Where the crop sits along each axis, 0..=1 (the CSS `object-position` that shows the same part of the
/// photo in a box of the target's shape with `object-fit: cover`); 0.5 on an axis the crop fills.
pub fn crop_position(w: f64, h: f64, tw: f64, th: f64, focus: (f64, f64)) -> (f64, f64) {
    let (x, y, cw, ch) = crop_for(w, h, tw, th, focus);
    let along = |start: f64, free: f64| if free > 0.5 { (start / free).clamp(0.0, 1.0) } else { 0.5 };
    (along(x, w - cw), along(y, h - ch))
}

/// The photo cut to `tw` × `th` around `focus` (see [`crop_for`]), resampled with Lanczos3 straight from
/// the crop's sub-pixel box. Transparency is laid on white: the sizes are JPEGs for the networks.
pub fn cut(image: &DynamicImage, (tw, th): (u32, u32), focus: (f64, f64)) -> Result<RgbImage> {
    let (w, h) = image.dimensions();
    if tw == 0 || th == 0 || w == 0 || h == 0 {
        return Err(ImagingError::Corrupt);
    }
    let rgb = match image {
        DynamicImage::ImageRgb8(rgb) => rgb.clone(),
        other if other.color().has_alpha() => on_white(other),
        other => other.to_rgb8(),
    };
    let (x, y, cw, ch) = crop_for(f64::from(w), f64::from(h), f64::from(tw), f64::from(th), focus);
    let src = fr::images::Image::from_vec_u8(w, h, rgb.into_raw(), fr::PixelType::U8x3)
        .map_err(|_| ImagingError::Corrupt)?;
    let mut dst = fr::images::Image::new(tw, th, fr::PixelType::U8x3);
    let options = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
        .crop(x, y, cw, ch);
    fr::Resizer::new().resize(&src, &mut dst, &options).map_err(|_| ImagingError::Corrupt)?;
    RgbImage::from_raw(tw, th, dst.into_vec()).ok_or(ImagingError::Corrupt)
}

/// `rgb` resampled to `tw` × `th` with `filter` (SIMD convolution), or `None` for an empty size.
pub fn scaled(rgb: &RgbImage, (tw, th): (u32, u32), filter: fr::FilterType) -> Option<RgbImage> {
    let src = fr::images::ImageRef::new(rgb.width(), rgb.height(), rgb.as_raw(), fr::PixelType::U8x3).ok()?;
    let mut dst = fr::images::Image::new(tw, th, fr::PixelType::U8x3);
    let options = fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(filter));
    fr::Resizer::new().resize(&src, &mut dst, &options).ok()?;
    RgbImage::from_raw(tw, th, dst.into_vec())
}

fn on_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbaImage;

    #[test]
    fn a_crop_is_as_large_as_fits_and_follows_the_focus_within_the_photo() {
        // A 4000 × 3000 photo to a 9:16 story: the full height, 1687.5 wide, centred.
        assert_eq!(crop_for(4000.0, 3000.0, 1080.0, 1920.0, (0.5, 0.5)), (1156.25, 0.0, 1687.5, 3000.0));
        // Focus at the left edge: the crop starts at the edge, not beyond it; at the right, ends there.
        assert_eq!(crop_for(4000.0, 3000.0, 1080.0, 1920.0, (0.0, 0.5)).0, 0.0);
        assert_eq!(crop_for(4000.0, 3000.0, 1080.0, 1920.0, (1.0, 0.5)).0, 4000.0 - 1687.5);
        // To a 3:1 header: the full width, 1333.3 high, following the focus down, and no further than the
        // bottom edge.
        let (x, y, w, h) = crop_for(4000.0, 3000.0, 1500.0, 500.0, (0.5, 0.6));
        assert_eq!((x, w), (0.0, 4000.0));
        assert!((h - 4000.0 / 3.0).abs() < 1e-9 && (y - (1800.0 - h / 2.0)).abs() < 1e-9);
        let (_, y, _, h) = crop_for(4000.0, 3000.0, 1500.0, 500.0, (0.5, 0.95));
        assert!((y + h - 3000.0).abs() < 1e-9);
        // The preview's position says the same: left edge 0, right edge 1, the filled axis 0.5.
        assert_eq!(crop_position(4000.0, 3000.0, 1080.0, 1920.0, (0.0, 0.5)), (0.0, 0.5));
        assert_eq!(crop_position(4000.0, 3000.0, 1080.0, 1920.0, (1.0, 0.1)), (1.0, 0.5));
        assert_eq!(crop_position(4000.0, 3000.0, 1080.0, 1920.0, (0.5, 0.5)), (0.5, 0.5));
    }

    #[test]
    fn a_cut_has_the_exact_size_and_shows_the_side_the_focus_is_on() {
        // 1600 × 800: left half red, right half blue, to a 1080 × 1920 story (a narrow strip).
        let photo =
            RgbImage::from_fn(
                1600,
                800,
                |x, _| if x < 800 { Rgb([220, 30, 30]) } else { Rgb([30, 60, 220]) },
            );
        let photo = DynamicImage::ImageRgb8(photo);
        let left = cut(&photo, (1080, 1920), (0.1, 0.5)).unwrap();
        assert_eq!(left.dimensions(), (1080, 1920));
        assert_eq!(left.get_pixel(540, 960).0, [220, 30, 30]);
        let right = cut(&photo, (1080, 1920), (0.9, 0.5)).unwrap();
        assert_eq!(right.get_pixel(540, 960).0, [30, 60, 220]);
        // A header (3:1) of the same photo keeps the full width: red on the left, blue on the right.
        let header = cut(&photo, (1500, 500), (0.5, 0.5)).unwrap();
        assert_eq!(
            (header.get_pixel(10, 250).0, header.get_pixel(1490, 250).0),
            ([220, 30, 30], [30, 60, 220])
        );
    }

    #[test]
    fn transparency_is_laid_on_white_and_nonsense_sizes_are_refused() {
        let clear = DynamicImage::ImageRgba8(RgbaImage::from_pixel(50, 50, image::Rgba([0, 0, 0, 0])));
        assert_eq!(cut(&clear, (20, 10), (0.5, 0.5)).unwrap().get_pixel(5, 5).0, [255, 255, 255]);
        assert_eq!(cut(&clear, (0, 10), (0.5, 0.5)), Err(ImagingError::Corrupt));
    }
}
