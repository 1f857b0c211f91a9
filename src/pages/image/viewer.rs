//! The full-screen viewer: one version of the thread at a time, filling the screen.
//!
//! - zoom with a pinch, the wheel (about the pointer), a double tap or click, the +/− buttons or keys;
//! - pan by dragging (or ↑/↓ and Shift+←/→) once zoomed in;
//! - the previous or next version by a swipe, the ‹ › buttons or ←/→;
//! - the compare slider against the version it was made from;
//! - Escape (or ×) closes it, and focus goes back where it was (a modal `<dialog>`).

use super::zoom::{Gesture, View};
use crate::i18n::use_i18n;
use leptos::html::Dialog;
use leptos::prelude::*;
use vinano_api::ImageInfo;

/// The viewer over the thread's `versions`, showing the one `viewing` names (closed when `None`).
#[component]
pub(super) fn Viewer(
    /// The thread's versions, in order.
    versions: Vec<ImageInfo>,
    /// The version shown.
    viewing: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = versions.len();
    let all = StoredValue::new(versions);
    let index = Memo::new(move |_| {
        viewing.with(|v| v.as_ref().and_then(|id| all.with_value(|a| a.iter().position(|x| &x.id == id))))
    });
    let current = move || index.get().and_then(|i| all.with_value(|a| a.get(i).cloned()));
    let showing = Memo::new(move |_| current().is_some());
    let view_state = RwSignal::new(View::default());
    let gesture = StoredValue::new(Gesture::default());
    let comparing = RwSignal::new(false);
    let position = RwSignal::new(50u32);
    let stage = NodeRef::<leptos::html::Div>::new();
    let frame = NodeRef::<leptos::html::Div>::new();
    let dialog = NodeRef::<Dialog>::new();

    // Another version starts unzoomed, without the slider.
    Effect::new(move |_| {
        index.track();
        view_state.set(View::default());
        comparing.set(false);
    });
    crate::components::dialog::sync_modal(dialog, move || viewing.with(Option::is_some));
    let step = move |by: isize| {
        let Some(i) = index.get_untracked() else { return };
        let next = i as isize + by;
        if next >= 0 && (next as usize) < total {
            viewing.set(all.with_value(|a| a.get(next as usize).map(|v| v.id.clone())));
        }
    };
    // The frame's size before zooming, and the stage's centre: what zooming and panning work from.
    let geometry = move || {
        let (stage, frame) = (stage.get_untracked()?, frame.get_untracked()?);
        let rect = stage.get_bounding_client_rect();
        let centre = (rect.left() + rect.width() / 2.0, rect.top() + rect.height() / 2.0);
        Some((centre, (frame.offset_width() as f64, frame.offset_height() as f64)))
    };
    let zoom_at = move |factor: f64, at: Option<(f64, f64)>| {
        let Some((centre, size)) = geometry() else { return };
        let point = at.map_or((0.0, 0.0), |(x, y)| (x - centre.0, y - centre.1));
        view_state.update(|v| *v = v.zoomed(factor, point, size));
    };
    let pan = move |dx: f64, dy: f64| {
        let Some((_, size)) = geometry() else { return };
        view_state.update(|v| *v = v.panned(dx, dy, size));
    };

    // On the window, not the dialog: a key must still work after the focused button went away (the
    // compare button of a version without one before it).
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if viewing.with_untracked(Option::is_none) || ev.default_prevented() {
            return;
        }
        // The slider takes its own arrow keys.
        let on_slider = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
            .is_some();
        let zoomed = view_state.with_untracked(|v| v.scale > 1.0);
        match ev.key().as_str() {
            "ArrowLeft" | "ArrowRight" if on_slider => return,
            "ArrowLeft" if ev.shift_key() && zoomed => pan(80.0, 0.0),
            "ArrowRight" if ev.shift_key() && zoomed => pan(-80.0, 0.0),
            "ArrowLeft" => step(-1),
            "ArrowRight" => step(1),
            "ArrowUp" if zoomed => pan(0.0, 80.0),
            "ArrowDown" if zoomed => pan(0.0, -80.0),
            "+" | "=" => zoom_at(1.5, None),
            "-" | "_" => zoom_at(1.0 / 1.5, None),
            "0" => view_state.set(View::default()),
            _ => return,
        }
        ev.prevent_default();
    };

    let keys = window_event_listener(leptos::ev::keydown, on_key);
    on_cleanup(move || keys.remove());

    let pointer_down = move |ev: leptos::ev::PointerEvent| {
        if let Some(el) = stage.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        gesture.update_value(|g| g.down(ev.pointer_id(), (ev.client_x() as f64, ev.client_y() as f64)));
    };
    let pointer_move = move |ev: leptos::ev::PointerEvent| {
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        let Some(change) = gesture.try_update_value(|g| g.moved(ev.pointer_id(), at)).flatten() else {
            return;
        };
        match change {
            super::zoom::Change::Pan(dx, dy) => {
                if view_state.with_untracked(|v| v.scale > 1.0) {
                    pan(dx, dy);
                } else {
                    // Unzoomed, a drag is a swipe in the making: the picture follows the finger sideways.
                    view_state.update(|v| v.x += dx);
                }
            }
            super::zoom::Change::Pinch(factor, mid) => zoom_at(factor, Some(mid)),
        }
    };
    let pointer_up = move |ev: leptos::ev::PointerEvent| {
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        let now = js_sys::Date::now();
        let Some(end) = gesture.try_update_value(|g| g.up(ev.pointer_id(), at, now)).flatten() else {
            return;
        };
        let unzoomed = view_state.with_untracked(|v| v.scale <= 1.0);
        match end {
            super::zoom::End::Swipe(direction) if unzoomed => step(direction),
            super::zoom::End::DoubleTap(x, y) => {
                if unzoomed {
                    zoom_at(2.5, Some((x, y)));
                } else {
                    view_state.set(View::default());
                }
            }
            _ => {}
        }
        if view_state.with_untracked(|v| v.scale <= 1.0) {
            view_state.set(View::default());
        }
    };
    let wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let factor = (-ev.delta_y() / 300.0).exp().clamp(0.5, 2.0);
        zoom_at(factor, Some((ev.client_x() as f64, ev.client_y() as f64)));
    };

    let position_text = move || {
        index.get().map(|i| i18n.t_args("viewer-position", [("n", (i + 1).into()), ("total", total.into())]))
    };
    let before = move || current().and_then(|c| c.parent_id).map(|p| vinano_api::image_url(&p));
    let alt = move || current().map(|c| crate::components::describe(i18n, &c)).unwrap_or_default();
    view! {
        <dialog
            class="viewer"
            node_ref=dialog
            aria-label=i18n.tr("viewer-title")
            on:close=move |_| viewing.set(None)
        >
            <div class="viewer-bar">
                <p class="viewer-position" role="status">{position_text}</p>
                <button type="button" class="btn btn-ghost btn-small icon-button viewer-close" aria-label=i18n.tr("viewer-close") on:click=move |_| viewing.set(None)>
                    "×"
                </button>
                <div class="viewer-tools">
                    <button type="button" class="btn btn-ghost btn-small icon-button" aria-label=i18n.tr("viewer-zoom-out") title=i18n.tr("viewer-zoom-out") on:click=move |_| zoom_at(1.0 / 1.5, None)>
                        "−"
                    </button>
                    <button type="button" class="btn btn-ghost btn-small icon-button" aria-label=i18n.tr("viewer-zoom-in") title=i18n.tr("viewer-zoom-in") on:click=move |_| zoom_at(1.5, None)>
                        "+"
                    </button>
                    <Show when=move || before().is_some()>
                        <button
                            type="button"
                            class="btn btn-ghost btn-small"
                            aria-pressed=move || comparing.get().to_string()
                            on:click=move |_| comparing.update(|c| *c = !*c)
                        >
                            {i18n.tr("image-compare")}
                        </button>
                    </Show>
                    // Only while a version is shown: a link without an address is no link.
                    {move || showing.get().then(|| view! {
                        <a
                            class="btn btn-ghost btn-small"
                            href=move || current().map(|c| c.download_url("png"))
                            download
                        >
                            {i18n.tr("image-download")}
                        </a>
                    })}
                </div>
            </div>
            <div
                class="viewer-stage"
                node_ref=stage
                on:pointerdown=pointer_down
                on:pointermove=pointer_move
                on:pointerup=pointer_up
                on:pointercancel=move |ev| gesture.update_value(|g| g.cancel(ev.pointer_id()))
                on:wheel=wheel
            >
                <div
                    class="viewer-frame"
                    node_ref=frame
                    data-zoom=move || format!("{:.2}", view_state.get().scale)
                    style:transform=move || view_state.get().transform()
                >
                    <img class="viewer-image" src=move || current().map(|c| c.url()) alt=alt draggable="false"/>
                    <Show when=move || comparing.get()>
                        <img
                            class="viewer-before"
                            src=before
                            alt=i18n.tr("image-compare-before-alt")
                            draggable="false"
                            style:clip-path=move || format!("inset(0 {}% 0 0)", 100 - position.get())
                        />
                    </Show>
                </div>
            </div>
            <Show when=move || comparing.get()>
                <input
                    type="range"
                    class="viewer-slider"
                    min="0"
                    max="100"
                    aria-label=i18n.tr("image-compare-slider")
                    prop:value=move || position.get().to_string()
                    on:input=move |ev| position.set(event_target_value(&ev).parse().unwrap_or(50))
                />
            </Show>
            <button
                type="button"
                class="viewer-step viewer-previous"
                aria-label=i18n.tr("versions-previous")
                disabled=move || index.get().is_none_or(|i| i == 0)
                on:click=move |_| step(-1)
            >
                "‹"
            </button>
            <button
                type="button"
                class="viewer-step viewer-next"
                aria-label=i18n.tr("versions-next")
                disabled=move || index.get().is_none_or(|i| i + 1 >= total)
                on:click=move |_| step(1)
            >
                "›"
            </button>
        </dialog>
    }
}
