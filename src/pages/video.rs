//! `/video`: how to make clips. Videos are made in the editor, as the last step of an instruction.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

/// The AI Video page.
#[component]
pub fn Video() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{i18n.tr("video-title")}</h1>
            <p>{i18n.tr("video-body")}</p>
            <A href="/image" attr:class="btn btn-primary">{i18n.tr("video-open")}</A>
        </section>
    }
}
