//! Upload preparation, run in the browser's image-prep worker before anything leaves the device: an upright
//! image (EXIF orientation applied), downscaled so its long side fits (Lanczos3), re-encoded from pixels so
//! no metadata (GPS included) survives.
//!
//! The browser may decode with its own codecs and hand over RGBA pixels ([`prepare_rgba`]), or let this
//! crate decode the file ([`prepare`]); both end in the same resize and encode steps, which are public so
//! the worker can time each one.

use crate::{
    check_dimensions, decode, encode_with_quality, DecodeLimits, Encoded, ImagingError, OutputFormat, Result,
};
use fast_image_resize as fr;
use image::{DynamicImage, GenericImageView, RgbImage, RgbaImage};

/// Default longest side of a prepared upload, in pixels.
pub const DEFAULT_MAX_SIDE: u32 = 2048;

/// JPEG quality of prepared photos: visually lossless for photos, a fraction of the original's size.
pub const PREP_JPEG_QUALITY: u8 = 88;

/// How to prepare an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrepOptions {
    /// Longest side of the result; `None` keeps full resolution (still re-encoded, so still metadata-free).
    pub max_side: Option<u32>,
    /// JPEG quality for opaque images.
    pub jpeg_quality: u8,
    /// Limits on the source image.
    pub limits: DecodeLimits,
}

impl Default for PrepOptions {
    fn default() -> Self {
        Self {
            max_side: Some(DEFAULT_MAX_SIDE),
            jpeg_quality: PREP_JPEG_QUALITY,
            limits: DecodeLimits::default(),
        }
    }
}

/// A prepared upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The encoded file: JPEG for opaque images, lossless WebP when there is transparency.
    pub encoded: Encoded,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Width of the upright source.
    pub source_width: u32,
    /// Height of the upright source.
    pub source_height: u32,
}

/// The size that fits `width × height` into `max_side` on its long side, keeping the aspect ratio (never
/// enlarging, never below 1 px).
pub fn fit(width: u32, height: u32, max_side: Option<u32>) -> (u32, u32) {
    let Some(max) = max_side.filter(|&m| m > 0) else { return (width, height) };
    let long = width.max(height);
    if long <= max {
        return (width, height);
    }
    let scale = f64::from(max) / f64::from(long);
    let side = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, max);
    (side(width), side(height))
}

/// Decodes a file (sniffed by content, limits checked first, orientation applied) and prepares it.
pub fn prepare(bytes: &[u8], options: PrepOptions) -> Result<Prepared> {
    let upright = decode(bytes, options.limits)?.image;
    let (source_width, source_height) = upright.dimensions();
    let (w, h) = fit(source_width, source_height, options.max_side);
    let resized = resize_exact(&upright, w, h)?;
    finish(&resized, source_width, source_height, options)
}

/// Prepares upright, non-premultiplied RGBA pixels (as a canvas's `getImageData` returns them).
pub fn prepare_rgba(rgba: Vec<u8>, width: u32, height: u32, options: PrepOptions) -> Result<Prepared> {
    let resized = downscale_rgba(rgba, width, height, options)?;
    finish(&resized, width, height, options)
}

/// Resizes upright RGBA pixels to fit `options.max_side`. Opaque images come back as RGB (their alpha is
/// not weighed while resizing); images with transparency are resized with premultiplied alpha, so edges
/// do not get dark fringes.
pub fn downscale_rgba(rgba: Vec<u8>, width: u32, height: u32, options: PrepOptions) -> Result<DynamicImage> {
    check_dimensions(width, height, options.limits)?;
    if rgba.len() as u64 != u64::from(width) * u64::from(height) * 4 {
        return Err(ImagingError::Corrupt);
    }
    // Alpha words are 255 in an opaque image: compare four pixels' alpha bytes at a time.
    let opaque = rgba.chunks_exact(16).all(|p| p[3] & p[7] & p[11] & p[15] == 255)
        && rgba.chunks_exact(16).remainder().chunks_exact(4).all(|p| p[3] == 255);
    let (w, h) = fit(width, height, options.max_side);
    let resized = if (w, h) == (width, height) {
        rgba
    } else {
        let src = fr::images::Image::from_vec_u8(width, height, rgba, fr::PixelType::U8x4)
            .map_err(|_| ImagingError::Corrupt)?;
        let mut dst = fr::images::Image::new(w, h, fr::PixelType::U8x4);
        fr::Resizer::new()
            .resize(&src, &mut dst, &lanczos3().use_alpha(!opaque))
            .map_err(|_| ImagingError::Corrupt)?;
        dst.into_vec()
    };
    let rgba = RgbaImage::from_raw(w, h, resized).ok_or(ImagingError::Corrupt)?;
    Ok(if opaque {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).to_rgb8())
    } else {
        DynamicImage::ImageRgba8(rgba)
    })
}

/// Encodes a prepared image: JPEG when opaque, lossless WebP when it has an alpha channel.
pub fn finish(
    image: &DynamicImage,
    source_width: u32,
    source_height: u32,
    options: PrepOptions,
) -> Result<Prepared> {
    let format = if image.color().has_alpha() { OutputFormat::WebP } else { OutputFormat::Jpeg };
    let encoded = encode_with_quality(image, format, options.jpeg_quality)?;
    Ok(Prepared { encoded, width: image.width(), height: image.height(), source_width, source_height })
}

fn lanczos3() -> fr::ResizeOptions {
    fr::ResizeOptions::new().resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
}

/// Resizes to exactly `width × height` with Lanczos3 (SIMD where the target has it: SSE4.1/AVX2, NEON,
/// wasm SIMD128). RGB and RGBA stay as they are; other colour types become RGB or RGBA first.
pub fn resize_exact(image: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage> {
    if image.dimensions() == (width, height) {
        return Ok(image.clone());
    }
    let width = width.max(1);
    let height = height.max(1);
    let (pixel_type, buffer, has_alpha) = match image {
        DynamicImage::ImageRgb8(rgb) => (fr::PixelType::U8x3, rgb.as_raw().clone(), false),
        DynamicImage::ImageRgba8(rgba) => (fr::PixelType::U8x4, rgba.as_raw().clone(), true),
        other if other.color().has_alpha() => (fr::PixelType::U8x4, other.to_rgba8().into_raw(), true),
        other => (fr::PixelType::U8x3, other.to_rgb8().into_raw(), false),
    };
    let src = fr::images::Image::from_vec_u8(image.width(), image.height(), buffer, pixel_type)
        .map_err(|_| ImagingError::Corrupt)?;
    let mut dst = fr::images::Image::new(width, height, pixel_type);
    fr::Resizer::new().resize(&src, &mut dst, &lanczos3()).map_err(|_| ImagingError::Corrupt)?;
    let raw = dst.into_vec();
    Ok(if has_alpha {
        DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, raw).ok_or(ImagingError::Corrupt)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, raw).ok_or(ImagingError::Corrupt)?)
    })
}

/// One plane of a planar YUV image: rows of `stride` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    /// The samples.
    pub data: &'a [u8],
    /// Bytes from one row to the next.
    pub stride: usize,
}

/// Planar Y′CbCr pixels as a decoder hands them out (WebCodecs' `I420`, `I422`, `I444`), BT.601 matrix.
#[derive(Debug, Clone, Copy)]
pub struct Yuv<'a> {
    /// Luma width.
    pub width: u32,
    /// Luma height.
    pub height: u32,
    /// Chroma subsampling as shifts: (1, 1) for 4:2:0, (1, 0) for 4:2:2, (0, 0) for 4:4:4.
    pub chroma_shift: (u32, u32),
    /// Full-range (JPEG/JFIF) samples rather than video range (16–235).
    pub full_range: bool,
    /// Luma.
    pub y: Plane<'a>,
    /// Blue-difference chroma.
    pub u: Plane<'a>,
    /// Red-difference chroma.
    pub v: Plane<'a>,
}

/// Downscales planar YUV to fit `options.max_side` and converts it to opaque RGBA (ready for a canvas):
/// luma is resized with Lanczos3 to the output size and chroma to half of it (what a 4:2:0 JPEG keeps
/// anyway), and only the small result is converted, in fixed point. Far less work than converting
/// 12 MP to RGBA first.
pub fn downscale_yuv(yuv: &Yuv<'_>, options: PrepOptions) -> Result<DynamicImage> {
    check_dimensions(yuv.width, yuv.height, options.limits)?;
    let (w, h) = fit(yuv.width, yuv.height, options.max_side);
    let (sx, sy) = yuv.chroma_shift;
    let chroma = ((yuv.width + (1 << sx) - 1) >> sx, (yuv.height + (1 << sy) - 1) >> sy);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let luma = resize_plane(yuv.y, (yuv.width, yuv.height), (w, h))?;
    let cb = resize_plane(yuv.u, chroma, (cw, ch))?;
    let cr = resize_plane(yuv.v, chroma, (cw, ch))?;
    // BT.601 (JFIF) coefficients in 16.16 fixed point; video range is stretched to full range first.
    let (y_mul, c_mul, y_off) = if yuv.full_range { (65_536, 65_536, 0) } else { (76_309, 74_594, 16) };
    let (rv, gu, gv, bu) = (91_881i64, 22_554i64, 46_802i64, 116_130i64);
    let clamp = |v: i64| ((v + 32_768) >> 16).clamp(0, 255) as u8;
    let mut rgba = vec![255u8; w as usize * h as usize * 4];
    for (row, out) in rgba.chunks_exact_mut(w as usize * 4).enumerate() {
        let ys = &luma[row * w as usize..][..w as usize];
        let crow = (row / 2) * cw as usize;
        for (x, (px, &y)) in out.chunks_exact_mut(4).zip(ys).enumerate() {
            let y = (i64::from(y) - y_off) * y_mul;
            let u = ((i64::from(cb[crow + x / 2]) - 128) * c_mul) >> 16;
            let v = ((i64::from(cr[crow + x / 2]) - 128) * c_mul) >> 16;
            px[0] = clamp(y + rv * v);
            px[1] = clamp(y - gu * u - gv * v);
            px[2] = clamp(y + bu * u);
        }
    }
    Ok(DynamicImage::ImageRgba8(RgbaImage::from_raw(w, h, rgba).ok_or(ImagingError::Corrupt)?))
}

/// Encodes as `format` (JPEG at `options.jpeg_quality`, or lossless), for callers that know the image is
/// opaque even though its buffer has an alpha channel.
pub fn finish_as(
    image: &DynamicImage,
    format: OutputFormat,
    source_width: u32,
    source_height: u32,
    options: PrepOptions,
) -> Result<Prepared> {
    let encoded = encode_with_quality(image, format, options.jpeg_quality)?;
    Ok(Prepared { encoded, width: image.width(), height: image.height(), source_width, source_height })
}

fn resize_plane(plane: Plane<'_>, (sw, sh): (u32, u32), (dw, dh): (u32, u32)) -> Result<Vec<u8>> {
    let row = sw as usize;
    if plane.stride < row || plane.data.len() < plane.stride * (sh as usize - 1) + row {
        return Err(ImagingError::Corrupt);
    }
    let packed: Vec<u8> = if plane.stride == row {
        plane.data[..row * sh as usize].to_vec()
    } else {
        plane.data.chunks(plane.stride).take(sh as usize).flat_map(|r| &r[..row]).copied().collect()
    };
    if (sw, sh) == (dw, dh) {
        return Ok(packed);
    }
    let src = fr::images::Image::from_vec_u8(sw, sh, packed, fr::PixelType::U8)
        .map_err(|_| ImagingError::Corrupt)?;
    let mut dst = fr::images::Image::new(dw, dh, fr::PixelType::U8);
    fr::Resizer::new().resize(&src, &mut dst, &lanczos3()).map_err(|_| ImagingError::Corrupt)?;
    Ok(dst.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode;
    use image::{Rgb, Rgba};

    /// A 400 × 300 photo-like JPEG: left half red, right half blue, with an EXIF block holding GPS.
    fn photo_with_gps(orientation: u16) -> Vec<u8> {
        let img =
            RgbImage::from_fn(400, 300, |x, _| if x < 200 { Rgb([220, 20, 20]) } else { Rgb([20, 20, 220]) });
        let jpeg = encode(&DynamicImage::ImageRgb8(img), OutputFormat::Jpeg).unwrap().bytes;
        crate::decode::tests::with_exif(&jpeg, orientation, true)
    }

    #[test]
    fn fit_keeps_aspect_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, Some(2048)), (2048, 1536));
        assert_eq!(fit(3000, 4000, Some(2048)), (1536, 2048));
        assert_eq!(fit(1000, 800, Some(2048)), (1000, 800));
        assert_eq!(fit(10_000, 3, Some(100)), (100, 1));
        assert_eq!(fit(4000, 3000, None), (4000, 3000));
    }

    #[test]
    fn prepare_orients_downscales_and_strips_metadata() {
        let source = photo_with_gps(6);
        assert!(contains(&source, b"Exif\0\0") && contains(&source, b"GPS-SECRET"));
        let out = prepare(&source, PrepOptions { max_side: Some(200), ..PrepOptions::default() }).unwrap();
        // Orientation 6: upright is 300 × 400; fitted to 200 on the long side.
        assert_eq!((out.source_width, out.source_height), (300, 400));
        assert_eq!((out.width, out.height), (150, 200));
        assert_eq!(out.encoded.format, OutputFormat::Jpeg);
        assert!(!contains(&out.encoded.bytes, b"Exif"), "EXIF segment survived");
        assert!(!contains(&out.encoded.bytes, b"GPS-SECRET"), "GPS data survived");
        let back = decode(&out.encoded.bytes, DecodeLimits::default()).unwrap().image.to_rgb8();
        assert_eq!(back.dimensions(), (150, 200));
        // The red left half of the sensor image is on top once upright.
        let (top, bottom) = (back.get_pixel(75, 30), back.get_pixel(75, 170));
        assert!(top[0] > 180 && top[2] < 70, "top {top:?}");
        assert!(bottom[2] > 180 && bottom[0] < 70, "bottom {bottom:?}");
    }

    #[test]
    fn prepare_rgba_of_opaque_pixels_is_a_jpeg_and_transparency_stays() {
        let opaque: Vec<u8> = (0..400 * 300).flat_map(|_| [10, 200, 30, 255]).collect();
        let out = prepare_rgba(opaque, 400, 300, PrepOptions { max_side: Some(100), ..Default::default() })
            .unwrap();
        assert_eq!((out.width, out.height, out.encoded.format), (100, 75, OutputFormat::Jpeg));
        let px =
            *decode(&out.encoded.bytes, DecodeLimits::default()).unwrap().image.to_rgb8().get_pixel(50, 37);
        assert!(px[1] > 180 && px[0] < 40, "{px:?}");

        // Half transparent: the visible green must not darken at the edge of the transparent part.
        let mut pixels = RgbaImage::from_pixel(400, 300, Rgba([0, 0, 0, 0]));
        for (x, _, p) in pixels.enumerate_pixels_mut() {
            if x < 200 {
                *p = Rgba([0, 255, 0, 255]);
            }
        }
        let out = prepare_rgba(
            pixels.into_raw(),
            400,
            300,
            PrepOptions { max_side: Some(100), ..Default::default() },
        )
        .unwrap();
        assert_eq!(out.encoded.format, OutputFormat::WebP);
        let back = decode(&out.encoded.bytes, DecodeLimits::default()).unwrap().image.to_rgba8();
        let edge = back.get_pixel(49, 37);
        assert!(edge[1] > 240 && edge[3] > 100, "edge {edge:?}");
        assert_eq!(back.get_pixel(90, 37)[3], 0);
    }

    #[test]
    fn refuses_pixel_floods_and_wrong_buffers() {
        let limits = DecodeLimits { max_pixels: 10_000, max_side: 16_384 };
        let options = PrepOptions { limits, ..Default::default() };
        assert!(matches!(
            prepare_rgba(vec![0; 200 * 200 * 4], 200, 200, options),
            Err(ImagingError::TooLarge { width: 200, height: 200, .. })
        ));
        assert_eq!(prepare_rgba(vec![0; 10], 2, 2, PrepOptions::default()), Err(ImagingError::Corrupt));
        assert!(matches!(prepare(&photo_with_gps(1), options), Err(ImagingError::TooLarge { .. })));
    }

    #[test]
    fn lanczos_resize_matches_the_image_crate() {
        // A smooth gradient: fast_image_resize and image's own Lanczos3 must agree closely.
        let img = DynamicImage::ImageRgb8(RgbImage::from_fn(640, 480, |x, y| {
            Rgb([(x * 255 / 639) as u8, (y * 255 / 479) as u8, ((x + y) * 255 / 1118) as u8])
        }));
        let ours = resize_exact(&img, 160, 120).unwrap().to_rgb8();
        let theirs = img.resize_exact(160, 120, image::imageops::FilterType::Lanczos3).to_rgb8();
        let worst = ours.as_raw().iter().zip(theirs.as_raw()).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 3, "largest channel difference {worst}");
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn yuv420_downscale_matches_the_rgb_path() {
        // A photo-like RGB image, turned into full-range 4:2:0 the way a JPEG decoder hands it out.
        let (w, h) = (640u32, 480u32);
        let rgb = RgbImage::from_fn(w, h, |x, y| {
            let t = (x as f32 * 0.05).sin() * 40.0;
            Rgb([
                (60.0 + x as f32 * 0.25 + t) as u8,
                (90.0 + y as f32 * 0.3) as u8,
                (200.0 - x as f32 * 0.2 - t) as u8,
            ])
        });
        let (mut ys, mut us, mut vs) = (Vec::new(), Vec::new(), Vec::new());
        for p in rgb.pixels() {
            let [r, g, b] = p.0.map(f32::from);
            ys.push((0.299 * r + 0.587 * g + 0.114 * b).round() as u8);
        }
        for cy in 0..h / 2 {
            for cx in 0..w / 2 {
                let (mut u, mut v) = (0.0, 0.0);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let [r, g, b] = rgb.get_pixel(cx * 2 + dx, cy * 2 + dy).0.map(f32::from);
                    u += 128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b;
                    v += 128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b;
                }
                us.push((u / 4.0).round() as u8);
                vs.push((v / 4.0).round() as u8);
            }
        }
        let yuv = Yuv {
            width: w,
            height: h,
            chroma_shift: (1, 1),
            full_range: true,
            y: Plane { data: &ys, stride: w as usize },
            u: Plane { data: &us, stride: w as usize / 2 },
            v: Plane { data: &vs, stride: w as usize / 2 },
        };
        let options = PrepOptions { max_side: Some(160), ..PrepOptions::default() };
        let out = downscale_yuv(&yuv, options).unwrap();
        assert!(out.as_rgba8().unwrap().pixels().all(|p| p[3] == 255), "opaque");
        let ours = out.to_rgb8();
        assert_eq!(ours.dimensions(), (160, 120));
        let reference = resize_exact(&DynamicImage::ImageRgb8(rgb), 160, 120).unwrap().to_rgb8();
        let mse: f64 = ours
            .as_raw()
            .iter()
            .zip(reference.as_raw())
            .map(|(a, b)| (f64::from(*a) - f64::from(*b)).powi(2))
            .sum::<f64>()
            / ours.as_raw().len() as f64;
        let psnr = 10.0 * (255.0f64.powi(2) / mse).log10();
        assert!(psnr > 38.0, "PSNR {psnr:.1} dB against the RGB path");

        // Rows padded beyond the width read the same; a plane too short for its size is refused.
        let padded: Vec<u8> = ys.chunks(w as usize).flat_map(|r| r.iter().copied().chain([0; 16])).collect();
        let with_stride = Yuv { y: Plane { data: &padded, stride: w as usize + 16 }, ..yuv };
        assert_eq!(downscale_yuv(&with_stride, options).unwrap().to_rgb8(), ours);
        let short = Yuv { y: Plane { data: &ys[..100], stride: w as usize }, ..yuv };
        assert_eq!(downscale_yuv(&short, options).unwrap_err(), ImagingError::Corrupt);
    }
}
