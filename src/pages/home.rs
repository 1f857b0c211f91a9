//! `/`: what ViNano does and where to start. The page itself is in the app's frame (a first visit loads
//! nothing else); for a signed-in person, the box that starts a conversation, the shortcuts and their recent
//! creations come in a chunk of their own (`start.rs`, `routes::home_start`).

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
            <Show
                when=move || session.signed_in()
                fallback=move || {
                    view! {
                        <div class="hero-actions">
                            <A href="/image" attr:class="btn btn-primary btn-large">{i18n.tr("home-cta")}</A>
                            <A href="/signup" attr:class="btn btn-ghost btn-large">{i18n.tr("home-cta-signup")}</A>
                        </div>
                    }
                }
            >
                {
                    // The chunk mounts its part into this box, under this branch's owner (its contexts, its
                    // lifetime): the frame holds no code of it. If it can't be downloaded, the way into the
                    // editor stands in for it.
                    let slot = NodeRef::<leptos::html::Div>::new();
                    let failed = RwSignal::new(false);
                    let owner = Owner::current();
                    Effect::new(move |_| {
                        if let (Some(slot), Some(owner)) = (slot.get(), owner.clone()) {
                            leptos::task::spawn_local(async move {
                                failed.set(!crate::routes::home_start(slot.into(), owner).await);
                            });
                        }
                    });
                    view! {
                        <div node_ref=slot></div>
                        <Show when=move || failed.get()>
                            <div class="hero-actions">
                                <A href="/image" attr:class="btn btn-primary btn-large">{i18n.tr("home-cta")}</A>
                            </div>
                        </Show>
                    }
                }
            </Show>
        </section>
        <Show when=move || !session.signed_in()>
            <ul class="features">
                <li>{i18n.tr("home-feature-chat")}</li>
                <li>{i18n.tr("home-feature-versions")}</li>
                <li>{i18n.tr("home-feature-private")}</li>
            </ul>
        </Show>
    }
}
