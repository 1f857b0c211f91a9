//! The page the widget is in (the partner's page, through `widget.js`): messages both ways, version 1.
//!
//! To the host: `loaded` (ready for `init`), `ready {visitor, credits}`, `resize {height}`,
//! `image {id, url, width, height, format}`, `error {code, message}`, `closed`. From the host: `init {token,
//! language, modal}`, `prompt {text}`, `attach {file}`, `close`. Every message is `{vinano: 1, type, …}`, sent to
//! the host's exact origin; a message from any other origin or window, or of another shape, is ignored and
//! counted (`data-ignored` on the page's root, and a console warning).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The protocol's version: the `vinano` field of every message.
pub const VERSION: u32 = 1;

/// What the host asked.
#[derive(Debug, Clone)]
pub enum FromHost {
    /// The start: the partner's token for its user (none for a guest) and the language to speak.
    Init {
        /// The HS256 token the partner's server made.
        token: Option<String>,
        /// `en`, `zh-Hant` or `zh-Hans`.
        language: Option<String>,
        /// Shown as a dialog over the page (Escape closes it).
        modal: bool,
    },
    /// An instruction to send.
    Prompt(String),
    /// A photo to attach.
    Attach(web_sys::File),
    /// Close the editor.
    Close,
}

/// The host page, at its exact origin.
#[derive(Debug, Clone)]
pub struct Host {
    origin: String,
    /// Messages ignored so far (another origin or window, or not ours).
    pub ignored: RwSignal<u32>,
}

fn field(data: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn parent() -> Option<web_sys::Window> {
    window().parent().ok().flatten()
}

impl Host {
    /// The host at `origin` (already checked against the partner's origins), counting what it ignores in
    /// `ignored`.
    pub fn new(origin: String, ignored: RwSignal<u32>) -> Self {
        Self { origin, ignored }
    }

    /// Sends `{vinano: 1, type: kind, …fields}` to the host.
    pub fn send(&self, kind: &str, fields: &[(&str, JsValue)]) {
        let Some(parent) = parent() else { return };
        let message = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
        };
        set("vinano", &JsValue::from(VERSION));
        set("type", &JsValue::from_str(kind));
        for (k, v) in fields {
            set(k, v);
        }
        let _ = parent.post_message(&message, &self.origin);
    }

    /// Calls `on` with every message from the host, for as long as the page lives.
    pub fn listen(&self, on: impl Fn(FromHost) + 'static) {
        let origin = self.origin.clone();
        let ignored = self.ignored;
        let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let from_parent = match (event.source(), parent()) {
                (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
                _ => false,
            };
            let data = event.data();
            let ours = field(&data, "vinano").as_f64() == Some(f64::from(VERSION));
            let message = (event.origin() == origin && from_parent && ours).then(|| read(&data)).flatten();
            match message {
                Some(m) => on(m),
                None => {
                    ignored.update(|n| *n += 1);
                    web_sys::console::warn_1(&JsValue::from_str("ViNano widget: a message was ignored"));
                }
            }
        });
        let _ = window().add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
        // The page's whole life: the widget's page is the listener's only user.
        handler.forget();
    }

    /// Tells the host the editor's height whenever it changes (the host sizes the iframe to it): the bottom
    /// of `main.embed`, which doesn't stretch to the iframe's own height the way the document does.
    pub fn report_height(&self) {
        let host = self.clone();
        let Some(main) = document().query_selector("main.embed").ok().flatten() else { return };
        let last = StoredValue::new(0);
        let measured = main.clone();
        let measure = Closure::<dyn Fn()>::new(move || {
            let scrolled = window().scroll_y().unwrap_or(0.0);
            let height = (measured.get_bounding_client_rect().bottom() + scrolled).ceil() as i32;
            if height != last.get_value() {
                last.set_value(height);
                host.send("resize", &[("height", JsValue::from(height))]);
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(measure.as_ref().unchecked_ref()) {
            observer.observe(&main);
        }
        measure.forget();
    }
}

/// A host message, if it is one of ours with the fields it needs.
fn read(data: &JsValue) -> Option<FromHost> {
    let text = |name: &str| field(data, name).as_string();
    match text("type")?.as_str() {
        "init" => Some(FromHost::Init {
            token: text("token").filter(|t| !t.is_empty()),
            language: text("language"),
            modal: field(data, "modal").as_bool() == Some(true),
        }),
        "prompt" => text("text").filter(|t| !t.trim().is_empty()).map(FromHost::Prompt),
        "attach" => {
            let file = field(data, "file");
            let name = text("name").unwrap_or_else(|| "photo".into());
            if let Ok(file) = file.clone().dyn_into::<web_sys::File>() {
                return Some(FromHost::Attach(file));
            }
            // A Blob without a name: made a File so it is named like any other photo.
            let blob = file.dyn_into::<web_sys::Blob>().ok()?;
            let parts = js_sys::Array::of1(&blob);
            let options = web_sys::FilePropertyBag::new();
            options.set_type(&blob.type_());
            web_sys::File::new_with_blob_sequence_and_options(&parts, &name, &options)
                .ok()
                .map(FromHost::Attach)
        }
        "close" => Some(FromHost::Close),
        _ => None,
    }
}
