//! `/tools`: single-purpose tools (placeholder page until the tools exist).

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The AI Tools page.
#[component]
pub fn Tools() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{i18n.tr("tools-title")}</h1>
            <p>{i18n.tr("tools-body")}</p>
        </section>
    }
}
