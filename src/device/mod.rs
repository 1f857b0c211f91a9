//! Editing on this device: with "Edit on this device" on, instructions are planned and run in a Web Worker
//! of their own (`crates/device`, loaded the first time it is used) by the same engine and models as
//! the server's, on photos that were never uploaded. Nothing reaches the server until the person saves a
//! version.
//!
//! [`edit`] is the main thread's side; the worker is the `vinano-device` crate, which also holds the
//! message protocol.

use crate::worker::{call, get, set};
use js_sys::{Object, Uint8Array};
use vinano_api::{EditParams, Said};
use vinano_device::protocol;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag};

/// Where Trunk writes the device worker's loader (see `index.html`).
const DEVICE_URL: &str = "/device_loader.js";

/// A version made on this device.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The encoded result (with its provenance mark), as a Blob with its MIME type.
    pub blob: Blob,
    /// Its MIME type.
    pub content_type: String,
    /// Its size.
    pub width: u32,
    /// Its size.
    pub height: u32,
    /// The plan that made it, as JSON (sent along when it is saved).
    pub plan: String,
    /// What the reply says, and its English.
    pub said: (Said, String),
    /// Milliseconds the worker spent.
    pub ms: f64,
}

/// Why an edit on this device made nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    /// The engine's answer (not understood, needs a selection, too large...), to show as the reply, and
    /// its English.
    Said(Said, String),
    /// The worker could not start or crashed.
    Worker,
}

/// Runs `instruction` (with the composer's `params`) on `image` — `None` when the words make an image — in
/// the device worker, inside the brushed `selection` (a PNG data URL) when there is one.
pub async fn edit(
    instruction: &str,
    params: &EditParams,
    image: Option<&Blob>,
    selection: Option<&str>,
) -> Result<Edited, Failed> {
    let message = Object::new();
    set(&message, protocol::INSTRUCTION, &instruction.into());
    set(&message, protocol::PARAMS, &serde_json::to_string(params).unwrap_or_default().into());
    if let Some(image) = image {
        set(&message, protocol::IMAGE, image);
    }
    if let Some(selection) = selection {
        set(&message, protocol::SELECTION, &selection.into());
    }
    let reply = call(DEVICE_URL, message, &js_sys::Array::new()).await.map_err(|()| Failed::Worker)?;
    let said: Option<Said> =
        get(&reply, protocol::SAID).as_string().and_then(|s| serde_json::from_str(&s).ok());
    let english = get(&reply, protocol::ENGLISH).as_string().unwrap_or_default();
    if !get(&reply, protocol::OK).is_truthy() {
        return Err(said.map_or(Failed::Worker, |s| Failed::Said(s, english)));
    }
    let bytes: Uint8Array = get(&reply, protocol::BYTES).dyn_into().map_err(|_| Failed::Worker)?;
    let content_type = get(&reply, protocol::TYPE).as_string().unwrap_or_default();
    let options = BlobPropertyBag::new();
    options.set_type(&content_type);
    let blob = Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&bytes), &options)
        .map_err(|_| Failed::Worker)?;
    let number = |key| get(&reply, key).as_f64().unwrap_or(0.0);
    Ok(Edited {
        blob,
        content_type,
        width: number(protocol::WIDTH) as u32,
        height: number(protocol::HEIGHT) as u32,
        plan: get(&reply, protocol::PLAN).as_string().unwrap_or_default(),
        said: (said.ok_or(Failed::Worker)?, english),
        ms: number(protocol::MS),
    })
}

/// Where to centre crops of `image` to keep its subject (fractions of the width and height), found by the
/// segmentation model in the device worker.
pub async fn subject(image: &Blob) -> Result<(f64, f64), Failed> {
    let message = Object::new();
    set(&message, protocol::SUBJECT, &true.into());
    set(&message, protocol::IMAGE, image);
    let reply = call(DEVICE_URL, message, &js_sys::Array::new()).await.map_err(|()| Failed::Worker)?;
    if !get(&reply, protocol::OK).is_truthy() {
        let said: Option<Said> =
            get(&reply, protocol::SAID).as_string().and_then(|s| serde_json::from_str(&s).ok());
        let english = get(&reply, protocol::ENGLISH).as_string().unwrap_or_default();
        return Err(said.map_or(Failed::Worker, |s| Failed::Said(s, english)));
    }
    let at = |key| get(&reply, key).as_f64().filter(|v| (0.0..=1.0).contains(v)).ok_or(Failed::Worker);
    Ok((at(protocol::X)?, at(protocol::Y)?))
}
