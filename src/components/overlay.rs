//! Things drawn over the page (a sheet, a drawer, a popover): how they close.

use leptos::prelude::*;

/// Escape closes what `open` shows, wherever the focus is, while the view lives.
pub fn close_on_escape(open: RwSignal<bool>) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Whether the element an event came from sits in the lower half of the window (a popover it opens should
/// then open upwards).
pub fn in_lower_half(ev: &leptos::ev::MouseEvent) -> bool {
    use wasm_bindgen::JsCast;
    let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    let height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    el.get_bounding_client_rect().bottom() > height / 2.0
}
