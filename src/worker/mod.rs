//! The page's side of the image-prep Web Worker (`vinano-prep`, its own WASM bundle): photos are decoded,
//! turned upright, stripped of metadata, downscaled and re-encoded off the main thread, in a worker started
//! the first time a photo is attached.
//!
//! [`prepare`] sends one photo; `call` is the message plumbing the on-device editor's worker shares.

use js_sys::{Object, Promise, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Worker};

pub(crate) use vinano_prep::{get, set};
pub use vinano_prep::{protocol, Codec, PrepError, PrepErrorKind, PrepInfo};

/// Where Trunk writes the worker's loader (see `index.html`).
const WORKER_URL: &str = "/worker_loader.js";

/// What to do with one photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrepRequest {
    /// Longest side of the result; `None` keeps full resolution.
    pub max_side: Option<u32>,
    /// Which decoder to use.
    pub decoder: Codec,
    /// Which encoder to use.
    pub encoder: Codec,
}

impl Default for PrepRequest {
    fn default() -> Self {
        Self {
            max_side: Some(vinano_imaging::prep::DEFAULT_MAX_SIDE),
            decoder: Codec::Auto,
            encoder: Codec::Auto,
        }
    }
}

/// A prepared photo, ready to upload.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    /// The encoded bytes as a Blob with its MIME type.
    pub blob: Blob,
    /// What the worker made and how.
    pub info: PrepInfo,
}

/// Prepares `file` in the worker (starting it on first use).
pub async fn prepare(file: &Blob, request: PrepRequest) -> Result<PreparedPhoto, PrepError> {
    let message = Object::new();
    set(&message, protocol::FILE, file);
    set(&message, protocol::MAX_SIDE, &request.max_side.unwrap_or(0).into());
    set(&message, protocol::DECODER, &request.decoder.as_str().into());
    set(&message, protocol::ENCODER, &request.encoder.as_str().into());
    let reply =
        call(WORKER_URL, message, &js_sys::Array::new()).await.map_err(|()| PrepError::worker_failed())?;
    protocol::read_reply(&reply).and_then(|r| {
        let bytes: Uint8Array =
            get(&reply, protocol::BYTES).dyn_into().map_err(|_| PrepError::worker_failed())?;
        let options = BlobPropertyBag::new();
        options.set_type(&r.content_type);
        let parts = js_sys::Array::of1(&bytes);
        let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|_| PrepError::worker_failed())?;
        Ok(PreparedPhoto { blob, info: r })
    })
}

/// The social media resizer's files: `file` cut to each of `sizes` around `focus` (fractions of the upright
/// photo's width and height), as JPEG bytes in the same order, made in the worker from the full-size photo.
pub async fn cut_sizes(
    file: &Blob,
    sizes: &[(u32, u32)],
    focus: (f64, f64),
) -> Result<Vec<Vec<u8>>, PrepError> {
    let message = Object::new();
    set(&message, protocol::FILE, file);
    let list: js_sys::Array = sizes.iter().map(|&(w, h)| js_sys::Array::of2(&w.into(), &h.into())).collect();
    set(&message, protocol::SIZES, &list);
    set(&message, protocol::FOCUS, &js_sys::Array::of2(&focus.0.into(), &focus.1.into()));
    let reply =
        call(WORKER_URL, message, &js_sys::Array::new()).await.map_err(|()| PrepError::worker_failed())?;
    protocol::read_reply(&reply)?;
    let files: js_sys::Array =
        get(&reply, protocol::FILES).dyn_into().map_err(|_| PrepError::worker_failed())?;
    files
        .iter()
        .map(|f| f.dyn_into::<Uint8Array>().map(|b| b.to_vec()).map_err(|_| PrepError::worker_failed()))
        .collect()
}

/// Sends `message` to the worker whose loader is at `url` (starting it on first use), with the buffers in
/// `transfer` moved rather than copied, and waits for its reply (matched by the `id` set here). `Err` when
/// the worker could not start or crashed.
pub(crate) async fn call(
    url: &'static str,
    message: Object,
    transfer: &js_sys::Array,
) -> Result<JsValue, ()> {
    let client = Client::get(url).map_err(|_| ())?;
    JsFuture::from(client.ready.clone()).await.map_err(|_| ())?;
    let id = client.next.get();
    client.next.set(id.wrapping_add(1));
    set(&message, protocol::ID, &id.into());
    let answer = Promise::new(&mut |resolve, reject| {
        client.pending.borrow_mut().insert(id, (resolve, reject));
    });
    if client.worker.post_message_with_transfer(&message, transfer).is_err() {
        client.pending.borrow_mut().remove(&id);
        return Err(());
    }
    JsFuture::from(answer).await.map_err(|_| ())
}

type Settle = (js_sys::Function, js_sys::Function);

/// The main thread's handle on one worker: one per page and script, created lazily.
struct Client {
    worker: Worker,
    /// Resolves when the worker's WASM has started and can take messages.
    ready: Promise,
    pending: RefCell<HashMap<u32, Settle>>,
    next: Cell<u32>,
}

thread_local! {
    static CLIENTS: RefCell<HashMap<&'static str, Rc<Client>>> = RefCell::new(HashMap::new());
}

impl Client {
    fn get(url: &'static str) -> Result<Rc<Client>, PrepError> {
        if let Some(client) = CLIENTS.with(|c| c.borrow().get(url).cloned()) {
            return Ok(client);
        }
        // A classic worker: Trunk's loader shim uses importScripts.
        let worker = Worker::new(url).map_err(|_| PrepError::worker_failed())?;
        let mut ready_settle = None;
        let ready = Promise::new(&mut |resolve, reject| ready_settle = Some((resolve, reject)));
        let (ready_resolve, ready_reject) = ready_settle.expect("Promise runs its executor at once");
        let client =
            Rc::new(Client { worker, ready, pending: RefCell::new(HashMap::new()), next: Cell::new(1) });

        let weak = Rc::downgrade(&client);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if get(&data, protocol::READY).is_truthy() {
                let _ = ready_resolve.call0(&JsValue::NULL);
                return;
            }
            let Some(client) = weak.upgrade() else { return };
            let id = get(&data, protocol::ID).as_f64().unwrap_or(-1.0) as u32;
            let settle = client.pending.borrow_mut().remove(&id);
            if let Some((resolve, _)) = settle {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        // The worker script failed to load or crashed: fail everything waiting, start afresh next time.
        let weak = Rc::downgrade(&client);
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let _ = ready_reject.call0(&JsValue::NULL);
            if let Some(client) = weak.upgrade() {
                for (_, (_, reject)) in client.pending.borrow_mut().drain() {
                    let _ = reject.call0(&JsValue::NULL);
                }
                client.worker.terminate();
            }
            CLIENTS.with(|c| c.borrow_mut().remove(url));
        });
        client.worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        client.worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The worker lives as long as the page.
        on_message.forget();
        on_error.forget();
        CLIENTS.with(|c| c.borrow_mut().insert(url, client.clone()));
        Ok(client)
    }
}
