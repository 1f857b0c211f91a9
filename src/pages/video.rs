//! `/video`: image-to-clip video (placeholder page until the video tools exist).

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The AI Video page.
#[component]
pub fn Video() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1>{i18n.tr("video-title")}</h1>
            <p>{i18n.tr("video-body")}</p>
        </section>
    }
}
