//! The installable app as the rest of the SPA sees it: whether a new build waits ("A new version is ready —
//! Reload"), whether the browser offers installation, photos shared to the app, and sharing or copying a
//! result. The browser side is `public/pwa.js` (`window.vinano`), which registers the service worker.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// What the service worker and the browser have offered, as signals.
#[derive(Debug, Clone, Copy)]
pub struct Pwa {
    /// A new build is installed and waits for the person's "Reload".
    pub update_ready: RwSignal<bool>,
    /// The browser offers to install the app (and hasn't yet).
    pub installable: RwSignal<bool>,
}

/// Provides [`Pwa`] and keeps it in step with `pwa.js`'s events.
pub fn provide_pwa() -> Pwa {
    let pwa = Pwa { update_ready: RwSignal::new(false), installable: RwSignal::new(false) };
    let refresh = move || {
        pwa.update_ready.set(ask("updateReady"));
        pwa.installable.set(ask("canInstall"));
    };
    refresh();
    for event in ["vinano:update", "vinano:installable", "vinano:installed"] {
        let listener = Closure::<dyn Fn()>::new(refresh);
        let _ = window().add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        // The app lives as long as the page.
        listener.forget();
    }
    provide_context(pwa);
    pwa
}

/// The app's [`Pwa`].
pub fn use_pwa() -> Pwa {
    use_context::<Pwa>().expect("Pwa is provided by App")
}

/// `window.vinano` and its function `name`, when `pwa.js` has loaded.
fn method(name: &str) -> Option<(JsValue, js_sys::Function)> {
    let glue = js_sys::Reflect::get(&window(), &JsValue::from_str("vinano")).ok()?;
    let f = js_sys::Reflect::get(&glue, &JsValue::from_str(name)).ok()?.dyn_into().ok()?;
    Some((glue, f))
}

/// Calls a yes/no question of the glue (false without it).
fn ask(name: &str) -> bool {
    method(name).and_then(|(glue, f)| f.call0(&glue).ok()).is_some_and(|v| v.is_truthy())
}

/// Calls an `async` function of the glue and waits for it.
async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let (glue, f) = method(name).ok_or_else(|| JsValue::from_str("pwa.js is not loaded"))?;
    let promise = f.apply(&glue, &args.iter().collect::<js_sys::Array>())?;
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await
}

/// Lets the waiting build take over; the page reloads into it.
pub fn apply_update() {
    if let Some((glue, f)) = method("applyUpdate") {
        let _ = f.call0(&glue);
    } else {
        let _ = window().location().reload();
    }
}

/// Shows the browser's install dialog; whether the person installed the app.
pub async fn install() -> bool {
    call("install", &[]).await.is_ok_and(|v| v.is_truthy())
}

/// Photos shared to the app from another one (kept by the service worker until taken).
pub async fn take_shared() -> Vec<web_sys::File> {
    let Ok(files) = call("takeShared", &[]).await else { return Vec::new() };
    js_sys::Array::from(&files).iter().filter_map(|f| f.dyn_into().ok()).collect()
}

/// Whether this browser can hand an image file to another app (Web Share).
pub fn can_share_files() -> bool {
    ask("canShareFiles")
}

/// Opens the system share sheet with the image at `url`: `Ok(false)` when the person closed it.
pub async fn share_image(url: &str, name: &str, title: &str) -> Result<bool, JsValue> {
    call("shareImage", &[url.into(), name.into(), title.into()]).await.map(|v| v.is_truthy())
}

/// Whether this browser can put an image on the clipboard.
pub fn can_copy_image() -> bool {
    ask("canCopyImage")
}

/// Puts the image at `url` on the clipboard.
pub async fn copy_image(url: &str) -> Result<(), JsValue> {
    call("copyImage", &[url.into()]).await.map(|_| ())
}

/// Whether this browser has a share sheet for a link (Web Share).
pub fn can_share_links() -> bool {
    ask("canShareLinks")
}

/// Opens the system share sheet with a link: `Ok(false)` when the person closed it.
pub async fn share_link(url: &str, title: &str) -> Result<bool, JsValue> {
    call("shareLink", &[url.into(), title.into()]).await.map(|v| v.is_truthy())
}

/// Puts `text` on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), JsValue> {
    call("copyText", &[text.into()]).await.map(|_| ())
}
