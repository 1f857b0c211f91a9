//! Photos shared to the installed app from another one (the phone's gallery, say): the service worker
//! keeps them and opens `/image?shared=1` (`public/sw.js`); the editor attaches them to a new conversation.

use crate::components::attachments::Attachments;
use crate::i18n::I18n;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// Attaches what was shared, if this page was opened by a share; says why when nothing came.
pub(super) fn receive(i18n: I18n, attachments: Attachments, error: RwSignal<Option<String>>) {
    let Some(shared) = use_query_map().with_untracked(|q| q.get("shared")) else { return };
    // A reload must not attach the same photos again.
    use_navigate()("/image", NavigateOptions { replace: true, ..Default::default() });
    match shared.as_str() {
        "1" => leptos::task::spawn_local(async move {
            let files = crate::state::pwa::take_shared().await;
            if files.is_empty() {
                error.set(Some(i18n.t("shared-lost")));
            } else {
                attachments.add_files(files, i18n);
            }
        }),
        "none" => error.set(Some(i18n.t("shared-none"))),
        _ => error.set(Some(i18n.t("shared-lost"))),
    }
}
