//! Video jobs' clips: the frames of a camera movement over the edited image, encoded as a looping
//! animated GIF (which every browser plays inline).

use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, DynamicImage, Frame};
use vinano_engine::Motion;
use vinano_imaging::motion::{self, Motion as Movement};

/// Frames per second of a clip.
pub const FPS: u32 = vinano_engine::CLIP_FPS;
/// Long side of a clip in pixels.
pub const SIZE: u32 = vinano_engine::CLIP_SIZE;

/// An encoded clip.
pub struct Clip {
    /// GIF bytes.
    pub bytes: Vec<u8>,
    /// Frame size.
    pub width: u32,
    /// Frame size.
    pub height: u32,
}

/// Renders and encodes a clip of `seconds` seconds; `other` is where a crossfade ends.
pub fn render(
    image: &DynamicImage,
    other: Option<&DynamicImage>,
    kind: Motion,
    seconds: u32,
) -> anyhow::Result<Clip> {
    let movement = match kind {
        Motion::ZoomIn => Movement::ZoomIn,
        Motion::ZoomOut => Movement::ZoomOut,
        Motion::Pan => Movement::Pan,
        Motion::Crossfade => Movement::Crossfade,
    };
    // A crossfade runs from the earlier version to this one.
    let (from, to) = match (kind, other) {
        (Motion::Crossfade, Some(earlier)) => (earlier, Some(image)),
        _ => (image, other),
    };
    let frames = motion::frames(from, to, movement, seconds.clamp(1, 10) * FPS, SIZE)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (width, height) = frames.first().map(|f| f.dimensions()).unwrap_or((1, 1));
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut bytes, 20);
        encoder.set_repeat(Repeat::Infinite)?;
        let delay = Delay::from_numer_denom_ms(1000, FPS);
        encoder.encode_frames(frames.into_iter().map(|f| Frame::from_parts(f, 0, 0, delay)))?;
    }
    Ok(Clip { bytes, width, height })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::AnimationDecoder;

    #[test]
    fn a_clip_is_a_looping_gif_with_the_right_number_of_frames() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(800, 600, |x, _| {
            image::Rgb([(x / 4) as u8, 90, 160])
        }));
        let clip = render(&img, None, Motion::ZoomIn, 2).unwrap();
        assert_eq!((clip.width, clip.height), (480, 360));
        let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(&clip.bytes)).unwrap();
        let frames = decoder.into_frames().collect_frames().unwrap();
        assert_eq!(frames.len(), 20);
        assert_eq!(frames[0].delay().numer_denom_ms(), (100, 1));
        assert!(clip.bytes.windows(11).any(|w| w == b"NETSCAPE2.0"), "loops forever");
        assert!(render(&img, None, Motion::Crossfade, 1).is_err(), "a crossfade needs two versions");
    }
}
