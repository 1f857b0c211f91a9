//! H.264 in MP4: frames encoded by OpenH264 (compiled from its source by the `openh264` crate; Constrained
//! Baseline, which every browser and phone plays) and written as an MP4 file (`mp4` crate). The file is
//! made in memory: a 10 s clip at 1080 px is a few megabytes.

use image::RgbaImage;
use openh264::encoder::{
    BitRate, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, RateControlMode,
};
use openh264::formats::{RgbaSliceU8, YUVBuffer};
use openh264::OpenH264API;

/// Bits per pixel per frame the encoder aims at: 0.12 keeps slow camera movements over photos sharp (a
/// 1080 × 720 clip at 24 fps is about 2.2 Mbit/s).
const BITS_PER_PIXEL: f64 = 0.12;

/// Writes frames of one size as an H.264 video in an MP4 file.
pub struct Mp4Encoder {
    encoder: Encoder,
    yuv: YUVBuffer,
    width: u32,
    height: u32,
    fps: u32,
    sps: Option<Vec<u8>>,
    pps: Option<Vec<u8>>,
    /// Each frame's NAL units, length-prefixed (as MP4 holds them), whether it is a key frame, and how many
    /// frame times it shows for (a frame the encoder skipped lengthens the one before).
    samples: Vec<(Vec<u8>, bool, u32)>,
}

impl Mp4Encoder {
    /// An encoder of `width` × `height` frames (both even) at `fps`.
    pub fn new(width: u32, height: u32, fps: u32) -> anyhow::Result<Self> {
        let even = width.is_multiple_of(2) && height.is_multiple_of(2);
        anyhow::ensure!(
            even && width >= 16 && height >= 16,
            "a frame size H.264 can't take: {width} × {height}"
        );
        let bitrate = (f64::from(width) * f64::from(height) * f64::from(fps) * BITS_PER_PIXEL) as u32;
        let config = EncoderConfig::new()
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            .bitrate(BitRate::from_bps(bitrate))
            .rate_control_mode(RateControlMode::Quality)
            .skip_frames(true)
            // A key frame every two seconds: a player can seek, and a lost start costs little.
            .intra_frame_period(IntraFramePeriod::from_num_frames(fps * 2));
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config)
            .map_err(|e| anyhow::anyhow!("the H.264 encoder did not start: {e}"))?;
        Ok(Self {
            encoder,
            yuv: YUVBuffer::new(width as usize, height as usize),
            width,
            height,
            fps,
            sps: None,
            pps: None,
            samples: Vec::new(),
        })
    }

    /// Encodes the next frame (of the encoder's size).
    pub fn push(&mut self, frame: &RgbaImage) -> anyhow::Result<()> {
        anyhow::ensure!(frame.dimensions() == (self.width, self.height), "a frame of another size");
        self.yuv.read_rgba8(RgbaSliceU8::new(frame.as_raw(), (self.width as usize, self.height as usize)));
        let encoded =
            self.encoder.encode(&self.yuv).map_err(|e| anyhow::anyhow!("H.264 encoding failed: {e}"))?;
        if matches!(encoded.frame_type(), FrameType::Skip | FrameType::Invalid) {
            match self.samples.last_mut() {
                Some(last) => last.2 += 1,
                None => anyhow::bail!("the encoder skipped the first frame"),
            }
            return Ok(());
        }
        let mut sample = Vec::new();
        let mut key = false;
        for nal in nal_units(&encoded.to_vec()) {
            match nal.first().map(|b| b & 0x1f) {
                Some(7) => self.sps = Some(nal.to_vec()),
                Some(8) => self.pps = Some(nal.to_vec()),
                Some(kind) => {
                    key |= kind == 5;
                    sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                    sample.extend_from_slice(nal);
                }
                None => {}
            }
        }
        self.samples.push((sample, key, 1));
        Ok(())
    }

    /// The MP4 file.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        let (Some(sps), Some(pps)) = (self.sps, self.pps) else {
            anyhow::bail!("the encoder wrote no parameter sets")
        };
        let brand = |b: &str| b.parse::<mp4::FourCC>().map_err(|e| anyhow::anyhow!("{e}"));
        let config = mp4::Mp4Config {
            major_brand: brand("isom")?,
            minor_version: 512,
            compatible_brands: vec![brand("isom")?, brand("iso2")?, brand("avc1")?, brand("mp41")?],
            // Whole frame times in the movie's clock too (the writer adds each sample's length to it,
            // rounded down: at 1000 a second, 24 frames would make 984 ms).
            timescale: self.fps * 1000,
        };
        let mut writer = mp4::Mp4Writer::write_start(std::io::Cursor::new(Vec::new()), &config)?;
        writer.add_track(&mp4::TrackConfig {
            track_type: mp4::TrackType::Video,
            timescale: self.fps,
            language: "und".into(),
            media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
                width: u16::try_from(self.width)?,
                height: u16::try_from(self.height)?,
                seq_param_set: sps,
                pic_param_set: pps,
            }),
        })?;
        let mut at = 0u64;
        for (bytes, key, frames) in self.samples {
            let sample = mp4::Mp4Sample {
                start_time: at,
                duration: frames,
                rendering_offset: 0,
                is_sync: key,
                bytes: bytes.into(),
            };
            writer.write_sample(1, &sample)?;
            at += u64::from(frames);
        }
        writer.write_end()?;
        Ok(writer.into_writer().into_inner())
    }
}

/// The NAL units of an Annex B byte stream (each after its `00 00 01` or `00 00 00 01` start code).
fn nal_units(stream: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= stream.len() {
        if stream[i..i + 3] == [0, 0, 1] {
            starts.push((i, i + 3));
            i += 3;
        } else {
            i += 1;
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &(_, from))| {
            let to = starts.get(n + 1).map_or(stream.len(), |&(code, _)| code);
            // A four-byte start code's leading zero belongs to it, not to the unit before.
            let to = if to > from && to < stream.len() && stream[to - 1] == 0 { to - 1 } else { to };
            &stream[from..to]
        })
        .collect()
}
