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
