//! Usage analytics and error reports, from the browser.
//!
//! Usage events are queued only while the person has analytics on (and their browser doesn't send Global
//! Privacy Control); the queue is sent in batches every 30 seconds and when the page is hidden. Crashes
//! (Rust panics) and server failures are reported as they happen, with `navigator.sendBeacon` so that a
//! report survives the page going away.

use std::cell::{Cell, RefCell};
use vinano_api::{ErrorReport, UsageBatch, UsageEvent, API_PREFIX};

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(false) };
    static QUEUE: RefCell<Vec<UsageEvent>> = const { RefCell::new(Vec::new()) };
}

/// Turns counting on or off (from the person's privacy settings); off also empties the queue.
pub fn set_enabled(on: bool) {
    ENABLED.set(on);
    if !on {
        QUEUE.with_borrow_mut(Vec::clear);
    }
}

/// Counts one use of a feature (`ms`: how long it took, when that matters).
pub fn track(name: &'static str, ms: Option<u64>) {
    if !ENABLED.get() {
        return;
    }
    let full = QUEUE.with_borrow_mut(|q| {
        q.push(UsageEvent { name: name.to_string(), ms });
        q.len() >= 50
    });
    if full {
        flush();
    }
}

fn beacon(path: &str, body: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let parts = js_sys::Array::of1(&body.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return false };
    window.navigator().send_beacon_with_opt_blob(&format!("{API_PREFIX}{path}"), Some(&blob)).unwrap_or(false)
}

/// Sends what is queued.
pub fn flush() {
    let events = QUEUE.with_borrow_mut(std::mem::take);
    if events.is_empty() || !ENABLED.get() {
        return;
    }
    if let Ok(body) = serde_json::to_string(&UsageBatch { events }) {
        beacon("/analytics", &body);
    }
}

/// Reports something that went wrong; never fails, never reports about itself.
pub fn report_error(kind: &str, message: &str) {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    let report = ErrorReport {
        kind: kind.to_string(),
        message: message.chars().take(2000).collect(),
        path,
        description: None,
    };
    if let Ok(body) = serde_json::to_string(&report) {
        beacon("/errors", &body);
    }
}

/// Installs the panic hook (console message and report) and the periodic flush.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report_error("panic", &info.to_string());
    }));
    leptos::prelude::set_interval(flush, std::time::Duration::from_secs(30));
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let on_hide = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            if web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden()) {
                track("session", None);
                flush();
            }
        });
        let _ = document.add_event_listener_with_callback(
            "visibilitychange",
            wasm_bindgen::JsCast::unchecked_ref(on_hide.as_ref()),
        );
        on_hide.forget();
    }
}
