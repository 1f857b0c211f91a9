//! Usage analytics and error reports, from the browser.
//!
//! Usage events are queued only while the person has analytics on (and their browser doesn't send Global
//! Privacy Control); the queue is sent in batches every 30 seconds and when the page is hidden. Crashes
//! (Rust panics) and server failures are reported as they happen, with `navigator.sendBeacon` so that a
//! report survives the page going away. The person can then add their own words to a report: right away
//! for a failed request (the app says something went wrong and offers a box), or after reloading for a
//! crash (a crashed WebAssembly app cannot run any more code, so the hook keeps the report in
//! `sessionStorage` and the next page load asks).

use std::cell::{Cell, RefCell};
use vinano_api::{ErrorReport, UsageBatch, UsageEvent, API_PREFIX};

thread_local! {
    static ENABLED: Cell<bool> = const { Cell::new(false) };
    static QUEUE: RefCell<Vec<UsageEvent>> = const { RefCell::new(Vec::new()) };
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// What hears about reported problems (the app's notice).
type Listener = Box<dyn Fn(ErrorReport)>;

/// Where a crash report waits for the next page load.
const CRASH_KEY: &str = "vinano-crash";

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

fn new_report(kind: &str, message: &str) -> ErrorReport {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    ErrorReport {
        kind: kind.to_string(),
        message: message.chars().take(2000).collect(),
        path,
        description: None,
    }
}

/// Sends a report (with the person's description, when there is one); never fails.
pub fn send_report(report: &ErrorReport) -> bool {
    serde_json::to_string(report).is_ok_and(|body| beacon("/errors", &body))
}

/// Reports something that went wrong and tells the app (which may offer to add details); never fails,
/// never reports about itself.
pub fn report_error(kind: &str, message: &str) {
    let report = new_report(kind, message);
    send_report(&report);
    LISTENER.with_borrow(|listener| {
        if let Some(listener) = listener {
            listener(report);
        }
    });
}

/// Calls `f` with every report of a failed request from now on (the app's "something went wrong" notice).
pub fn on_report(f: impl Fn(ErrorReport) + 'static) {
    LISTENER.set(Some(Box::new(f)));
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// Keeps a crash report for the next page load of this tab.
pub fn remember_crash(report: &ErrorReport) {
    if let (Some(storage), Ok(text)) = (session_storage(), serde_json::to_string(report)) {
        let _ = storage.set_item(CRASH_KEY, &text);
    }
}

/// The crash report the previous page load of this tab left, if any (taken: asked about once).
pub fn take_crash() -> Option<ErrorReport> {
    let storage = session_storage()?;
    let text = storage.get_item(CRASH_KEY).ok().flatten()?;
    let _ = storage.remove_item(CRASH_KEY);
    serde_json::from_str(&text).ok()
}

/// After a crash nothing of the app runs any more: say so in plain HTML, with a plain link to reload.
fn show_crash_notice() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Some(body), Ok(notice)) = (document.body(), document.create_element("div")) else { return };
    notice.set_class_name("crash-notice");
    let _ = notice.set_attribute("role", "alert");
    let text = document.create_element("p").ok();
    let link = document.create_element("a").ok();
    if let (Some(text), Some(link)) = (text, link) {
        text.set_text_content(Some(
            "ViNano ran into a problem and has to reload. It was reported automatically. ",
        ));
        let _ = link.set_attribute("href", "");
        link.set_text_content(Some("Reload"));
        let _ = text.append_child(&link);
        let _ = notice.append_child(&text);
        let _ = body.append_child(&notice);
    }
}

/// Installs the panic hook (console message and report) and the periodic flush.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let report = new_report("panic", &info.to_string());
        send_report(&report);
        remember_crash(&report);
        show_crash_notice();
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
