//! `/me`: the signed-in person's account (Me → Account) and its security (Me → Security).

mod account;
mod data;
mod export;
mod privacy;
mod security;

pub(super) use crate::components::form::input_value as value;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use account::Profile;
use data::YourData;
use leptos::prelude::*;
use leptos_router::components::A;
use privacy::Privacy;
use security::{ChangePasswordForm, Sessions};

/// The Me page.
#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let signed_in = Memo::new(move |_| session.me.with(|m| m.as_ref().map(|m| m.id.clone())));
    view! {
        <section class="page">
            <h1>{i18n.tr("me-title")}</h1>
            // Rebuilt when someone signs in or out, not on every change to the account (a saved profile keeps
            // its form and its "Saved." note).
            {move || match signed_in.get() {
                Some(_) => {
                    let Some(me) = session.me.get_untracked() else { return ().into_any() };
                    view! {
                        <Profile me=me/>
                        <section class="card" aria-labelledby="security-title">
                            <h2 id="security-title">{i18n.tr("me-security")}</h2>
                            <ChangePasswordForm/>
                            <Sessions/>
                        </section>
                        <Privacy/>
                        <YourData/>
                    }
                        .into_any()
                }
                None if !session.checked.get() => view! { <p>{i18n.tr("loading")}</p> }.into_any(),
                None => {
                    view! {
                        <p>{i18n.tr("me-need-login")}</p>
                        <A href="/login" attr:class="btn btn-primary">{i18n.tr("nav-login")}</A>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
