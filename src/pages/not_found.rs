//! Any unknown path.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// The 404 page.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{i18n.tr("not-found-title")}</h1>
            <p>{i18n.tr("not-found-body")}</p>
            <A href="/">{i18n.tr("not-found-home")}</A>
        </section>
    }
}
