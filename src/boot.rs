//! The frame `index.html` paints while the app downloads (`#boot`), and how it makes way for the app.

use leptos::prelude::{document, set_timeout, window_event_listener_untyped};

/// The longest the frame stays over the started app when it shows a conversation's newest result.
const HAND_OVER_AT_MOST: std::time::Duration = std::time::Duration::from_secs(3);

/// Makes way for the app, which is about to be mounted. The frame goes, unless it shows a conversation's
/// newest result (index.html paints it from its early answers): then it stays over the app until the
/// thread shows the same picture ([`handed_over`]), 3 s at most, so that the picture doesn't vanish while
/// the editor's chunk starts and the thread is drawn.
pub fn make_way() {
    let Some(boot) = document().get_element_by_id("boot") else { return };
    // (A picture still on its way — the app is held back for 3 s at most — has nothing on screen to keep.)
    let shown = |picture: &web_sys::Element| {
        let read = |name: &str| js_sys::Reflect::get(picture, &name.into()).ok();
        read("complete").and_then(|v| v.as_bool()) == Some(true)
            && read("naturalWidth").and_then(|v| v.as_f64()).is_some_and(|w| w > 0.0)
    };
    if !boot.query_selector("img.boot-preview").ok().flatten().is_some_and(|p| shown(&p)) {
        boot.remove();
        return;
    }
    // The app has started: its progress bar goes (index.html's "couldn't start" takes its place on any
    // uncaught error, which from now on is the app's business).
    if let Some(progress) = boot.query_selector(".boot-progress").ok().flatten() {
        progress.remove();
    }
    // Out of the page's flow before the app is mounted, so nothing of the app moves when it goes; and out of
    // the accessibility tree (a second banner), which the app beneath it now is.
    let _ = boot.set_attribute("class", "boot-over");
    let _ = boot.set_attribute("aria-hidden", "true");
    set_timeout(handed_over, HAND_OVER_AT_MOST);
    // A tap or a key meant for the app is for the app: the frame goes at once.
    for event in ["pointerdown", "keydown"] {
        _ = window_event_listener_untyped(event, |_| handed_over());
    }
}

/// The thread shows its newest result (or knows it can't): the frame kept over the app goes.
pub fn handed_over() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
}
