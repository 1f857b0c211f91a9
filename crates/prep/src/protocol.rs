//! The messages between the page and the image-prep worker.
//!
//! Request: `{ id, file: Blob, maxSide (0 = full resolution), decoder, encoder }`, the last two
//! `"auto" | "browser" | "wasm"`.
//! Reply: `{ id, ok: true, bytes: Uint8Array, type, width, height, sourceWidth, sourceHeight, decoder,
//! encoder, decodeMs, resizeMs, encodeMs }` or `{ id, ok: false, error: kind, width?, height?, maxMegapixels? }`.
//! The worker first posts `{ ready: true }` once it can take requests.
//!
//! The social media resizer asks for sizes instead: `{ id, file, sizes: [[width, height], …], focus: [x, y]
//! (0..=1) }`, answered `{ id, ok: true, files: [Uint8Array, …] (JPEGs, in the order asked), type }` or the
//! same failure as above.

use crate::get;
use wasm_bindgen::JsValue;

/// Field names.
pub const ID: &str = "id";
/// The photo, as a `Blob` or `File`.
pub const FILE: &str = "file";
/// Longest side; 0 keeps full resolution.
pub const MAX_SIDE: &str = "maxSide";
/// Which decoder to use.
pub const DECODER: &str = "decoder";
/// Which encoder to use.
pub const ENCODER: &str = "encoder";
/// The sizes to cut the photo to (the resizer's request): an array of `[width, height]`.
pub const SIZES: &str = "sizes";
/// The point each size is cut around: `[x, y]`, fractions of the upright photo's width and height.
pub const FOCUS: &str = "focus";
/// The cut sizes' JPEG bytes, in the order asked.
pub const FILES: &str = "files";
/// The most sizes one request may ask for.
pub const MAX_SIZES: usize = 12;
/// The longest side a size may have.
pub const MAX_SIZE_SIDE: u32 = 4096;
/// Sent once by the worker when it has started.
pub const READY: &str = "ready";
/// `true` on success.
pub const OK: &str = "ok";
/// The prepared file's bytes.
pub const BYTES: &str = "bytes";
/// The prepared file's MIME type.
pub const TYPE: &str = "type";
/// Why it failed: a [`PrepErrorKind`] name.
pub const ERROR: &str = "error";

/// Whose code decodes the file, or encodes the result.
///
/// `Auto` picks what measured fastest (BENCHMARKS.md): WebCodecs for JPEG where the browser has it,
/// ViNano's WASM decoder for JPEG elsewhere and for PNG and WebP, the browser's `createImageBitmap` for
/// anything else it can read (HEIC on Safari); the browser's native JPEG encoder when the worker has
/// `OffscreenCanvas`, ViNano's otherwise. No encoder writes metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// The fastest that can do the job.
    Auto,
    /// The browser's (`createImageBitmap`, `OffscreenCanvas.convertToBlob`).
    Browser,
    /// ViNano's, in WASM (`vinano-imaging`).
    Wasm,
    /// WebCodecs' `ImageDecoder` (decoding only): planar YUV straight from the browser's JPEG decoder.
    WebCodecs,
}

impl Codec {
    /// The protocol name.
    pub fn as_str(self) -> &'static str {
        match self {
            Codec::Auto => "auto",
            Codec::Browser => "browser",
            Codec::Wasm => "wasm",
            Codec::WebCodecs => "webcodecs",
        }
    }

    /// Parses a protocol name (unknown names mean `Auto`).
    pub fn parse(name: &str) -> Self {
        match name {
            "browser" => Codec::Browser,
            "wasm" => Codec::Wasm,
            "webcodecs" => Codec::WebCodecs,
            _ => Codec::Auto,
        }
    }
}

/// Why a photo could not be prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepErrorKind {
    /// HEIC/HEIF that this browser cannot decode.
    Heic,
    /// Not an image we can read.
    Unsupported,
    /// Over the pixel limit.
    TooLarge,
    /// Damaged file.
    Corrupt,
    /// The worker could not start or crashed.
    Worker,
}

impl PrepErrorKind {
    /// The protocol name.
    pub fn as_str(self) -> &'static str {
        match self {
            PrepErrorKind::Heic => "heic",
            PrepErrorKind::Unsupported => "unsupported",
            PrepErrorKind::TooLarge => "too_large",
            PrepErrorKind::Corrupt => "corrupt",
            PrepErrorKind::Worker => "worker",
        }
    }

    fn parse(name: &str) -> Self {
        match name {
            "heic" => PrepErrorKind::Heic,
            "unsupported" => PrepErrorKind::Unsupported,
            "too_large" => PrepErrorKind::TooLarge,
            "corrupt" => PrepErrorKind::Corrupt,
            _ => PrepErrorKind::Worker,
        }
    }

    /// The i18n key of the message shown on the attachment.
    pub fn i18n_key(self) -> &'static str {
        match self {
            PrepErrorKind::Heic => "prep-heic",
            PrepErrorKind::Unsupported => "prep-unsupported",
            PrepErrorKind::TooLarge => "error-image-too-large",
            PrepErrorKind::Corrupt => "error-image-damaged",
            PrepErrorKind::Worker => "prep-worker",
        }
    }
}

/// A failed preparation, with the numbers its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepError {
    /// What went wrong.
    pub kind: PrepErrorKind,
    /// Size of the refused image (for `TooLarge`).
    pub width: u32,
    /// Size of the refused image (for `TooLarge`).
    pub height: u32,
    /// The limit (for `TooLarge`).
    pub max_megapixels: u32,
}

impl PrepError {
    /// An error without numbers.
    pub fn new(kind: PrepErrorKind) -> Self {
        Self { kind, width: 0, height: 0, max_megapixels: 0 }
    }

    /// The worker could not start, crashed, or answered something unreadable.
    pub fn worker_failed() -> Self {
        Self::new(PrepErrorKind::Worker)
    }
}

impl From<vinano_imaging::ImagingError> for PrepError {
    fn from(e: vinano_imaging::ImagingError) -> Self {
        use vinano_imaging::ImagingError as E;
        match e {
            E::Heic => Self::new(PrepErrorKind::Heic),
            E::UnsupportedFormat => Self::new(PrepErrorKind::Unsupported),
            E::TooLarge { width, height, max_megapixels } => {
                Self { kind: PrepErrorKind::TooLarge, width, height, max_megapixels }
            }
            E::Corrupt => Self::new(PrepErrorKind::Corrupt),
            E::Encode => Self::new(PrepErrorKind::Worker),
        }
    }
}

/// The scalar part of a successful reply: what the worker made and how.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepInfo {
    /// `image/jpeg` or `image/webp`.
    pub content_type: String,
    /// Size of the prepared image.
    pub width: u32,
    /// Size of the prepared image.
    pub height: u32,
    /// Size of the upright original.
    pub source_width: u32,
    /// Size of the upright original.
    pub source_height: u32,
    /// Which decoder ran.
    pub decoder: Codec,
    /// Which encoder ran.
    pub encoder: Codec,
    /// Milliseconds spent decoding, resizing and encoding.
    pub timings: [f64; 3],
}

fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key).as_f64().unwrap_or(0.0)
}

/// What the page reads from the worker's reply: the prepared photo's description, or why it failed.
pub fn read_reply(reply: &JsValue) -> Result<PrepInfo, PrepError> {
    if !get(reply, OK).is_truthy() {
        let kind = PrepErrorKind::parse(&get(reply, ERROR).as_string().unwrap_or_default());
        return Err(PrepError {
            kind,
            width: number(reply, "width") as u32,
            height: number(reply, "height") as u32,
            max_megapixels: number(reply, "maxMegapixels") as u32,
        });
    }
    Ok(PrepInfo {
        content_type: get(reply, TYPE).as_string().unwrap_or_default(),
        width: number(reply, "width") as u32,
        height: number(reply, "height") as u32,
        source_width: number(reply, "sourceWidth") as u32,
        source_height: number(reply, "sourceHeight") as u32,
        decoder: Codec::parse(&get(reply, DECODER).as_string().unwrap_or_default()),
        encoder: Codec::parse(&get(reply, ENCODER).as_string().unwrap_or_default()),
        timings: [number(reply, "decodeMs"), number(reply, "resizeMs"), number(reply, "encodeMs")],
    })
}
