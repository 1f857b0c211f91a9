//! Stylesheets that come with a page's chunk instead of with the first page of a visit (`/me.css` with Me,
//! `/tools.css` with AI Tools): added to the document once, and the page shown once it is in, so it never
//! appears unstyled. A sheet that can't be loaded (offline, not kept yet) is waited for no longer than its
//! error: the page shows with the main styles.

use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// Each sheet's link, by address: resolved once it has loaded (or failed to).
    static SHEETS: RefCell<HashMap<&'static str, js_sys::Promise>> = RefCell::new(HashMap::new());
}

/// Adds the stylesheet at `href` to the document now (once), without waiting for it.
pub fn bring(href: &'static str) {
    drop(load(href));
}

/// Adds the stylesheet at `href` to the document now (once); the future waits until it has loaded or failed.
pub fn load(href: &'static str) -> impl std::future::Future<Output = ()> {
    let promise = SHEETS.with(|sheets| {
        let known = sheets.borrow().get(href).cloned();
        known.or_else(|| {
            let added = add(href)?;
            sheets.borrow_mut().insert(href, added.clone());
            Some(added)
        })
    });
    async move {
        if let Some(promise) = promise {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        }
    }
}

/// `page`, shown once the stylesheet at `href` is in (a page's chunk calls this, so this code is in the
/// chunks that use it, not in the app's frame).
pub fn with_sheet<V: IntoView + 'static>(
    href: &'static str,
    page: impl Fn() -> V + Send + Sync + 'static,
) -> AnyView {
    let ready = RwSignal::new(false);
    let loaded = load(href);
    leptos::task::spawn_local(async move {
        loaded.await;
        ready.set(true);
    });
    view! { <Show when=move || ready.get()>{page()}</Show> }.into_any()
}

/// A `<link rel=stylesheet>` for `href` in the head, and a promise that settles when it has loaded or failed.
fn add(href: &str) -> Option<js_sys::Promise> {
    let document = web_sys::window()?.document()?;
    let link = document.create_element("link").ok()?;
    link.set_attribute("rel", "stylesheet").ok()?;
    link.set_attribute("href", href).ok()?;
    let target: web_sys::EventTarget = link.clone().unchecked_into();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let _ = target.add_event_listener_with_callback("load", done.unchecked_ref());
        let _ = target.add_event_listener_with_callback("error", done.unchecked_ref());
    });
    document.head()?.append_child(&link).ok()?;
    Some(promise)
}
