//! The pages emailed links open, and the form that sends one: `/verify-email?token=…`,
//! `/forgot-password`, `/reset-password?token=…`.

use crate::api;
use crate::components::form::{input_value as value, Submit, TextField};
use crate::components::requests::Requests;
use crate::components::{error_text, ErrorAlert};
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use vinano_api::{validate, ResetPassword};

/// Confirms an email address from the link in the message: done on arrival, no button to press.
#[component]
pub fn VerifyEmail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let token = use_query_map().with_untracked(|q| q.get("token").unwrap_or_default());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let requests = Requests::new();
    requests.call(async move { api::verify_email(&token).await }, move |answer| match answer {
        Ok(me) => {
            // Ask again now that the address is confirmed: the page's first "who am I" may have been
            // answered before, and whoever is signed in here may not be the link's owner.
            requests.refresh(api::me(), move |current| session.me.set(current));
            outcome.set(Some(Ok(me.email)));
        }
        Err(e) => outcome.set(Some(Err(error_text(i18n, &e)))),
    });
    view! {
        <section class="page narrow">
            <h1>{i18n.tr("verify-title")}</h1>
            {move || match outcome.get() {
                None => view! { <p>{i18n.tr("verify-working")}</p> }.into_any(),
                Some(Ok(email)) => {
                    view! {
                        <p role="status">{i18n.t_args("verify-done", [("email", email.into())])}</p>
                        <A href="/me" attr:class="btn btn-primary">{i18n.tr("verify-to-account")}</A>
                    }
                        .into_any()
                }
                Some(Err(message)) => view! { <p class="alert" role="alert">{message}</p> }.into_any(),
            }}
        </section>
    }
}

/// Asks for a password-reset link.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let email_ref = NodeRef::<Input>::new();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let sent = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let email = value(email_ref).trim().to_string();
        if let Err(e) = validate::email(&email) {
            form.invalid(e);
            return;
        }
        form.run(async move { api::forgot_password(&email).await }, move |()| sent.set(true));
    };
    view! {
        <section class="page narrow">
            <h1>{i18n.tr("forgot-title")}</h1>
            <Show
                when=move || sent.get()
                fallback=move || {
                    view! {
                        <p>{i18n.tr("forgot-lead")}</p>
                        <form class="form" on:submit=submit novalidate>
                            <TextField id="forgot-email" name="email" label="auth-email" kind="email" autocomplete="email" required=true errors=errors node_ref=email_ref/>
                            <ErrorAlert message=errors.general/>
                            <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                                {i18n.tr("forgot-submit")}
                            </button>
                        </form>
                    }
                }
            >
                <p role="status">{i18n.tr("forgot-sent")}</p>
            </Show>
            <p><A href="/login">{i18n.tr("nav-login")}</A></p>
        </section>
    }
}

/// Chooses a new password with the token from the emailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_query_map().with_untracked(|q| q.get("token").unwrap_or_default());
    let password_ref = NodeRef::<Input>::new();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let done = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let password = value(password_ref);
        if let Err(e) = validate::password(&password) {
            form.invalid(e);
            return;
        }
        let req = ResetPassword { token: token.clone(), password };
        form.run(async move { api::reset_password(&req).await }, move |()| done.set(true));
    };
    view! {
        <section class="page narrow">
            <h1>{i18n.tr("reset-title")}</h1>
            <Show
                when=move || done.get()
                fallback=move || {
                    view! {
                        <form class="form" on:submit=submit.clone() novalidate>
                            <TextField id="reset-password" name="password" label="reset-new-password" kind="password" autocomplete="new-password" hint="auth-password-hint" required=true errors=errors node_ref=password_ref/>
                            <ErrorAlert message=errors.general/>
                            <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                                {i18n.tr("reset-submit")}
                            </button>
                        </form>
                    }
                }
            >
                <p role="status">{i18n.tr("reset-done")}</p>
                <A href="/login" attr:class="btn btn-primary">{i18n.tr("nav-login")}</A>
            </Show>
        </section>
    }
}
