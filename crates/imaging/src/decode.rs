//! The one way untrusted bytes become pixels.

use crate::{ImagingError, Result};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// Limits applied before and during decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest accepted width × height, as declared by the header.
    pub max_pixels: u64,
    /// Largest accepted width or height.
    pub max_side: u32,
}

impl Default for DecodeLimits {
    /// About 40 megapixels, up to 16384 px on a side.
    fn default() -> Self {
        Self { max_pixels: 40_000_000, max_side: 16_384 }
    }
}

/// Formats accepted as input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    WebP,
}

/// The format of untrusted bytes, from their content alone. HEIC/HEIF/AVIF (what iPhones save by default)
/// gets its own error so the person can be told what to do about it.
pub fn sniff(bytes: &[u8]) -> Result<SourceFormat> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(SourceFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(SourceFormat::Png),
        Ok(ImageFormat::WebP) => Ok(SourceFormat::WebP),
        _ if is_heif(bytes) => Err(ImagingError::Heic),
        _ => Err(ImagingError::UnsupportedFormat),
    }
}

/// An ISO-BMFF `ftyp` box with a HEIF-family brand (HEIC, HEIF, AVIF).
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 9] =
        [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"];
    bytes.get(4..8) == Some(b"ftyp") && bytes.get(8..12).is_some_and(|b| BRANDS.iter().any(|x| &x[..] == b))
}

/// Whether the bytes hold the whole file: a JPEG's end-of-image marker after its first scan, a PNG's `IEND`
/// chunk, every byte a WebP's RIFF header declares. A file cut off on the way (an upload dropped half-way, a
/// copy interrupted) decodes in some decoders, a browser's among them, as a picture whose lower part is
/// grey; it is refused as damaged instead.
pub fn is_complete(bytes: &[u8], format: SourceFormat) -> bool {
    match format {
        SourceFormat::Jpeg => jpeg_complete(bytes),
        SourceFormat::Png => png_complete(bytes),
        SourceFormat::WebP => bytes.get(4..8).is_some_and(|size| {
            let declared = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
            bytes.len() >= declared.saturating_add(8)
        }),
    }
}

/// Walks the marker segments from the start to the first scan, stepping over their contents (an EXIF
/// thumbnail is a whole JPEG inside APP1, end marker included), then looks for the end marker: inside
/// entropy-coded data every 0xFF byte is followed by 0x00 or a restart marker, so FF D9 after the first scan
/// is the image's own end.
fn jpeg_complete(bytes: &[u8]) -> bool {
    let mut at = 2;
    loop {
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else { return false };
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Start of scan: the image data follows its header.
            0xDA => break,
            // The end before any image data.
            0xD9 => return false,
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => at += 2,
            _ => {
                let Some(length) = bytes.get(at + 2..at + 4) else { return false };
                let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
                if length < 2 {
                    return false;
                }
                at += 2 + length;
            }
        }
    }
    bytes[at + 2..].windows(2).any(|w| w == [0xFF, 0xD9])
}

/// Walks a PNG's chunks (length, type, data, checksum) to `IEND`; false when the bytes end first.
fn png_complete(bytes: &[u8]) -> bool {
    let mut at = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        if &header[4..8] == b"IEND" {
            return true;
        }
        at = at.saturating_add(12).saturating_add(length);
    }
    false
}

/// Width and height as declared by the header, checked against the limits without decoding any pixels; a
/// file that was cut off ([`is_complete`]) is damaged.
pub fn probe(bytes: &[u8], limits: DecodeLimits) -> Result<(SourceFormat, u32, u32)> {
    let format = sniff(bytes)?;
    if !is_complete(bytes, format) {
        return Err(ImagingError::Corrupt);
    }
    let (width, height) = dimensions(bytes, format)?;
    check_dimensions(width, height, limits)?;
    Ok((format, width, height))
}

/// The size the header declares. Read without the decoder's limits: only the header is read (nothing is
/// allocated for pixels), and a PNG decoder under limits refuses a huge header outright, which would make
/// an image that is too large look damaged. A PNG's size is read from its `IHDR` directly: on 32-bit
/// targets (the browser's WASM) the PNG decoder fails on a header whose pixel buffer would not fit in
/// memory, for the same wrong answer.
fn dimensions(bytes: &[u8], format: SourceFormat) -> Result<(u32, u32)> {
    if format == SourceFormat::Png {
        let field = |at: usize| bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
        return match (bytes.get(12..16), field(16), field(20)) {
            (Some(b"IHDR"), Some(width), Some(height)) => Ok((width, height)),
            _ => Err(ImagingError::Corrupt),
        };
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    reader.no_limits();
    reader.into_dimensions().map_err(|e| match e {
        image::ImageError::Unsupported(_) => ImagingError::UnsupportedFormat,
        _ => ImagingError::Corrupt,
    })
}

fn image_format(format: SourceFormat) -> ImageFormat {
    match format {
        SourceFormat::Jpeg => ImageFormat::Jpeg,
        SourceFormat::Png => ImageFormat::Png,
        SourceFormat::WebP => ImageFormat::WebP,
    }
}

/// The EXIF orientation of an image, read from its header without decoding pixels (for decoders, such as
/// the browser's WebCodecs, that hand out pixels as stored).
pub fn exif_orientation(bytes: &[u8]) -> image::metadata::Orientation {
    let none = image::metadata::Orientation::NoTransforms;
    let Ok(format) = sniff(bytes) else { return none };
    ImageReader::with_format(Cursor::new(bytes), image_format(format))
        .into_decoder()
        .ok()
        .and_then(|mut d| d.orientation().ok())
        .unwrap_or(none)
}

/// Refuses empty images and those over the pixel or side limits.
pub fn check_dimensions(width: u32, height: u32, limits: DecodeLimits) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(ImagingError::Corrupt);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels
        || width > limits.max_side
        || height > limits.max_side
    {
        return Err(ImagingError::TooLarge {
            width,
            height,
            max_megapixels: (limits.max_pixels / 1_000_000) as u32,
        });
    }
    Ok(())
}

/// A decoded, upright image.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The pixels, with EXIF orientation already applied.
    pub image: DynamicImage,
    /// What the bytes were.
    pub format: SourceFormat,
}

/// Decodes untrusted bytes: sniffs the format from content (never from a name or MIME type), refuses a
/// file that was cut off ([`is_complete`]), checks the declared dimensions before allocating, decodes under `image::Limits`, applies EXIF orientation,
/// and converts colours tagged with an ICC profile to sRGB ([`crate::colour`]).
pub fn decode(bytes: &[u8], limits: DecodeLimits) -> Result<Decoded> {
    let format = sniff(bytes)?;
    if !is_complete(bytes, format) {
        return Err(ImagingError::Corrupt);
    }
    let image_format = image_format(format);
    let reader = || {
        let mut r = ImageReader::with_format(Cursor::new(bytes), image_format);
        let mut l = image::Limits::default();
        l.max_image_width = Some(limits.max_side);
        l.max_image_height = Some(limits.max_side);
        // RGBA8 of the largest accepted image, plus headroom for the decoder's own buffers.
        l.max_alloc = Some(limits.max_pixels.saturating_mul(4).saturating_add(64 << 20));
        r.limits(l);
        r
    };
    let too_large = |width: u32, height: u32| ImagingError::TooLarge {
        width,
        height,
        max_megapixels: (limits.max_pixels / 1_000_000) as u32,
    };

    let classify = |e: image::ImageError, dims: Option<(u32, u32)>| match (e, dims) {
        (image::ImageError::Limits(_), Some((w, h))) => too_large(w, h),
        (image::ImageError::Unsupported(_), _) => ImagingError::UnsupportedFormat,
        _ => ImagingError::Corrupt,
    };
    let (width, height) = dimensions(bytes, format)?;
    check_dimensions(width, height, limits)?;

    let mut decoder = reader().into_decoder().map_err(|e| classify(e, Some((width, height))))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let profile = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| classify(e, Some((width, height))))?;
    image.apply_orientation(orientation);
    // Colours tagged with another profile (Display P3 from phones) become sRGB before the profile is dropped.
    if let Some(profile) = profile {
        crate::colour::to_srgb(&mut image, &profile);
    }
    Ok(Decoded { image, format })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{encode, OutputFormat};
    use image::{Rgb, RgbImage};

    /// A 4×2 image whose left half is red and right half blue, as JPEG.
    fn wide_jpeg() -> Vec<u8> {
        let img = RgbImage::from_fn(40, 20, |x, _| if x < 20 { Rgb([255, 0, 0]) } else { Rgb([0, 0, 255]) });
        encode(&DynamicImage::ImageRgb8(img), OutputFormat::Jpeg).unwrap().bytes
    }

    /// Inserts an EXIF APP1 segment right after the JPEG SOI marker: IFD0 with the orientation tag and,
    /// when `gps` is set, a GPS IFD whose processing-method field holds the marker text `GPS-SECRET`.
    pub(crate) fn with_exif(jpeg: &[u8], orientation: u16, gps: bool) -> Vec<u8> {
        let entries: u16 = if gps { 2 } else { 1 };
        // TIFF header (big endian), then IFD0 at offset 8.
        let mut tiff = vec![b'M', b'M', 0, 42, 0, 0, 0, 8];
        tiff.extend_from_slice(&entries.to_be_bytes());
        // Orientation: tag 0x0112, SHORT, count 1, value left-aligned in the 4-byte field.
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]);
        let gps_ifd = 8 + 2 + 12 * u32::from(entries) + 4;
        if gps {
            // GPSInfo: tag 0x8825, LONG, count 1, offset of the GPS IFD.
            tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
            tiff.extend_from_slice(&gps_ifd.to_be_bytes());
        }
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        if gps {
            let data = gps_ifd + 2 + 12 + 4;
            // One entry: GPSProcessingMethod (0x001B), UNDEFINED, 10 bytes at `data`.
            tiff.extend_from_slice(&[0, 1, 0x00, 0x1B, 0, 7, 0, 0, 0, 10]);
            tiff.extend_from_slice(&data.to_be_bytes());
            tiff.extend_from_slice(&[0, 0, 0, 0]);
            tiff.extend_from_slice(b"GPS-SECRET");
        }
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend_from_slice(&tiff);
        let len = (payload.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&payload);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        with_exif(jpeg, orientation, false)
    }

    /// 48 × 32 with four coloured quadrants: red top-left, green top-right, blue bottom-left, white
    /// bottom-right.
    fn quadrants_jpeg() -> Vec<u8> {
        let img = RgbImage::from_fn(48, 32, |x, y| match (x < 24, y < 16) {
            (true, true) => Rgb([255, 0, 0]),
            (false, true) => Rgb([0, 255, 0]),
            (true, false) => Rgb([0, 0, 255]),
            (false, false) => Rgb([255, 255, 255]),
        });
        encode(&DynamicImage::ImageRgb8(img), OutputFormat::Jpeg).unwrap().bytes
    }

    /// Names the colour of a pixel: R, G, B or W.
    fn colour(p: &Rgb<u8>) -> char {
        match (p[0] > 160, p[1] > 160, p[2] > 160) {
            (true, true, true) => 'W',
            (true, false, false) => 'R',
            (false, true, false) => 'G',
            (false, false, true) => 'B',
            _ => '?',
        }
    }

    #[test]
    fn every_exif_orientation_comes_out_upright() {
        // Quadrant colours (top-left, top-right, bottom-left, bottom-right) as displayed, per EXIF 2.3.
        let expected = [
            (1, "RGBW"),
            (2, "GRWB"), // mirrored left-right
            (3, "WBGR"), // rotated 180°
            (4, "BWRG"), // mirrored top-bottom
            (5, "RBGW"), // transposed (mirrored along the main diagonal)
            (6, "BRWG"), // rotated 90° clockwise
            (7, "WGBR"), // transversed (mirrored along the other diagonal)
            (8, "GWRB"), // rotated 90° counter-clockwise
        ];
        for (orientation, quadrants) in expected {
            let d = decode(&with_exif_orientation(&quadrants_jpeg(), orientation), DecodeLimits::default())
                .unwrap();
            let rgb = d.image.to_rgb8();
            let (w, h) = rgb.dimensions();
            let expected_dims = if orientation >= 5 { (32, 48) } else { (48, 32) };
            assert_eq!((w, h), expected_dims, "orientation {orientation}");
            let seen: String =
                [(w / 4, h / 4), (3 * w / 4, h / 4), (w / 4, 3 * h / 4), (3 * w / 4, 3 * h / 4)]
                    .iter()
                    .map(|&(x, y)| colour(rgb.get_pixel(x, y)))
                    .collect();
            assert_eq!(seen, quadrants, "orientation {orientation}");
        }
    }

    #[test]
    fn heic_gets_its_own_message() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert_eq!(decode(&heic, DecodeLimits::default()).unwrap_err(), ImagingError::Heic);
        assert!(ImagingError::Heic.to_string().contains("HEIC"));
    }

    #[test]
    fn applies_exif_rotate_90() {
        let bytes = with_exif_orientation(&wide_jpeg(), 6);
        let d = decode(&bytes, DecodeLimits::default()).unwrap();
        assert_eq!((d.image.width(), d.image.height()), (20, 40));
        // Orientation 6 means "rotate 90° clockwise to display": the red left half ends up on top.
        let rgb = d.image.to_rgb8();
        let top = rgb.get_pixel(10, 5);
        let bottom = rgb.get_pixel(10, 35);
        assert!(top[0] > 200 && top[2] < 60, "top {top:?}");
        assert!(bottom[2] > 200 && bottom[0] < 60, "bottom {bottom:?}");
    }

    #[test]
    fn no_exif_keeps_orientation() {
        let d = decode(&wide_jpeg(), DecodeLimits::default()).unwrap();
        assert_eq!((d.image.width(), d.image.height()), (40, 20));
        assert_eq!(d.format, SourceFormat::Jpeg);
    }

    #[test]
    fn refuses_declared_megapixels_before_decoding() {
        let limits = DecodeLimits { max_pixels: 700, max_side: 16_384 };
        assert_eq!(
            decode(&wide_jpeg(), limits).unwrap_err(),
            ImagingError::TooLarge { width: 40, height: 20, max_megapixels: 0 }
        );
        // A real JPEG whose frame header is edited to declare 10000 × 5000 pixels (50 MP).
        let mut jpeg = wide_jpeg();
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline JPEG");
        jpeg[sof + 5..sof + 7].copy_from_slice(&5_000u16.to_be_bytes());
        jpeg[sof + 7..sof + 9].copy_from_slice(&10_000u16.to_be_bytes());
        assert_eq!(
            decode(&jpeg, DecodeLimits::default()).unwrap_err(),
            ImagingError::TooLarge { width: 10_000, height: 5_000, max_megapixels: 40 }
        );
        // A PNG whose header declares 100 000 × 100 000: too large, not "damaged", from the header alone.
        let png = huge_png_header(100_000, 100_000);
        let expected = ImagingError::TooLarge { width: 100_000, height: 100_000, max_megapixels: 40 };
        assert_eq!(probe(&png, DecodeLimits::default()).unwrap_err(), expected);
        assert_eq!(decode(&png, DecodeLimits::default()).unwrap_err(), expected);
    }

    /// A real PNG whose header is edited to declare `w` × `h` pixels (its CRC no longer matches, as a
    /// forger's wouldn't).
    fn huge_png_header(w: u32, h: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(RgbImage::new(4, 4));
        let mut png = encode(&image, OutputFormat::Png).unwrap().bytes;
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        png
    }

    #[test]
    fn refuses_non_images_and_damage() {
        assert_eq!(
            decode(b"%PDF-1.7 not an image", DecodeLimits::default()).unwrap_err(),
            ImagingError::UnsupportedFormat
        );
        assert_eq!(
            decode(b"GIF89a....", DecodeLimits::default()).unwrap_err(),
            ImagingError::UnsupportedFormat
        );
        let jpeg = wide_jpeg();
        let truncated = &jpeg[..jpeg.len() / 3];
        assert_eq!(decode(truncated, DecodeLimits::default()).unwrap_err(), ImagingError::Corrupt);
    }

    /// A photo as phones save them: an EXIF block holding a thumbnail (a whole JPEG, end marker included).
    fn photo_with_thumbnail() -> Vec<u8> {
        let img = RgbImage::from_fn(640, 480, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        });
        let main = encode(&DynamicImage::ImageRgb8(img), OutputFormat::Jpeg).unwrap().bytes;
        let thumb =
            encode(&DynamicImage::ImageRgb8(RgbImage::new(16, 12)), OutputFormat::Jpeg).unwrap().bytes;
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&thumb);
        let mut out = main[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&main[2..]);
        out
    }

    #[test]
    fn a_photo_cut_off_on_the_way_is_damaged_in_every_format() {
        let limits = DecodeLimits::default();
        let photo = photo_with_thumbnail();
        assert!(decode(&photo, limits).is_ok());
        // The first third: the header and the thumbnail's end marker are there, the image's end isn't.
        let third = &photo[..photo.len() / 3];
        assert_eq!(probe(third, limits).unwrap_err(), ImagingError::Corrupt);
        assert_eq!(decode(third, limits).unwrap_err(), ImagingError::Corrupt);
        // Bytes after the end (some cameras append data) are fine; only the last two bytes missing is not.
        let mut trailer = photo.clone();
        trailer.extend_from_slice(b"CAMERA-TRAILER");
        assert!(probe(&trailer, limits).is_ok());
        assert_eq!(probe(&photo[..photo.len() - 2], limits).unwrap_err(), ImagingError::Corrupt);
        let img =
            DynamicImage::ImageRgb8(RgbImage::from_fn(64, 64, |x, y| Rgb([x as u8 * 4, y as u8 * 4, 9])));
        for format in [OutputFormat::Png, OutputFormat::WebP] {
            let whole = encode(&img, format).unwrap().bytes;
            assert!(probe(&whole, limits).is_ok(), "{format:?}");
            let cut = &whole[..whole.len() * 2 / 3];
            assert_eq!(probe(cut, limits).unwrap_err(), ImagingError::Corrupt, "{format:?}");
            assert_eq!(decode(cut, limits).unwrap_err(), ImagingError::Corrupt, "{format:?}");
        }
    }
}
