//! A "⋯" button and the menu it opens: a popover beside the button on larger screens (upwards when the
//! button is low on the screen), a sheet from the bottom edge on phones. Escape, a tap outside or choosing
//! an item closes it.

use leptos::prelude::*;

/// The open menu, for its items (choosing one closes it).
#[derive(Clone, Copy)]
pub struct MenuState(RwSignal<bool>);

impl MenuState {
    /// Closes the menu.
    pub fn close(self) {
        self.0.set(false);
    }
}

/// The menu an item is in.
pub fn use_menu() -> MenuState {
    expect_context()
}

/// The button and its menu; `children` are the items, made when the menu is first opened (a thread has a
/// menu under every version: closed, they cost nothing to draw).
#[component]
pub fn Menu(
    /// The panel's element id.
    id: String,
    /// What the button says to screen readers (and as a tooltip).
    label: String,
    /// The items.
    children: Children,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let upwards = RwSignal::new(false);
    super::overlay::close_on_escape(open);
    provide_context(MenuState(open));
    let items = StoredValue::new_local(Some(children));
    let made = Memo::new(move |before: Option<&bool>| before.copied().unwrap_or(false) || open.get());
    let panel = move || {
        made.get().then(|| items.try_update_value(Option::take).flatten().map(|items| items())).flatten()
    };
    // Opened near an edge of the scrolling thread, the menu is scrolled into view as a whole. One that would
    // open upwards past the top of what scrolls (the thread's first message) opens downwards instead.
    let panel_ref = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(panel) = panel_ref.get_untracked() {
                request_animation_frame(move || {
                    let top = panel
                        .closest(".thread-scroll")
                        .ok()
                        .flatten()
                        .map_or(0.0, |s| s.get_bounding_client_rect().top());
                    if upwards.get_untracked() && panel.get_bounding_client_rect().top() < top {
                        upwards.set(false);
                    }
                    request_animation_frame(move || {
                        let options = web_sys::ScrollIntoViewOptions::new();
                        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                        panel.scroll_into_view_with_scroll_into_view_options(&options);
                    });
                });
            }
        }
    });
    view! {
        <div class="menu">
            <button
                type="button"
                class="btn btn-ghost btn-small icon-button menu-button"
                aria-expanded=move || open.get().to_string()
                aria-controls=id.clone()
                aria-label=label.clone()
                title=label.clone()
                on:click=move |ev| {
                    upwards.set(super::overlay::in_lower_half(&ev));
                    open.update(|o| *o = !*o);
                }
            >
                <span aria-hidden="true">"⋯"</span>
            </button>
            <Show when=move || open.get()>
                <div class="menu-backdrop" on:click=move |_| open.set(false)></div>
            </Show>
            <div id=id node_ref=panel_ref class="menu-panel" class:upwards=move || upwards.get() role="group" aria-label=label hidden=move || !open.get()>
                {panel}
            </div>
        </div>
    }
}
