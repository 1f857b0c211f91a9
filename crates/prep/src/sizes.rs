//! The social media resizer's side of the worker: one photo, decoded once at full size and upright, cut to
//! each size asked for around the focus point ([`vinano_imaging::crop::cut`]) and written as JPEGs. Nothing
//! leaves the device.

use crate::entry::{browser_pixels, native_jpeg};
use crate::protocol::{self, PrepError, PrepErrorKind, MAX_SIZES, MAX_SIZE_SIDE};
use crate::{get, set};
use js_sys::{Array, Object, Uint8Array};
use vinano_imaging::prep::PrepOptions;
use vinano_imaging::{DynamicImage, OutputFormat};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope};

/// JPEG quality of the sizes: they are uploaded again to a network, which compresses once more.
const QUALITY: u8 = 92;

/// The sizes a request asks for, or `None` when it asks for none or for something no network uses.
pub fn read_sizes(request: &JsValue) -> Option<Vec<(u32, u32)>> {
    let list: Array = get(request, protocol::SIZES).dyn_into().ok()?;
    let sizes: Option<Vec<(u32, u32)>> = list
        .iter()
        .map(|pair| {
            let side = |i: u32| {
                let v = js_sys::Reflect::get_u32(&pair, i).ok()?.as_f64()?;
                (v.fract() == 0.0 && (1.0..=f64::from(MAX_SIZE_SIDE)).contains(&v)).then_some(v as u32)
            };
            Some((side(0)?, side(1)?))
        })
        .collect();
    sizes.filter(|s| (1..=MAX_SIZES).contains(&s.len()))
}

/// Answers a resizer request in `reply`: the files, or why there are none. Returns the buffers to transfer.
pub async fn answer(scope: &DedicatedWorkerGlobalScope, request: &JsValue, reply: &Object) -> Array {
    let transfer = Array::new();
    match cut_all(scope, request).await {
        Ok(files) => {
            set(reply, protocol::OK, &true.into());
            let list = Array::new();
            for file in files {
                let bytes = Uint8Array::from(&file[..]);
                transfer.push(&bytes.buffer());
                list.push(&bytes);
            }
            set(reply, protocol::FILES, &list);
            set(reply, protocol::TYPE, &"image/jpeg".into());
        }
        Err(e) => crate::entry::say_error(reply, &e),
    }
    transfer
}

async fn cut_all(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> Result<Vec<Vec<u8>>, PrepError> {
    let sizes = read_sizes(request).ok_or(PrepError::new(PrepErrorKind::Unsupported))?;
    let focus = get(request, protocol::FOCUS);
    let at = |i: u32| {
        js_sys::Reflect::get_u32(&focus, i)
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|v| v.is_finite())
            .unwrap_or(0.5)
    };
    let focus = (at(0).clamp(0.0, 1.0), at(1).clamp(0.0, 1.0));
    let file: Blob =
        get(request, protocol::FILE).dyn_into().map_err(|_| PrepError::new(PrepErrorKind::Corrupt))?;
    let image = upright(scope, &file).await?;
    let mut files = Vec::with_capacity(sizes.len());
    for size in sizes {
        let cut = DynamicImage::ImageRgb8(vinano_imaging::crop::cut(&image, size, focus)?);
        let bytes = match native_jpeg(&cut, QUALITY).await {
            Some(jpeg) => jpeg,
            None => vinano_imaging::encode_with_quality(&cut, OutputFormat::Jpeg, QUALITY)?.bytes,
        };
        files.push(bytes);
    }
    Ok(files)
}

/// The photo at full size, upright, decoded by ViNano's decoder where it can (JPEG, PNG, WebP) and by the
/// browser's otherwise (HEIC on Safari); a pixel flood is refused from the header first.
async fn upright(scope: &DedicatedWorkerGlobalScope, file: &Blob) -> Result<DynamicImage, PrepError> {
    let limits = PrepOptions::default().limits;
    let buffer =
        JsFuture::from(file.array_buffer()).await.map_err(|_| PrepError::new(PrepErrorKind::Corrupt))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    match vinano_imaging::probe(&bytes, limits) {
        Ok(_) => Ok(vinano_imaging::decode(&bytes, limits)?.image),
        Err(e @ (vinano_imaging::ImagingError::TooLarge { .. } | vinano_imaging::ImagingError::Corrupt)) => {
            Err(e.into())
        }
        Err(other) => {
            drop(bytes);
            let (rgba, w, h) = browser_pixels(scope, file).await.map_err(|_| PrepError::from(other))?;
            let full = PrepOptions { max_side: None, ..PrepOptions::default() };
            Ok(vinano_imaging::prep::downscale_rgba(rgba, w, h, full)?)
        }
    }
}
