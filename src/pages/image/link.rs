//! "Share a link": a read-only link to one version (its menu) or to the whole conversation (the title's
//! menu), made in a dialog that first asks how long it should work, then shows the link to copy or hand to
//! the system share sheet. Nothing is shared until the person makes a link; Me → Your data lists them.

use crate::api;
use crate::components::form::Submit;
use crate::components::time::use_clock;
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use leptos::html::Dialog;
use leptos::prelude::*;
use vinano_api::{NewShare, Share, ShareExpiry};

/// What a link is being made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareWhat {
    /// One version, by id.
    Image(String),
    /// A conversation, by id.
    Conversation(String),
}

/// The words for how long a link works.
fn expiry_key(expiry: ShareExpiry) -> &'static str {
    match expiry {
        ShareExpiry::Day => "share-expiry-day",
        ShareExpiry::Week => "share-expiry-week",
        ShareExpiry::Month => "share-expiry-month",
        ShareExpiry::Never => "share-expiry-never",
    }
}

/// The dialog, open while `sharing` names something.
#[component]
pub(super) fn ShareDialog(
    /// What a link is being made for; `None` closes the dialog.
    sharing: RwSignal<Option<ShareWhat>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let dialog = NodeRef::<Dialog>::new();
    crate::components::dialog::sync_modal(dialog, move || sharing.with(Option::is_some));
    let expiry = RwSignal::new(ShareExpiry::default());
    let made = RwSignal::new(None::<Share>);
    let act = Submit::new();
    let note = RwSignal::new(None::<String>);
    // Each opening starts again: a new choice, no link yet.
    Effect::new(move |_| {
        if sharing.with(Option::is_some) {
            made.set(None);
            note.set(None);
            expiry.set(ShareExpiry::default());
            act.errors.clear();
        }
    });
    let close = move || sharing.set(None);
    let create = move |_| {
        let Some(what) = sharing.get_untracked() else { return };
        let mut new = NewShare { expires: expiry.get_untracked(), ..Default::default() };
        match what {
            ShareWhat::Image(id) => new.image_id = Some(id),
            ShareWhat::Conversation(id) => new.conversation_id = Some(id),
        }
        act.run(async move { api::create_share(&new).await }, move |share| made.set(Some(share)));
    };
    let url = move || made.with_untracked(|m| m.as_ref().map(|m| m.url.clone()));
    let copy = move |_| {
        let Some(url) = url() else { return };
        leptos::task::spawn_local(async move {
            let said = match crate::state::pwa::copy_text(&url).await {
                Ok(()) => "share-link-copied",
                Err(_) => "share-link-copy-failed",
            };
            note.set(Some(i18n.t(said)));
        });
    };
    let share_sheet = move |_| {
        let Some(url) = url() else { return };
        let title = i18n.t("app-name");
        leptos::task::spawn_local(async move {
            if crate::state::pwa::share_link(&url, &title).await.is_err() {
                note.set(Some(i18n.t("share-link-failed")));
            }
        });
    };
    let title = move || match sharing.get() {
        Some(ShareWhat::Conversation(_)) => i18n.t("share-conversation-title"),
        _ => i18n.t("share-image-title"),
    };
    let choose = move || {
        let choices = ShareExpiry::ALL
            .into_iter()
            .map(|choice| {
                let id = format!("share-expiry-{}", choice.as_str());
                view! {
                    <div class="check">
                        <input
                            type="radio"
                            name="share-expiry"
                            id=id.clone()
                            prop:checked=move || expiry.get() == choice
                            on:change=move |_| expiry.set(choice)
                        />
                        <label for=id>{i18n.tr(expiry_key(choice))}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="share-expiry">
                <legend>{i18n.tr("share-expiry-legend")}</legend>
                {choices}
            </fieldset>
            <ErrorAlert message=act.errors.general/>
            <div class="dialog-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| close()>{i18n.tr("dialog-cancel")}</button>
                <button type="button" class="btn btn-primary" id="share-create" on:click=create disabled=move || act.pending.get()>
                    {i18n.tr("share-create")}
                </button>
            </div>
        }
    };
    let link = move |share: Share| {
        let until = match &share.expires_at {
            Some(at) => i18n.t_args("share-works-until", [("date", clock.minute(at).into())]),
            None => i18n.t("share-works-always"),
        };
        let share_button = crate::state::pwa::can_share_links().then(|| {
            view! { <button type="button" class="btn btn-ghost" on:click=share_sheet>{i18n.tr("share-link-share")}</button> }
        });
        view! {
            <label for="share-url">{i18n.tr("share-link-label")}</label>
            <input
                id="share-url"
                class="share-url"
                readonly
                value=share.url.clone()
                on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }
            />
            <p class="muted">{until}</p>
            <p role="status" class="share-note">{move || note.get()}</p>
            <div class="dialog-actions">
                {share_button}
                <button type="button" class="btn btn-ghost" id="share-copy" on:click=copy>{i18n.tr("share-link-copy")}</button>
                <button type="button" class="btn btn-primary" on:click=move |_| close()>{i18n.tr("dialog-close")}</button>
            </div>
        }
    };
    view! {
        <dialog class="dialog share-dialog" node_ref=dialog aria-labelledby="share-title" on:close=move |_| close()>
            <h2 id="share-title">{title}</h2>
            <p class="muted">{i18n.tr("share-lead")}</p>
            {move || match made.get() {
                Some(share) => link(share).into_any(),
                None => choose().into_any(),
            }}
        </dialog>
    }
}
