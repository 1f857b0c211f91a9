//! The image-prep Web Worker: photos are decoded, turned upright, stripped of metadata, downscaled and
//! re-encoded off the main thread, in their own WASM bundle (`src/bin/worker.rs`), loaded the first time a
//! photo is attached.
//!
//! [`entry`] runs inside the worker; the page's side is `vinano_web::worker`. Messages are plain JS objects
//! whose field names are the constants in [`protocol`].

pub mod entry;
pub mod protocol;
pub mod sizes;

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub use protocol::{Codec, PrepError, PrepErrorKind, PrepInfo};

/// Sets `target[key] = value` (a plain JS object's field; a failure is impossible on one).
pub fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `target[key]`, or `undefined`.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
