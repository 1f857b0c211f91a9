//! `/me`: the signed-in person's account.

use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The Me page.
#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section class="page">
            <h1>{i18n.tr("me-title")}</h1>
            {move || match session.me.get() {
                Some(me) => {
                    let since = me.created_at.get(..10).unwrap_or_default().to_string();
                    view! {
                        <div class="card">
                            <h2>{i18n.tr("me-account")}</h2>
                            <p>{i18n.t_args("me-signed-in-as", [("name", me.name.clone().into())])}</p>
                            <dl class="facts">
                                <dt>{i18n.tr("auth-email")}</dt>
                                <dd>{me.email.clone()}</dd>
                                <dt>{i18n.tr("auth-username")}</dt>
                                <dd>{me.username.clone()}</dd>
                                <dt>{i18n.tr("auth-dob")}</dt>
                                <dd>{me.date_of_birth.to_string()}</dd>
                            </dl>
                            <p class="muted">{i18n.t_args("me-member-since", [("date", since.into())])}</p>
                        </div>
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
