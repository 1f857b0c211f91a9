//! Reading the MP4 clips the server makes, as a player would: its length, and every frame decoded (by
//! OpenH264's decoder) to pixels.

use openh264::formats::YUVSource;

/// A clip: its frames as RGB, its length and its frame size.
pub struct Clip {
    /// Every frame, in order.
    pub frames: Vec<image::RgbImage>,
    /// How long it plays.
    pub duration: std::time::Duration,
    /// Frames a second, from the track.
    pub fps: f64,
}

/// Decodes an MP4 file with one H.264 track.
pub fn decode(bytes: &[u8]) -> Clip {
    let mut reader = mp4::Mp4Reader::read_header(std::io::Cursor::new(bytes), bytes.len() as u64).unwrap();
    let duration = reader.duration();
    let (id, sps, pps, fps) = {
        let (id, track) = reader.tracks().iter().next().unwrap();
        assert_eq!(track.media_type().unwrap(), mp4::MediaType::H264);
        let sps = track.sequence_parameter_set().unwrap().to_vec();
        let pps = track.picture_parameter_set().unwrap().to_vec();
        (*id, sps, pps, track.frame_rate())
    };
    let mut decoder = openh264::decoder::Decoder::new().unwrap();
    let mut frames = Vec::new();
    let start = |nal: &[u8]| [&[0u8, 0, 0, 1][..], nal].concat();
    let mut packet = [start(&sps), start(&pps)].concat();
    for n in 1..=reader.sample_count(id).unwrap() {
        let sample = reader.read_sample(id, n).unwrap().unwrap();
        // Length-prefixed units, as MP4 holds them, back to a byte stream.
        let mut at = 0;
        while at + 4 <= sample.bytes.len() {
            let len = u32::from_be_bytes(sample.bytes[at..at + 4].try_into().unwrap()) as usize;
            packet.extend_from_slice(&start(&sample.bytes[at + 4..at + 4 + len]));
            at += 4 + len;
        }
        if let Some(yuv) = decoder.decode(&packet).unwrap() {
            let (w, h) = yuv.dimensions();
            let mut rgb = vec![0; w * h * 3];
            yuv.write_rgb8(&mut rgb);
            frames.push(image::RgbImage::from_raw(w as u32, h as u32, rgb).unwrap());
        }
        packet.clear();
    }
    Clip { frames, duration, fps }
}
