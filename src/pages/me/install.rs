//! Me → The app: "Install the app", when the browser offers to install ViNano (and until it is installed).

use crate::i18n::use_i18n;
use crate::state::pwa::{self, use_pwa};
use leptos::prelude::*;

/// The install entry; nothing where the browser doesn't offer installation (or the app already runs
/// installed).
#[component]
pub fn InstallApp() -> impl IntoView {
    let i18n = use_i18n();
    let pwa = use_pwa();
    let installed = RwSignal::new(false);
    let install = move |_| {
        leptos::task::spawn_local(async move {
            if pwa::install().await {
                installed.set(true);
            }
        });
    };
    move || {
        (pwa.installable.get() || installed.get()).then(|| {
            view! {
                <section class="card" aria-labelledby="install-title">
                    <h2 id="install-title">{i18n.tr("pwa-install-title")}</h2>
                    <Show
                        when=move || !installed.get()
                        fallback=move || view! { <p role="status">{i18n.tr("pwa-installed")}</p> }
                    >
                        <p>{i18n.tr("pwa-install-body")}</p>
                        <button type="button" class="btn btn-primary" on:click=install>
                            {i18n.tr("pwa-install")}
                        </button>
                    </Show>
                </section>
            }
        })
    }
}
