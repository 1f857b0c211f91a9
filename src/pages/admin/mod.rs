//! `/me/admin`: the operator's controls, for administrators only (the server answers anyone else 404, and
//! Me shows the way here only to them): people, invitations, the partners whose sites embed the widget,
//! use and revenue by day, moderation and the audit log — each section a card, its tables scrolling sideways on a phone.

mod partners;
mod people;
mod reports;

use crate::components::signed_in::RequireSignIn;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The admin page.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = Memo::new(move |_| session.me.with(|m| m.as_ref().is_some_and(|m| m.is_admin)));
    // The audit log reads again after an act.
    let acted = RwSignal::new(0u32);
    view! {
        <section class="page admin">
            <p class="breadcrumb"><A href="/me">{i18n.tr("nav-me")}</A> " / "</p>
            <h1>{i18n.tr("admin-title")}</h1>
            <RequireSignIn need="admin-need-login">
                <Show
                    when=move || is_admin.get()
                    fallback=move || view! { <p class="notice">{i18n.tr("admin-only")}</p> }
                >
                    <people::People acted=acted/>
                    <reports::Invites acted=acted/>
                    <partners::Partners acted=acted/>
                    <reports::UsageByDay/>
                    <reports::ModerationLog/>
                    <reports::AuditLog acted=acted/>
                </Show>
            </RequireSignIn>
        </section>
    }
}

/// Me's way to the admin page, shown to administrators only.
#[component]
pub fn AdminLink() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.me.with(|m| m.as_ref().is_some_and(|m| m.is_admin)).then(|| {
            view! {
                <section class="card" aria-labelledby="admin-link-title">
                    <h2 id="admin-link-title">{i18n.tr("admin-title")}</h2>
                    <p>{i18n.tr("admin-lead")}</p>
                    <p class="actions"><A href="/me/admin" attr:class="btn">{i18n.tr("admin-open")}</A></p>
                </section>
            }
        })
    }
}
