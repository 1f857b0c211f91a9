//! `/`: what ViNano does and where to start.

use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section class="hero">
            <h1>{i18n.tr("home-title")}</h1>
            <p class="lead">{i18n.tr("home-lead")}</p>
            <div class="hero-actions">
                <A href="/image" attr:class="btn btn-primary btn-large">{i18n.tr("home-cta")}</A>
                <Show when=move || !session.signed_in()>
                    <A href="/signup" attr:class="btn btn-ghost btn-large">{i18n.tr("home-cta-signup")}</A>
                </Show>
            </div>
        </section>
        <ul class="features">
            <li>{i18n.tr("home-feature-chat")}</li>
            <li>{i18n.tr("home-feature-versions")}</li>
            <li>{i18n.tr("home-feature-private")}</li>
        </ul>
    }
}
