//! Moments as the person reads them: in the account's time zone (the browser's before sign-in), the day as
//! `2026-12-02` and the time to the minute with the zone's short name (`2026-12-02 16:06 GMT+8`,
//! `2026-12-02 08:06 UTC`). The server sends UTC; `Intl` knows every zone's rules.

use crate::state::session::use_session;
use leptos::prelude::*;
use vinano_api::Timestamp;
use wasm_bindgen::JsCast;

/// The zone moments are shown in.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    zone: Memo<Option<String>>,
}

/// The app's clock (inside a component).
pub fn use_clock() -> Clock {
    let session = use_session();
    Clock { zone: Memo::new(move |_| session.me.with(|m| m.as_ref().map(|m| m.time_zone.clone()))) }
}

/// The browser's IANA time zone (`Asia/Taipei`), if it says.
pub fn browser_zone() -> Option<String> {
    let options = format_in(None).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|v| v.as_string())
}

/// The options of every formatter here (`index.html` makes the browser's with the same ones).
fn options(zone: Option<&str>) -> js_sys::Object {
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    for key in ["year", "month", "day", "hour", "minute"] {
        set(key, if key == "year" { "numeric" } else { "2-digit" });
    }
    set("hourCycle", "h23");
    set("timeZoneName", "short");
    if let Some(zone) = zone {
        set("timeZone", zone);
    }
    options
}

/// The browser's formatter as `index.html` made it before the first paint (`window.vinanoClock`), while the
/// app downloads: making one costs several milliseconds on a phone, and the account's zone is usually the
/// browser's.
fn early_format() -> Option<js_sys::Intl::DateTimeFormat> {
    let early = js_sys::Reflect::get(&js_sys::global(), &"vinanoClock".into()).ok()?;
    let early: js_sys::Intl::DateTimeFormat = early.dyn_into().ok()?;
    // Only if it is the one this module would make.
    let made = early.resolved_options();
    let says = |key: &str, value: &str| {
        js_sys::Reflect::get(&made, &key.into()).ok().and_then(|v| v.as_string()).as_deref() == Some(value)
    };
    (says("locale", "en-GB")
        && says("hourCycle", "h23")
        && says("timeZoneName", "short")
        && says("year", "numeric"))
    .then_some(early)
}

thread_local! {
    // Making an `Intl.DateTimeFormat` takes about a millisecond (several on a phone), and a thread shows a
    // time on every message: one per time zone, made once.
    static FORMATS: std::cell::RefCell<std::collections::HashMap<Option<String>, js_sys::Intl::DateTimeFormat>> =
        Default::default();
}

/// The formatter that splits a moment into its parts in `zone` (the browser's when `None`).
fn format_in(zone: Option<&str>) -> js_sys::Intl::DateTimeFormat {
    if let Some(format) = FORMATS.with(|f| f.borrow().get(&zone.map(str::to_string)).cloned()) {
        return format;
    }
    let format = match zone {
        None => early_format().unwrap_or_else(|| new_format(None)),
        // The browser's own zone by name: its formatter already says the same.
        Some(name) if browser_zone().as_deref() == Some(name) => format_in(None),
        Some(name) => new_format(Some(name)),
    };
    FORMATS.with(|f| f.borrow_mut().insert(zone.map(str::to_string), format.clone()));
    format
}

/// A new formatter for `zone`. The parts are read by type, so the language's order and separators don't
/// matter.
fn new_format(zone: Option<&str>) -> js_sys::Intl::DateTimeFormat {
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&"en-GB".into()), &options(zone))
}

/// `(year, month, day, hour, minute, zone name)` of `at` in `zone` (the browser's when `None`).
fn parts(at: &Timestamp, zone: Option<&str>) -> Option<[String; 6]> {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&at.0));
    if date.get_time().is_nan() {
        return None;
    }
    let format = format_in(zone);
    let mut out: [String; 6] = Default::default();
    for part in format.format_to_parts(&date).iter() {
        let get = |key: &str| js_sys::Reflect::get(&part, &key.into()).ok().and_then(|v| v.as_string());
        let slot = match get("type").as_deref() {
            Some("year") => 0,
            Some("month") => 1,
            Some("day") => 2,
            Some("hour") => 3,
            Some("minute") => 4,
            Some("timeZoneName") => 5,
            _ => continue,
        };
        out[slot] = get("value").unwrap_or_default();
    }
    Some(out)
}

impl Clock {
    fn parts(&self, at: &Timestamp) -> Option<[String; 6]> {
        let zone = self.zone.get();
        // An unknown zone name (a browser without it) falls back to the browser's own.
        parts(at, zone.as_deref()).or_else(|| parts(at, None))
    }

    /// The day `at` falls on: `2026-12-02`.
    pub fn date(&self, at: &Timestamp) -> String {
        match self.parts(at) {
            Some([y, m, d, ..]) => format!("{y}-{m}-{d}"),
            None => at.date().to_string(),
        }
    }

    /// `at` to the minute: `2026-12-02 16:06 GMT+8`.
    pub fn minute(&self, at: &Timestamp) -> String {
        match self.parts(at) {
            Some([y, m, d, h, min, zone]) => format!("{y}-{m}-{d} {h}:{min} {zone}"),
            None => at.minute(),
        }
    }
}
