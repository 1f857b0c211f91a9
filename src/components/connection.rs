//! What every page says about the app itself: that the server can't be reached (and what happens to what
//! the person writes meanwhile), and that a new version is ready.

use crate::i18n::use_i18n;
use crate::state::connectivity::use_connectivity;
use crate::state::pwa::{apply_update, use_pwa};
use leptos::prelude::*;

/// "You're offline" while no request gets an answer. The live region is always there, so the change is
/// announced.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let i18n = use_i18n();
    let connectivity = use_connectivity();
    view! {
        <div class="offline-slot" role="status">
            {move || (!connectivity.online()).then(|| view! {
                <p class="offline-banner">
                    <strong>{i18n.tr("offline-title")}</strong>
                    " "
                    <span>{i18n.tr("offline-body")}</span>
                </p>
            })}
        </div>
    }
}

/// "A new version is ready — Reload" once the service worker has installed a new build.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let pwa = use_pwa();
    move || {
        pwa.update_ready.get().then(|| {
            view! {
                <div class="policy-banner update-banner" role="status">
                    <span>{i18n.tr("update-ready")}</span>
                    <button type="button" class="btn btn-primary btn-small" on:click=move |_| apply_update()>
                        {i18n.tr("update-reload")}
                    </button>
                </div>
            }
        })
    }
}
