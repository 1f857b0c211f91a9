//! `/me`: the signed-in person's account (Me → Account) and its security (Me → Security).

mod account;
mod appearance;
mod cards;
mod consents;
mod data;
mod export;
mod install;
mod invoices;
mod privacy;
mod security;
mod shares;
mod subscription;

pub use subscription::{money, price};

pub(super) use crate::components::form::input_value as value;
use crate::components::signed_in::RequireSignIn;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use account::Profile;
use data::YourData;
use leptos::prelude::*;
use privacy::Privacy;
use security::{ChangePasswordForm, Sessions};

/// The Me page.
#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let connectivity = crate::state::connectivity::use_connectivity();
    view! {
        <section class="page">
            <h1>{i18n.tr("me-title")}</h1>
            <RequireSignIn need="me-need-login">
                {move || session.me.get_untracked().map(|me| view! { <Profile me=me/> })}
                <section class="card" aria-labelledby="security-title">
                    <h2 id="security-title">{i18n.tr("me-security")}</h2>
                    <ChangePasswordForm/>
                    <Sessions/>
                </section>
                <subscription::Subscription/>
                <crate::pages::admin::AdminLink/>
                <Privacy/>
                <YourData/>
            </RequireSignIn>
            // After the account (once the app knows whose it is), so it doesn't jump down when that loads.
            // (And offline, where the account may never load but the appearance still works.)
            <Show when=move || {
                session.checked.get() || session.me.with(Option::is_some) || !connectivity.online()
            }>
                <appearance::Appearance/>
                <install::InstallApp/>
            </Show>
        </section>
    }
}
