//! The open conversation's header: its title, and a menu to rename it (in place), share a link to it, flag
//! it for commercial use, or delete it.

use super::{ListResource, ThreadResource};
use crate::api;
use crate::components::form::Submit;
use crate::components::menu::{use_menu, Menu};
use crate::components::requests::Requests;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The open conversation's title with rename and delete.
#[component]
pub(super) fn ConversationHeader(
    /// The open conversation.
    conversation: vinano_api::Conversation,
    /// The thread, refreshed after a rename.
    thread: ThreadResource,
    /// The list, refreshed after a rename or delete.
    conversations: ListResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let editing = RwSignal::new(false);
    let act = Submit::new();
    let (busy, error) = (act.pending, act.errors.general);
    let requests = Requests::new();
    let title_ref = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(input) = title_ref.get() {
            let _ = input.focus();
        }
    });
    let id = StoredValue::new(conversation.id.clone());
    let title = conversation.title.clone();
    let commercial = RwSignal::new(conversation.commercial);
    let sharing = super::use_editor().sharing;

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new_title = title_ref.get_untracked().map(|i| i.value()).unwrap_or_default();
        act.run(async move { api::rename_conversation(&id.get_value(), &new_title).await }, move |_| {
            editing.set(false);
            thread.refetch();
            conversations.refetch();
        });
    };
    let toasts = crate::components::toast::use_toasts();
    let dialogs = crate::components::dialog::use_dialogs();
    let navigate = StoredValue::new(navigate);
    let delete = move |_| {
        if busy.get_untracked() {
            return;
        }
        let run = move |()| {
            act.run(async move { api::delete_conversation(&id.get_value()).await }, move |kept| {
                // Some content is kept for legal reasons: the person is told so.
                if let Some(kept) = kept {
                    toasts.note(i18n.said(kept.message_said.as_ref(), &kept.message));
                }
                conversations.refetch();
                navigate.with_value(|go| go("/image", Default::default()));
            });
        };
        dialogs.confirm(crate::components::dialog::Confirm {
            question: i18n.t("image-delete-confirm"),
            confirm: i18n.t("image-delete"),
            danger: true,
            then: Callback::new(run),
        });
    };

    view! {
        <div class="conversation-header">
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! { <h2 class="conversation-title">{title.clone()}</h2> }
                }
            >
                <form class="rename-form" on:submit=save>
                    <label for="rename-title" class="visually-hidden">{i18n.tr("image-rename-label")}</label>
                    <input id="rename-title" node_ref=title_ref value=conversation.title.clone() maxlength="200"/>
                    <button type="submit" class="btn btn-primary btn-small" disabled=move || busy.get()>
                        {i18n.tr("image-rename-save")}
                    </button>
                    <button type="button" class="btn btn-ghost btn-small" on:click=move |_| editing.set(false)>
                        {i18n.tr("image-rename-cancel")}
                    </button>
                </form>
            </Show>
            <Menu id="conversation-menu".to_string() label=i18n.t("image-conversation-menu")>
                {
                    let menu = use_menu();
                    view! {
                        <button
                            type="button"
                            class="menu-item"
                            on:click=move |_| {
                                menu.close();
                                editing.set(true);
                            }
                        >
                            {i18n.tr("image-rename")}
                        </button>
                        <button
                            type="button"
                            class="menu-item"
                            on:click=move |_| {
                                menu.close();
                                sharing.set(Some(super::link::ShareWhat::Conversation(id.get_value())));
                            }
                        >
                            {i18n.tr("share-conversation")}
                        </button>
                        <div class="check menu-check">
                            <input
                                id="conversation-commercial"
                                type="checkbox"
                                prop:checked=move || commercial.get()
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    requests.call(async move { api::set_conversation_commercial(&id.get_value(), on).await }, move |answer| match answer {
                                        Ok(c) => commercial.set(c.commercial),
                                        Err(e) => {
                                            error.set(Some(error_text(i18n, &e)));
                                            // Not saved: the box shows the flag as it still is.
                                            commercial.notify();
                                        }
                                    });
                                }
                            />
                            <label for="conversation-commercial">{i18n.tr("image-conversation-commercial")}</label>
                        </div>
                        <button
                            type="button"
                            class="menu-item danger"
                            on:click=move |ev| {
                                menu.close();
                                delete(ev);
                            }
                            disabled=move || busy.get()
                        >
                            {i18n.tr("image-delete")}
                        </button>
                    }
                }
            </Menu>
            <ErrorAlert message=error/>
        </div>
    }
}
