//! The worker's side: answers each request with a prepared photo or a reason it could not be prepared.

use crate::protocol::{self, Codec, PrepError, PrepErrorKind};
use crate::{get, set};
use js_sys::{Array, Object, Reflect, Uint8Array};
use vinano_imaging::prep::{self, PrepOptions};
use vinano_imaging::{DynamicImage, ImagingError, OutputFormat};
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DedicatedWorkerGlobalScope, ImageBitmap, ImageBitmapOptions, ImageData, ImageEncodeOptions,
    ImageOrientation, MessageEvent, OffscreenCanvas, OffscreenCanvasRenderingContext2d, PremultiplyAlpha,
};

/// Starts listening for requests and tells the page it is ready. Called by the worker binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let scope = reply_scope.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let (reply, transfer) = answer(&scope, &event.data()).await;
            // The encoded bytes move to the page without a copy.
            let _ = scope.post_message_with_transfer(&reply, &transfer);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = Object::new();
    set(&ready, protocol::READY, &true.into());
    let _ = scope.post_message(&ready);
}

/// The reply to one request, and the buffers to transfer with it.
pub async fn answer(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> (Object, Array) {
    let reply = Object::new();
    set(&reply, protocol::ID, &get(request, protocol::ID));
    if !get(request, protocol::SIZES).is_undefined() {
        let transfer = crate::sizes::answer(scope, request, &reply).await;
        return (reply, transfer);
    }
    let transfer = Array::new();
    match prepare(scope, request).await {
        Ok(done) => {
            set(&reply, protocol::OK, &true.into());
            let bytes = Uint8Array::from(&done.bytes[..]);
            transfer.push(&bytes.buffer());
            set(&reply, protocol::BYTES, &bytes);
            set(&reply, protocol::TYPE, &done.content_type.into());
            set(&reply, "width", &done.width.into());
            set(&reply, "height", &done.height.into());
            set(&reply, "sourceWidth", &done.source_width.into());
            set(&reply, "sourceHeight", &done.source_height.into());
            set(&reply, protocol::DECODER, &done.decoder.as_str().into());
            set(&reply, protocol::ENCODER, &done.encoder.as_str().into());
            set(&reply, "decodeMs", &done.timings[0].into());
            set(&reply, "resizeMs", &done.timings[1].into());
            set(&reply, "encodeMs", &done.timings[2].into());
        }
        Err(e) => say_error(&reply, &e),
    }
    (reply, transfer)
}

/// Writes a failure into `reply`: its kind and the numbers its message needs.
pub(crate) fn say_error(reply: &Object, e: &PrepError) {
    set(reply, protocol::OK, &false.into());
    set(reply, protocol::ERROR, &e.kind.as_str().into());
    set(reply, "width", &e.width.into());
    set(reply, "height", &e.height.into());
    set(reply, "maxMegapixels", &e.max_megapixels.into());
}

struct Done {
    bytes: Vec<u8>,
    content_type: &'static str,
    width: u32,
    height: u32,
    source_width: u32,
    source_height: u32,
    decoder: Codec,
    encoder: Codec,
    timings: [f64; 3],
}

async fn prepare(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> Result<Done, PrepError> {
    let file: Blob =
        get(request, protocol::FILE).dyn_into().map_err(|_| PrepError::new(PrepErrorKind::Corrupt))?;
    let max_side = get(request, protocol::MAX_SIDE).as_f64().filter(|&m| m >= 1.0).map(|m| m as u32);
    let decoder = Codec::parse(&get(request, protocol::DECODER).as_string().unwrap_or_default());
    let encoder = Codec::parse(&get(request, protocol::ENCODER).as_string().unwrap_or_default());
    let options = PrepOptions { max_side, ..PrepOptions::default() };
    let clock = scope.performance();
    let now = || clock.as_ref().map_or(0.0, web_sys::Performance::now);

    let started = now();
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| PrepError::new(PrepErrorKind::Corrupt))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    if bytes.is_empty() {
        return Err(PrepError::new(PrepErrorKind::Corrupt));
    }
    // The header first: a pixel flood is refused before any decoder allocates for it.
    let probed = vinano_imaging::probe(&bytes, options.limits);
    if let Err(e @ (ImagingError::TooLarge { .. } | ImagingError::Corrupt)) = probed {
        return Err(e.into());
    }

    // Decode to upright pixels and downscale (BENCHMARKS.md has the figures behind the choice).
    let is_jpeg = matches!(probed, Ok((vinano_imaging::SourceFormat::Jpeg, _, _)));
    if is_jpeg && matches!(decoder, Codec::Auto | Codec::WebCodecs) {
        if let Some(planes) = webcodecs_planes(&Uint8Array::new(&buffer)).await {
            let decoded = now();
            let yuv = planes.yuv().ok_or(PrepError::new(PrepErrorKind::Corrupt))?;
            let yuv_size = (yuv.width, yuv.height);
            let mut resized = prep::downscale_yuv(&yuv, options)?;
            drop(planes);
            // WebCodecs hands out pixels as stored: turn them upright as the EXIF header says.
            use vinano_imaging::exif::Orientation;
            let orientation = vinano_imaging::exif_orientation(&bytes);
            resized.apply_orientation(orientation);
            let stored = (yuv_size.0, yuv_size.1);
            let quarter_turn = matches!(
                orientation,
                Orientation::Rotate90
                    | Orientation::Rotate270
                    | Orientation::Rotate90FlipH
                    | Orientation::Rotate270FlipH
            );
            let source = if quarter_turn { (stored.1, stored.0) } else { stored };
            // And as stored means in the file's colour space: a Display P3 photo becomes sRGB before its
            // profile is dropped (the other decoders do this themselves).
            if let Some(profile) = vinano_imaging::colour::icc_profile(&bytes) {
                vinano_imaging::colour::to_srgb(&mut resized, &profile);
            }
            let downscaled = now();
            // JPEG has no transparency: the RGBA buffer is opaque by construction.
            let pixels = Pixels { image: resized, opaque: true, source };
            return encode(pixels, Codec::WebCodecs, encoder, options, [started, decoded, downscaled], now)
                .await;
        }
        if decoder == Codec::WebCodecs {
            return Err(PrepError::new(PrepErrorKind::Worker));
        }
    }
    let use_browser = match decoder {
        Codec::Browser => true,
        Codec::Wasm | Codec::WebCodecs => false,
        Codec::Auto => probed.is_err(),
    };
    let (resized, source, used_decoder, decoded) = if use_browser {
        let (rgba, width, height) = browser_pixels(scope, &file)
            .await
            .map_err(|_| probed.err().map_or(PrepError::new(PrepErrorKind::Corrupt), Into::into))?;
        let decoded = now();
        (prep::downscale_rgba(rgba, width, height, options)?, (width, height), Codec::Browser, decoded)
    } else {
        probed?;
        let upright = vinano_imaging::decode(&bytes, options.limits)?.image;
        let decoded = now();
        let source = (upright.width(), upright.height());
        let (w, h) = prep::fit(source.0, source.1, options.max_side);
        (prep::resize_exact(&upright, w, h)?, source, Codec::Wasm, decoded)
    };
    drop(bytes);
    let downscaled = now();
    let pixels = Pixels { opaque: !resized.color().has_alpha(), image: resized, source };
    encode(pixels, used_decoder, encoder, options, [started, decoded, downscaled], now).await
}

/// Encodes from pixels, so nothing of the original file (EXIF, GPS, XMP, ICC) survives.
async fn encode(
    pixels: Pixels,
    used_decoder: Codec,
    encoder: Codec,
    options: PrepOptions,
    [started, decoded, downscaled]: [f64; 3],
    now: impl Fn() -> f64,
) -> Result<Done, PrepError> {
    let Pixels { image: resized, opaque, source } = pixels;
    let native = if opaque && encoder != Codec::Wasm {
        native_jpeg(&resized, options.jpeg_quality).await
    } else {
        None
    };
    let (bytes, content_type, used_encoder) = match native {
        Some(jpeg) => (jpeg, "image/jpeg", Codec::Browser),
        None => {
            let format = if opaque { OutputFormat::Jpeg } else { OutputFormat::WebP };
            let p = prep::finish_as(&resized, format, source.0, source.1, options)?;
            (p.encoded.bytes, p.encoded.format.mime(), Codec::Wasm)
        }
    };
    Ok(Done {
        bytes,
        content_type,
        width: resized.width(),
        height: resized.height(),
        source_width: source.0,
        source_height: source.1,
        decoder: used_decoder,
        encoder: used_encoder,
        timings: [decoded - started, downscaled - decoded, now() - downscaled],
    })
}

/// Downscaled, upright pixels on their way to the encoder.
struct Pixels {
    image: DynamicImage,
    /// No transparency (JPEG), even if the buffer has an alpha channel.
    opaque: bool,
    /// Size of the upright original.
    source: (u32, u32),
}

/// JPEG from the browser's native encoder (which, like ours, writes no metadata); `None` where the worker
/// has no `OffscreenCanvas` encoder, and ours is used instead.
pub(crate) async fn native_jpeg(image: &DynamicImage, quality: u8) -> Option<Vec<u8>> {
    let (width, height) = (image.width(), image.height());
    let converted;
    let rgba = match image {
        DynamicImage::ImageRgba8(rgba) => rgba,
        other => {
            converted = other.to_rgba8();
            &converted
        }
    };
    let data = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba.as_raw()), width, height).ok()?;
    let canvas = OffscreenCanvas::new(width, height).ok()?;
    let context: OffscreenCanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context.put_image_data(&data, 0.0, 0.0).ok()?;
    let options = ImageEncodeOptions::new();
    options.set_type("image/jpeg");
    options.set_quality(f64::from(quality) / 100.0);
    let blob: Blob =
        JsFuture::from(canvas.convert_to_blob_with_options(&options).ok()?).await.ok()?.dyn_into().ok()?;
    // A browser that can't write JPEG falls back to PNG: not what was asked for.
    if blob.type_() != "image/jpeg" {
        return None;
    }
    let buffer = JsFuture::from(blob.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// Decodes with the browser's own codecs, EXIF orientation applied, as straight (not premultiplied) RGBA.
pub(crate) async fn browser_pixels(
    scope: &DedicatedWorkerGlobalScope,
    file: &Blob,
) -> Result<(Vec<u8>, u32, u32), JsValue> {
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    options.set_premultiply_alpha(PremultiplyAlpha::None);
    let bitmap: ImageBitmap =
        JsFuture::from(scope.create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)?)
            .await?
            .dyn_into()?;
    let (width, height) = (bitmap.width(), bitmap.height());
    if vinano_imaging::check_dimensions(width, height, PrepOptions::default().limits).is_err() {
        bitmap.close();
        return Err(JsValue::from_str("too large"));
    }
    let canvas = OffscreenCanvas::new(width, height)?;
    let context: OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("no 2d context"))?.dyn_into()?;
    context.draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)?;
    bitmap.close();
    let data = context.get_image_data(0.0, 0.0, f64::from(width), f64::from(height))?;
    Ok((data.data().0, width, height))
}

/// Planar pixels copied out of a WebCodecs `VideoFrame`.
struct Planes {
    data: Vec<u8>,
    width: u32,
    height: u32,
    chroma_shift: (u32, u32),
    full_range: bool,
    /// (offset, stride) of the Y, U and V planes in `data`.
    layout: [(usize, usize); 3],
}

impl Planes {
    fn yuv(&self) -> Option<prep::Yuv<'_>> {
        let plane = |i: usize| {
            let (offset, stride) = self.layout[i];
            Some(prep::Plane { data: self.data.get(offset..)?, stride })
        };
        Some(prep::Yuv {
            width: self.width,
            height: self.height,
            chroma_shift: self.chroma_shift,
            full_range: self.full_range,
            y: plane(0)?,
            u: plane(1)?,
            v: plane(2)?,
        })
    }
}

/// Decodes a JPEG with WebCodecs' `ImageDecoder` (native, and it hands out planar YUV, so nothing is
/// converted at full size). `None` where the browser has no `ImageDecoder` or gives another pixel format.
/// Called through `Reflect` because web-sys marks the API unstable.
async fn webcodecs_planes(bytes: &Uint8Array) -> Option<Planes> {
    let global = js_sys::global();
    let constructor: js_sys::Function =
        Reflect::get(&global, &"ImageDecoder".into()).ok()?.dyn_into().ok()?;
    let init = Object::new();
    set(&init, "data", bytes);
    set(&init, "type", &"image/jpeg".into());
    // Pixels as stored: the colour profile is applied by ViNano's own code after downscaling.
    set(&init, "colorSpaceConversion", &"none".into());
    let decoder = Reflect::construct(&constructor, &Array::of1(&init)).ok()?;
    let result = async {
        let decoded =
            JsFuture::from(call(&decoder, "decode", &[])?.dyn_into::<js_sys::Promise>().ok()?).await.ok()?;
        let frame = get(&decoded, "image");
        let planes = async {
            let chroma_shift = match get(&frame, "format").as_string()?.as_str() {
                "I420" => (1, 1),
                "I422" => (1, 0),
                "I444" => (0, 0),
                _ => return None,
            };
            let rect = get(&frame, "visibleRect");
            let width = get(&rect, "width").as_f64()? as u32;
            let height = get(&rect, "height").as_f64()? as u32;
            let full_range = get(&get(&frame, "colorSpace"), "fullRange").as_bool().unwrap_or(true);
            let size = call(&frame, "allocationSize", &[])?.as_f64()? as u32;
            let buffer = Uint8Array::new_with_length(size);
            let layout = JsFuture::from(
                call(&frame, "copyTo", &[buffer.clone().into()])?.dyn_into::<js_sys::Promise>().ok()?,
            )
            .await
            .ok()?;
            let layout: Array = layout.dyn_into().ok()?;
            let entry = |i: u32| {
                let l = layout.get(i);
                Some((get(&l, "offset").as_f64()? as usize, get(&l, "stride").as_f64()? as usize))
            };
            Some(Planes {
                data: buffer.to_vec(),
                width,
                height,
                chroma_shift,
                full_range,
                layout: [entry(0)?, entry(1)?, entry(2)?],
            })
        }
        .await;
        let _ = call(&frame, "close", &[]);
        planes
    }
    .await;
    let _ = call(&decoder, "close", &[]);
    result
}

/// Calls `target[name](...args)`.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let function: js_sys::Function = get(target, name).dyn_into().ok()?;
    function.apply(target, &args.iter().collect::<Array>()).ok()
}
