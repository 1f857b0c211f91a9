//! Provenance: every image ViNano makes or edits says so in a machine-readable way (the EU AI Act, Art. 50),
//! with nothing personal in it: an XMP packet naming the IPTC digital source type and the tool, written into
//! the file after encoding (encoding itself writes no metadata). PNG gets an `iTXt` chunk, JPEG an `APP1`
//! segment, WebP an `XMP ` chunk (with the `VP8X` header that announces it).

use crate::OutputFormat;
use image::{ImageDecoder, ImageReader};
use std::io::Cursor;

/// Where an image came from, in the IPTC Digital Source Type vocabulary
/// (<https://cv.iptc.org/newscodes/digitalsourcetype/>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Made by a generative model from words (`trainedAlgorithmicMedia`).
    Generated,
    /// A photo with parts made or chosen by a trained model: a model provider's edit, a background removed
    /// with the segmentation model (`compositeWithTrainedAlgorithmicMedia`).
    ModelEdited,
    /// Made by an algorithm from words, without a trained model: a poster (`algorithmicMedia`).
    Algorithmic,
    /// A photo with an area filled in by an algorithm: object removal (`compositeSynthetic`).
    Filled,
    /// A photo changed by algorithms without changing what it shows: brightness, colour, crop
    /// (`algorithmicallyEnhanced`).
    Enhanced,
    /// Several pictures made into one without a trained model: a logo placed on a photo, photos side by
    /// side (`composite`).
    Composite,
}

const VOCABULARY: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/";

impl Source {
    /// The term's URI.
    pub fn uri(self) -> String {
        let term = match self {
            Source::Generated => "trainedAlgorithmicMedia",
            Source::ModelEdited => "compositeWithTrainedAlgorithmicMedia",
            Source::Algorithmic => "algorithmicMedia",
            Source::Filled => "compositeSynthetic",
            Source::Enhanced => "algorithmicallyEnhanced",
            Source::Composite => "composite",
        };
        format!("{VOCABULARY}{term}")
    }

    /// The source a URI names.
    pub fn from_uri(uri: &str) -> Option<Self> {
        [Source::Generated, Source::ModelEdited, Source::Algorithmic, Source::Filled, Source::Enhanced]
            .into_iter()
            .chain([Source::Composite])
            .find(|s| s.uri() == uri)
    }
}

/// The XMP packet: the digital source type and the tool, nothing else.
pub fn xmp(source: Source) -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\
<rdf:Description rdf:about=\"\" xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" \
xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" Iptc4xmpExt:DigitalSourceType=\"{}\" xmp:CreatorTool=\"ViNano\"/>\
</rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>",
        source.uri()
    )
}

/// `bytes` (as [`crate::encode`] wrote them, in `format`) with the provenance packet written in. Bytes that
/// aren't what the encoder writes are returned as they are.
pub fn mark(bytes: Vec<u8>, format: OutputFormat, source: Source) -> Vec<u8> {
    let packet = xmp(source);
    match format {
        OutputFormat::Png => png(bytes, &packet),
        OutputFormat::Jpeg => jpeg(bytes, &packet),
        OutputFormat::WebP => webp(bytes, &packet),
    }
}

/// The source an image file says it came from, if it carries ViNano's packet.
pub fn read(bytes: &[u8]) -> Option<Source> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().ok()?;
    let packet = reader.into_decoder().ok()?.xmp_metadata().ok()??;
    let text = String::from_utf8(packet).ok()?;
    let (_, rest) = text.split_once("Iptc4xmpExt:DigitalSourceType=\"")?;
    Source::from_uri(rest.split('"').next()?)
}

/// An `iTXt` chunk keyed `XML:com.adobe.xmp` (uncompressed, no language) right after `IHDR`.
fn png(bytes: Vec<u8>, packet: &str) -> Vec<u8> {
    // Signature (8), then IHDR: length (4), type (4), 13 bytes, CRC (4).
    const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    if bytes.len() < AFTER_IHDR || bytes.get(12..16) != Some(b"IHDR") {
        return bytes;
    }
    let mut data = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
    data.extend_from_slice(packet.as_bytes());
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut crc = crc32fast::Hasher::new();
    crc.update(b"iTXt");
    crc.update(&data);
    chunk.extend_from_slice(b"iTXt");
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(&crc.finalize().to_be_bytes());
    splice(bytes, AFTER_IHDR, &chunk)
}

/// An `APP1` segment with the XMP namespace, after `SOI` and the `APP0` (JFIF) segment if there is one.
fn jpeg(bytes: Vec<u8>, packet: &str) -> Vec<u8> {
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return bytes;
    }
    let mut at = 2;
    if bytes.get(2..4) == Some(&[0xFF, 0xE0]) {
        let Some(len) = bytes.get(4..6) else { return bytes };
        at += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
    }
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(packet.as_bytes());
    let Ok(len) = u16::try_from(payload.len() + 2) else { return bytes };
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&len.to_be_bytes());
    segment.extend_from_slice(&payload);
    splice(bytes, at, &segment)
}

/// An `XMP ` chunk at the end, announced in a `VP8X` header (made from the simple format's own header when
/// the file has none).
fn webp(bytes: Vec<u8>, packet: &str) -> Vec<u8> {
    if bytes.len() < 30 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return bytes;
    }
    const XMP_FLAG: u8 = 0x04;
    const ALPHA_FLAG: u8 = 0x10;
    let mut out = bytes[..12].to_vec();
    let first = &bytes[12..16];
    if first == b"VP8X" {
        out.extend_from_slice(&bytes[12..]);
        out[20] |= XMP_FLAG;
    } else {
        // The canvas size (and, for lossless, whether alpha is used) from the bitstream's header.
        let (width, height, alpha) = match first {
            b"VP8L" => {
                let bits = u32::from_le_bytes([bytes[21], bytes[22], bytes[23], bytes[24]]);
                ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, (bits >> 28) & 1 == 1)
            }
            b"VP8 " => {
                let dim = |at: usize| u32::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]) & 0x3FFF);
                (dim(26), dim(28), false)
            }
            _ => return bytes,
        };
        let mut vp8x = b"VP8X".to_vec();
        vp8x.extend_from_slice(&10u32.to_le_bytes());
        vp8x.extend_from_slice(&[XMP_FLAG | if alpha { ALPHA_FLAG } else { 0 }, 0, 0, 0]);
        vp8x.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        vp8x.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        out.extend_from_slice(&vp8x);
        out.extend_from_slice(&bytes[12..]);
    }
    out.extend_from_slice(b"XMP ");
    out.extend_from_slice(&(packet.len() as u32).to_le_bytes());
    out.extend_from_slice(packet.as_bytes());
    if packet.len() % 2 == 1 {
        out.push(0);
    }
    let riff = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&riff.to_le_bytes());
    out
}

fn splice(bytes: Vec<u8>, at: usize, insert: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + insert.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(insert);
    out.extend_from_slice(&bytes[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};

    #[test]
    fn every_format_carries_the_source_and_still_decodes_to_the_same_pixels() {
        let opaque =
            DynamicImage::ImageRgb8(RgbImage::from_fn(37, 21, |x, y| Rgb([x as u8 * 6, y as u8 * 11, 90])));
        let clear =
            DynamicImage::ImageRgba8(RgbaImage::from_fn(37, 21, |x, _| Rgba([200, 40, 9, x as u8 * 6])));
        let cases = [
            (&opaque, OutputFormat::Jpeg, Source::Enhanced),
            (&opaque, OutputFormat::Png, Source::Generated),
            (&clear, OutputFormat::Png, Source::ModelEdited),
            (&opaque, OutputFormat::WebP, Source::Filled),
            (&clear, OutputFormat::WebP, Source::Algorithmic),
        ];
        for (image, format, source) in cases {
            let plain = crate::encode(image, format).unwrap().bytes;
            assert_eq!(read(&plain), None, "{format:?}: nothing before");
            let marked = mark(plain.clone(), format, source);
            assert_eq!(read(&marked), Some(source), "{format:?}");
            let (a, b) = (
                image::load_from_memory(&plain).unwrap().to_rgba8(),
                image::load_from_memory(&marked).unwrap().to_rgba8(),
            );
            assert_eq!(a, b, "{format:?}: the pixels are the same");
            let text = String::from_utf8_lossy(&marked).to_string();
            assert!(text.contains("xmp:CreatorTool=\"ViNano\""), "{format:?}");
        }
    }

    #[test]
    fn bytes_that_are_not_the_encoders_are_left_alone() {
        for format in [OutputFormat::Png, OutputFormat::Jpeg, OutputFormat::WebP] {
            assert_eq!(mark(b"not an image".to_vec(), format, Source::Generated), b"not an image");
        }
    }
}
