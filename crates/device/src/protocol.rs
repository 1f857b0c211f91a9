//! The messages between the page and the on-device editor's worker.
//!
//! Request: `{ id, instruction, params (EditParams as JSON), image?: Blob, selection?: data URL of the
//! brushed PNG }` — no image when the words make one (a poster). Or `{ id, subject: true, image }`: where the
//! photo's subject is, answered `{ id, ok: true, x, y }` (where to centre a crop to keep it, as fractions of the width and
//! height) or `{ id, ok: false, said, english }`.
//! Reply: `{ id, ok: true, bytes: Uint8Array, type, width, height, plan (EditPlan as JSON), said (the
//! reply as JSON), english, ms }` or `{ id, ok: false, said, english, ms }`. The worker first posts `{ ready: true }`.

/// Field names.
pub const ID: &str = "id";
/// The words.
pub const INSTRUCTION: &str = "instruction";
/// The composer's settings.
pub const PARAMS: &str = "params";
/// The photo to edit.
pub const IMAGE: &str = "image";
/// The brushed selection.
pub const SELECTION: &str = "selection";
/// Asks where the subject is instead of an edit.
pub const SUBJECT: &str = "subject";
/// The subject's centre, as a fraction of the width.
pub const X: &str = "x";
/// The subject's centre, as a fraction of the height.
pub const Y: &str = "y";
/// `true` on success.
pub const OK: &str = "ok";
/// The result's bytes.
pub const BYTES: &str = "bytes";
/// The result's MIME type.
pub const TYPE: &str = "type";
/// The result's size.
pub const WIDTH: &str = "width";
/// The result's size.
pub const HEIGHT: &str = "height";
/// The plan that was run.
pub const PLAN: &str = "plan";
/// What the reply says (or why it failed).
pub const SAID: &str = "said";
/// What the reply says, in English (the app's English frame doesn't carry the engine's words).
pub const ENGLISH: &str = "english";
/// Milliseconds the worker spent.
pub const MS: &str = "ms";
/// Sent once by the worker when it has started.
pub const READY: &str = "ready";

/// A field of a message (`undefined` when it is missing).
pub fn get(message: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(message, &key.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

/// Sets a field of a message.
pub fn set(message: &js_sys::Object, key: &str, value: &wasm_bindgen::JsValue) {
    let _ = js_sys::Reflect::set(message, &key.into(), value);
}
