//! Me → Your data → Shared links: every link the person made that still works, with what it shows, until
//! when, how often it was opened; copy it again, open it, turn it off, or turn them all off at once.

use crate::api;
use crate::components::dialog::{use_dialogs, Confirm};
use crate::components::form::Submit;
use crate::components::time::use_clock;
use crate::components::toast::use_toasts;
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use vinano_api::{Share, ShareKind};

/// The section.
#[component]
pub(super) fn SharedLinks() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let toasts = use_toasts();
    let dialogs = use_dialogs();
    let links = LocalResource::new(api::shares);
    let act = Submit::new();
    let revoke = move |id: String| {
        act.run(async move { api::revoke_share(&id).await }, move |()| {
            toasts.note(i18n.t("data-share-revoked"));
            links.refetch();
        });
    };
    let revoke_all = move |_| {
        dialogs.confirm(Confirm {
            question: i18n.t("data-shares-revoke-all-confirm"),
            confirm: i18n.t("data-shares-revoke-all"),
            danger: true,
            then: Callback::new(move |()| {
                act.run(api::revoke_all_shares(), move |done| {
                    toasts.note(i18n.t_args("data-shares-all-revoked", [("count", done.revoked.into())]));
                    links.refetch();
                });
            }),
        });
    };
    let copy = move |url: String| {
        leptos::task::spawn_local(async move {
            let said = match crate::state::pwa::copy_text(&url).await {
                Ok(()) => "data-share-copied",
                Err(_) => "data-share-copy-failed",
            };
            toasts.note(i18n.t(said));
        });
    };
    let row = move |share: Share| {
        let what = match share.kind {
            ShareKind::Image => i18n.t("data-share-image"),
            ShareKind::Conversation => {
                i18n.t_args("data-share-conversation", [("title", share.title.clone().into())])
            }
        };
        let until = match &share.expires_at {
            Some(at) => i18n.t_args("data-share-until", [("date", clock.minute(at).into())]),
            None => i18n.t("data-share-always"),
        };
        let facts = format!(
            "{} · {until} · {}",
            i18n.t_args("data-share-made", [("date", clock.date(&share.created_at).into())]),
            i18n.t_args("data-share-views", [("count", share.views.into())])
        );
        let thumbnail = share.image_id.as_ref().map(|id| {
            let src = vinano_api::image_url(id) + "?size=256";
            view! { <img class="share-thumb" src=src alt="" width="48" height="48" loading="lazy"/> }
        });
        let (id, url) = (share.id.clone(), share.url.clone());
        let open = share.url.clone();
        view! {
            <li class="share-row">
                {thumbnail}
                <div class="share-what">
                    <strong>{what}</strong>
                    <span class="muted">{facts}</span>
                </div>
                <div class="share-actions">
                    <button type="button" class="btn btn-ghost btn-small" on:click=move |_| copy(url.clone())>{i18n.tr("data-share-copy")}</button>
                    <a class="btn btn-ghost btn-small" href=open target="_blank" rel="noopener">{i18n.tr("data-share-open")}</a>
                    <button type="button" class="btn btn-ghost btn-small danger" disabled=move || act.pending.get() on:click=move |_| revoke(id.clone())>
                        {i18n.tr("data-share-revoke")}
                    </button>
                </div>
            </li>
        }
    };
    view! {
        <h3 id="shared-links">{i18n.tr("data-shares")}</h3>
        <p class="muted">{i18n.tr("data-shares-lead")}</p>
        <Transition fallback=|| ()>
            {move || links.get().map(|answer| match answer {
                Ok(list) if list.is_empty() => view! { <p class="muted">{i18n.tr("data-shares-none")}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="share-list">{list.into_iter().map(row).collect_view()}</ul>
                    <button type="button" class="btn btn-ghost danger" disabled=move || act.pending.get() on:click=revoke_all>
                        {i18n.tr("data-shares-revoke-all")}
                    </button>
                }
                .into_any(),
                Err(e) => {
                    let message = RwSignal::new(Some(crate::components::error_text(i18n, &e)));
                    view! { <ErrorAlert message=message/> }.into_any()
                }
            })}
        </Transition>
        <ErrorAlert message=act.errors.general/>
    }
}
