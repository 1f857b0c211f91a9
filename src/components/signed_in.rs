//! Pages for signed-in people.

use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// Shows its children to a signed-in person: "Loading…" until the app knows who is signed in, an
/// invitation to log in or sign up otherwise. The children are made again when someone signs in or out,
/// not on every change to the account (a saved form keeps its "Saved." note, the editor its state).
#[component]
pub fn RequireSignIn(
    /// The i18n key of what to tell someone signed out.
    need: &'static str,
    /// For a page without a frame of its own (the editor): the i18n key of the heading the invitation
    /// shows under.
    #[prop(optional)]
    title: Option<&'static str>,
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let who = Memo::new(move |_| session.me.with(|m| m.as_ref().map(|m| m.id.clone())));
    move || match who.get() {
        Some(_) => children().into_any(),
        None if !session.checked.get() => {
            view! { <p class:page=title.is_some()>{i18n.tr("loading")}</p> }.into_any()
        }
        None => {
            let invitation = view! {
                <p>{i18n.tr(need)}</p>
                <div class="hero-actions">
                    <A href="/login" attr:class="btn btn-primary">{i18n.tr("nav-login")}</A>
                    <A href="/signup" attr:class="btn btn-ghost">{i18n.tr("nav-signup")}</A>
                </div>
            };
            match title {
                Some(title) => view! {
                    <section class="page narrow">
                        <h1>{i18n.tr(title)}</h1>
                        {invitation}
                    </section>
                }
                .into_any(),
                None => invitation.into_any(),
            }
        }
    }
}
