//! The worker's side: answers each request with a prepared photo or a reason it could not be prepared.

use super::protocol::{self, Decoder, PrepError, PrepErrorKind};
use super::{get, set};
use js_sys::{Array, Object, Uint8Array};
use vinano_imaging::prep::{self, PrepOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DedicatedWorkerGlobalScope, ImageBitmap, ImageBitmapOptions, ImageOrientation, MessageEvent,
    OffscreenCanvas, OffscreenCanvasRenderingContext2d, PremultiplyAlpha,
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
    let transfer = Array::new();
    match prepare(scope, request).await {
        Ok(done) => {
            set(&reply, protocol::OK, &true.into());
            let bytes = Uint8Array::from(&done.prepared.encoded.bytes[..]);
            transfer.push(&bytes.buffer());
            set(&reply, protocol::BYTES, &bytes);
            set(&reply, protocol::TYPE, &done.prepared.encoded.format.mime().into());
            set(&reply, "width", &done.prepared.width.into());
            set(&reply, "height", &done.prepared.height.into());
            set(&reply, "sourceWidth", &done.prepared.source_width.into());
            set(&reply, "sourceHeight", &done.prepared.source_height.into());
            set(&reply, protocol::DECODER, &done.decoder.as_str().into());
            set(&reply, "decodeMs", &done.timings[0].into());
            set(&reply, "resizeMs", &done.timings[1].into());
            set(&reply, "encodeMs", &done.timings[2].into());
        }
        Err(e) => {
            set(&reply, protocol::OK, &false.into());
            set(&reply, protocol::ERROR, &e.kind.as_str().into());
            set(&reply, "width", &e.width.into());
            set(&reply, "height", &e.height.into());
            set(&reply, "maxMegapixels", &e.max_megapixels.into());
        }
    }
    (reply, transfer)
}

struct Done {
    prepared: prep::Prepared,
    decoder: Decoder,
    timings: [f64; 3],
}

async fn prepare(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> Result<Done, PrepError> {
    let file: Blob =
        get(request, protocol::FILE).dyn_into().map_err(|_| PrepError::new(PrepErrorKind::Corrupt))?;
    let max_side = get(request, protocol::MAX_SIDE).as_f64().filter(|&m| m >= 1.0).map(|m| m as u32);
    let decoder = Decoder::parse(&get(request, protocol::DECODER).as_string().unwrap_or_default());
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
    if let Err(e @ (vinano_imaging::ImagingError::TooLarge { .. } | vinano_imaging::ImagingError::Corrupt)) =
        probed
    {
        return Err(e.into());
    }

    if decoder != Decoder::Wasm {
        match browser_pixels(scope, &file).await {
            Ok((rgba, width, height)) => {
                let decoded = now();
                let resized = prep::downscale_rgba(rgba, width, height, options)?;
                let downscaled = now();
                let prepared = prep::finish(&resized, width, height, options)?;
                let timings = [decoded - started, downscaled - decoded, now() - downscaled];
                return Ok(Done { prepared, decoder: Decoder::Browser, timings });
            }
            // The browser can't read it: say why (HEIC, not an image), or try our own decoder.
            Err(_) if decoder == Decoder::Browser => {
                return Err(probed.err().map_or(PrepError::new(PrepErrorKind::Corrupt), Into::into));
            }
            Err(_) => {}
        }
    }

    probed?;
    let upright = vinano_imaging::decode(&bytes, options.limits)?.image;
    let decoded = now();
    let (source_width, source_height) = (upright.width(), upright.height());
    let (w, h) = prep::fit(source_width, source_height, options.max_side);
    let resized = prep::resize_exact(&upright, w, h)?;
    drop(upright);
    let downscaled = now();
    let prepared = prep::finish(&resized, source_width, source_height, options)?;
    let timings = [decoded - started, downscaled - decoded, now() - downscaled];
    Ok(Done { prepared, decoder: Decoder::Wasm, timings })
}

/// Decodes with the browser's own codecs, EXIF orientation applied, as straight (not premultiplied) RGBA.
async fn browser_pixels(
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
