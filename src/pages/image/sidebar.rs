//! The conversation list beside the thread: new conversation, the library, search, and "show more".

use super::{ListResource, PAGE};
use crate::components::error_text;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// The person's conversations, newest first, searchable.
#[component]
pub(super) fn Sidebar(
    /// The search words (the list is fetched for them).
    search: RwSignal<String>,
    /// How many conversations to fetch.
    page_size: RwSignal<u32>,
    /// The list.
    conversations: ListResource,
    /// On phones, whether the list is drawn over the thread (a drawer).
    open: RwSignal<bool>,
    /// Whether the list of keyboard shortcuts is shown.
    shortcuts: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    crate::components::overlay::close_on_escape(open);
    view! {
        <Show when=move || open.get()>
            <div class="drawer-backdrop" aria-hidden="true" on:click=move |_| open.set(false)></div>
        </Show>
        <aside
            class="conversations"
            class:open=move || open.get()
            aria-labelledby="conversations-heading"
            on:click=move |ev: leptos::ev::MouseEvent| {
                // Following a link (a conversation, a new one, the library) closes the drawer.
                let on_link = ev
                    .target()
                    .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                    .and_then(|el| el.closest("a").ok().flatten())
                    .is_some();
                if on_link {
                    open.set(false);
                }
            }
        >
            <div class="conversations-top">
                <h2 id="conversations-heading">{i18n.tr("image-conversations")}</h2>
                <button type="button" class="btn btn-ghost btn-small drawer-close" on:click=move |_| open.set(false)>
                    {i18n.tr("image-conversations-close")}
                </button>
            </div>
            <A href="/image" attr:class="btn btn-ghost new-conversation">{i18n.tr("image-new")}</A>
            <A href="/images" attr:class="library-link">{i18n.tr("library-title")}</A>
            <label for="conversation-search" class="visually-hidden">{i18n.tr("image-search")}</label>
            <input
                id="conversation-search"
                type="search"
                class="search"
                placeholder=i18n.tr("image-search-placeholder")
                prop:value=move || search.get()
                on:input=move |ev| {
                    page_size.set(PAGE);
                    search.set(event_target_value(&ev));
                }
            />
            {move || match conversations.get() {
                None => view! { <p class="muted">{i18n.tr("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="alert" role="alert">{error_text(i18n, &e)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    let key = if search.with(String::is_empty) { "image-no-conversations" } else { "image-no-matches" };
                    view! { <p class="muted">{i18n.t(key)}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    let more = list.len() as u32 >= page_size.get_untracked();
                    view! {
                        <ul class="conversation-list">
                            {list
                                .into_iter()
                                .map(|c| {
                                    view! { <li><A href=format!("/image/{}", c.id)>{c.title}</A></li> }
                                })
                                .collect_view()}
                        </ul>
                        <Show when=move || more>
                            <button type="button" class="btn btn-ghost btn-small" on:click=move |_| page_size.update(|n| *n += PAGE)>
                                {i18n.tr("image-show-more")}
                            </button>
                        </Show>
                    }
                        .into_any()
                }
            }}
            <button type="button" class="btn btn-ghost btn-small shortcuts-button" aria-keyshortcuts="?" on:click=move |_| shortcuts.set(true)>
                {i18n.tr("image-shortcuts")}
            </button>
        </aside>
    }
}
