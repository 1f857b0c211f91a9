//! `/login` and `/signup`.

use crate::api::{self, ApiError};
use crate::components::{error_text, ErrorAlert};
use crate::i18n::{use_i18n, I18n};
use crate::state::session::{use_session, Session};
use crate::state::today;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use std::future::Future;
use vinano_api::{validate, LoginRequest, Me, SignupRequest};

/// The state both account forms share, and how a submission resolves.
#[derive(Clone, Copy)]
struct AuthForm {
    i18n: I18n,
    session: Session,
    error: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
}

impl AuthForm {
    /// Runs `call`; on success stores the signed-in person and runs `then`, otherwise shows the error.
    fn submit(
        self,
        call: impl Future<Output = Result<Me, ApiError>> + 'static,
        then: impl FnOnce() + 'static,
    ) {
        self.pending.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            match call.await {
                Ok(me) => {
                    self.session.me.set(Some(me));
                    then();
                }
                Err(e) => self.error.set(Some(error_text(self.i18n, &e))),
            }
            self.pending.set(false);
        });
    }
}

fn value(node: NodeRef<Input>) -> String {
    node.get().map(|el| el.value()).unwrap_or_default()
}

/// The log-in form.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let login_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req = LoginRequest { login: value(login_ref).trim().to_string(), password: value(password_ref) };
        let navigate = navigate.clone();
        let form = AuthForm { i18n, session, error, pending };
        form.submit(async move { api::login(&req).await }, move || navigate("/image", Default::default()));
    };

    view! {
        <section class="page narrow">
            <h1>{i18n.tr("auth-login-title")}</h1>
            <form class="form" on:submit=submit novalidate>
                <label for="login-login">{i18n.tr("auth-login-field")}</label>
                <input id="login-login" name="login" autocomplete="username" required node_ref=login_ref/>
                <label for="login-password">{i18n.tr("auth-password")}</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" required node_ref=password_ref/>
                <ErrorAlert message=error/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t("auth-working") } else { i18n.t("auth-submit-login") }}
                </button>
            </form>
            <p>{i18n.tr("auth-no-account")} " " <A href="/signup">{i18n.tr("nav-signup")}</A></p>
        </section>
    }
}

/// The sign-up form. Validation (including the age gate) runs here first for instant feedback; the server
/// applies the same rules from `vinano-api`.
#[component]
pub fn Signup() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let name_ref = NodeRef::<Input>::new();
    let email_ref = NodeRef::<Input>::new();
    let username_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let dob_ref = NodeRef::<Input>::new();
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req = SignupRequest {
            name: value(name_ref),
            email: value(email_ref),
            username: value(username_ref),
            password: value(password_ref),
            date_of_birth: value(dob_ref),
        };
        if let Err(e) = validate::signup(&req, today()) {
            error.set(Some(e.message));
            return;
        }
        let navigate = navigate.clone();
        let form = AuthForm { i18n, session, error, pending };
        form.submit(async move { api::signup(&req).await }, move || navigate("/image", Default::default()));
    };
    let max_date = today().to_string();

    view! {
        <section class="page narrow">
            <h1>{i18n.tr("auth-signup-title")}</h1>
            <form class="form" on:submit=submit novalidate>
                <label for="signup-name">{i18n.tr("auth-name")}</label>
                <input id="signup-name" name="name" autocomplete="name" required node_ref=name_ref/>
                <label for="signup-email">{i18n.tr("auth-email")}</label>
                <input id="signup-email" name="email" type="email" autocomplete="email" required node_ref=email_ref/>
                <label for="signup-username">{i18n.tr("auth-username")}</label>
                <input id="signup-username" name="username" autocomplete="username" required aria-describedby="signup-username-hint" node_ref=username_ref/>
                <small id="signup-username-hint" class="hint">{i18n.tr("auth-username-hint")}</small>
                <label for="signup-password">{i18n.tr("auth-password")}</label>
                <input id="signup-password" name="password" type="password" autocomplete="new-password" required aria-describedby="signup-password-hint" node_ref=password_ref/>
                <small id="signup-password-hint" class="hint">{i18n.tr("auth-password-hint")}</small>
                <label for="signup-dob">{i18n.tr("auth-dob")}</label>
                <input id="signup-dob" name="date_of_birth" type="date" max=max_date required aria-describedby="signup-dob-hint" node_ref=dob_ref/>
                <small id="signup-dob-hint" class="hint">{i18n.tr("auth-dob-hint")}</small>
                <ErrorAlert message=error/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t("auth-working") } else { i18n.t("auth-submit-signup") }}
                </button>
                <p class="muted">{i18n.tr("auth-privacy-note")}</p>
            </form>
            <p>{i18n.tr("auth-have-account")} " " <A href="/login">{i18n.tr("nav-login")}</A></p>
        </section>
    }
}
