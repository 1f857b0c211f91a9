//! Video jobs' clips: the frames of a camera movement over the edited image (`vinano_imaging::motion`),
//! encoded one at a time as H.264 in an MP4 file ([`mp4`]), which every browser and phone plays inline, at
//! up to 1080 px and 24 frames a second.

pub mod mp4;

use image::{DynamicImage, GrayImage};
use vinano_engine::Motion;
use vinano_imaging::motion::{self, Motion as Movement};

/// Frames per second of a clip.
pub const FPS: u32 = vinano_engine::CLIP_FPS;
/// Long side of a clip in pixels.
pub const SIZE: u32 = vinano_engine::CLIP_SIZE;

/// An encoded clip.
pub struct Clip {
    /// MP4 bytes.
    pub bytes: Vec<u8>,
    /// Frame size.
    pub width: u32,
    /// Frame size.
    pub height: u32,
    /// Its first frame, for the still previews a grid of pictures shows.
    pub first: image::RgbaImage,
}

/// Renders and encodes a clip of `seconds` seconds at most `long_side` pixels on its long side, in `shape`
/// (width, height) when given; `other` is where a crossfade ends, `matte` the subject a parallax moves in
/// front.
pub fn render(
    image: &DynamicImage,
    other: Option<&DynamicImage>,
    matte: Option<&GrayImage>,
    kind: Motion,
    (seconds, long_side, shape): (u32, u32, Option<(u32, u32)>),
) -> anyhow::Result<Clip> {
    let movement = match kind {
        Motion::ZoomIn => Movement::ZoomIn,
        Motion::ZoomOut => Movement::ZoomOut,
        Motion::Pan => Movement::Pan,
        Motion::Crossfade => Movement::Crossfade,
        Motion::Parallax => Movement::Parallax,
    };
    // A crossfade runs from the earlier version to this one.
    let (from, to) = match (kind, other) {
        (Motion::Crossfade, Some(earlier)) => (earlier, Some(image)),
        _ => (image, other),
    };
    let count = seconds.clamp(1, 10) * FPS;
    let (w, h) = motion::frame_size(from.width(), from.height(), movement, long_side, shape);
    let mut encoder = mp4::Mp4Encoder::new(w, h, FPS)?;
    let (mut failed, mut first) = (None, None);
    motion::render(from, to, matte, movement, (count, long_side, shape), |frame| {
        first.get_or_insert_with(|| frame.clone());
        encoder.push(frame).map_err(|e| {
            failed = Some(e);
            vinano_imaging::ImagingError::Encode
        })
    })
    .map_err(|e| failed.take().unwrap_or_else(|| anyhow::anyhow!("{e}")))?;
    let first = first.ok_or_else(|| anyhow::anyhow!("a clip without frames"))?;
    Ok(Clip { bytes: encoder.finish()?, width: w, height: h, first })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clip_is_an_mp4_with_every_frame_at_24_per_second() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(800, 600, |x, y| {
            image::Rgb([(x / 4) as u8, (y / 3) as u8, 160])
        }));
        let clip = render(&img, None, None, Motion::ZoomIn, (2, 320, None)).unwrap();
        assert_eq!((clip.width, clip.height), (320, 240));
        let size = clip.bytes.len() as u64;
        let mp4 = ::mp4::Mp4Reader::read_header(std::io::Cursor::new(&clip.bytes), size).unwrap();
        assert_eq!(mp4.duration(), std::time::Duration::from_secs(2));
        let track = mp4.tracks().values().next().unwrap();
        assert_eq!((track.width(), track.height()), (320, 240));
        // 48 frame times; a frame the encoder skipped (nothing changed enough) lengthens the one before.
        assert!((40..=48).contains(&track.sample_count()), "{}", track.sample_count());
        assert_eq!(track.media_type().unwrap(), ::mp4::MediaType::H264);
        assert!(
            render(&img, None, None, Motion::Crossfade, (1, 320, None)).is_err(),
            "a crossfade needs two versions"
        );
        assert!(
            render(&img, None, None, Motion::Parallax, (1, 320, None)).is_err(),
            "a parallax needs the subject"
        );
    }
}
