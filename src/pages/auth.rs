//! `/login` and `/signup`.

use crate::api::{self, ApiError};
use crate::components::form::{input_value as value, FieldMessage, FormErrors};
use crate::components::ErrorAlert;
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
    errors: FormErrors,
    pending: RwSignal<bool>,
}

impl AuthForm {
    /// Runs `call`; on success stores the signed-in person and runs `then`, otherwise shows the error (under
    /// its field when the server names one).
    fn submit(
        self,
        call: impl Future<Output = Result<Me, ApiError>> + 'static,
        then: impl FnOnce() + 'static,
    ) {
        self.pending.set(true);
        self.errors.clear();
        leptos::task::spawn_local(async move {
            match call.await {
                Ok(me) => {
                    self.session.me.set(Some(me));
                    then();
                }
                Err(e) => self.errors.api(self.i18n, &e),
            }
            self.pending.set(false);
        });
    }
}

fn checked(node: NodeRef<Input>) -> bool {
    node.get().is_some_and(|el| el.checked())
}

/// The log-in form.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let login_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let errors = FormErrors::new();
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req = LoginRequest { login: value(login_ref).trim().to_string(), password: value(password_ref) };
        let navigate = navigate.clone();
        let form = AuthForm { i18n, session, errors, pending };
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
                <ErrorAlert message=errors.general/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t("auth-working") } else { i18n.t("auth-submit-login") }}
                </button>
            </form>
            <p><A href="/forgot-password">{i18n.tr("auth-forgot-link")}</A></p>
            <p>{i18n.tr("auth-no-account")} " " <A href="/signup">{i18n.tr("nav-signup")}</A></p>
        </section>
    }
}

/// The sign-up form. Validation (including the age gate and the statements to accept) runs here first for
/// instant feedback; the server applies the same rules from `vinano-api`. Errors appear under their field.
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
    let terms_ref = NodeRef::<Input>::new();
    let privacy_ref = NodeRef::<Input>::new();
    let responsibility_ref = NodeRef::<Input>::new();
    let errors = FormErrors::new();
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
            accept_terms: checked(terms_ref),
            accept_privacy: checked(privacy_ref),
            accept_responsibility: checked(responsibility_ref),
            language: Some(i18n.locale().tag().to_string()),
        };
        if let Err(e) = validate::signup(&req, today()) {
            errors.invalid(i18n, e);
            return;
        }
        let navigate = navigate.clone();
        let form = AuthForm { i18n, session, errors, pending };
        form.submit(async move { api::signup(&req).await }, move || navigate("/image", Default::default()));
    };
    let max_date = today().to_string();
    let field = move |id: &'static str,
                      name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      autocomplete: &'static str,
                      hint: Option<&'static str>,
                      node: NodeRef<Input>| {
        let hint_id = hint.map(|_| match name {
            "username" => "signup-username-hint",
            "password" => "signup-password-hint",
            _ => "signup-dob-hint",
        });
        view! {
            <label for=id>{i18n.tr(label)}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required
                aria-invalid=errors.aria_invalid(name)
                aria-describedby=errors.described_by(name, hint_id)
                node_ref=node
            />
            {hint.zip(hint_id).map(|(key, id)| view! { <small id=id class="hint">{i18n.tr(key)}</small> })}
            <FieldMessage field=name errors=errors/>
        }
    };
    let accept = move |id: &'static str, name: &'static str, label: &'static str, node: NodeRef<Input>| {
        view! {
            <div class="check">
                <input
                    id=id
                    name=name
                    type="checkbox"
                    aria-invalid=errors.aria_invalid(name)
                    aria-describedby=errors.described_by(name, None)
                    node_ref=node
                />
                <label for=id>{i18n.tr(label)}</label>
            </div>
            <FieldMessage field=name errors=errors/>
        }
    };

    view! {
        <section class="page narrow">
            <h1>{i18n.tr("auth-signup-title")}</h1>
            <form class="form" on:submit=submit novalidate>
                {field("signup-name", "name", "auth-name", "text", "name", None, name_ref)}
                {field("signup-email", "email", "auth-email", "email", "email", None, email_ref)}
                {field("signup-username", "username", "auth-username", "text", "username", Some("auth-username-hint"), username_ref)}
                {field("signup-password", "password", "auth-password", "password", "new-password", Some("auth-password-hint"), password_ref)}
                <label for="signup-dob">{i18n.tr("auth-dob")}</label>
                <input
                    id="signup-dob"
                    name="date_of_birth"
                    type="date"
                    max=max_date
                    required
                    aria-invalid=errors.aria_invalid("date_of_birth")
                    aria-describedby=errors.described_by("date_of_birth", Some("signup-dob-hint"))
                    node_ref=dob_ref
                />
                <small id="signup-dob-hint" class="hint">{i18n.tr("auth-dob-hint")}</small>
                <FieldMessage field="date_of_birth" errors=errors/>
                {accept("signup-terms", "accept_terms", "auth-accept-terms", terms_ref)}
                {accept("signup-privacy", "accept_privacy", "auth-accept-privacy", privacy_ref)}
                {accept("signup-responsibility", "accept_responsibility", "auth-accept-responsibility", responsibility_ref)}
                <ErrorAlert message=errors.general/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t("auth-working") } else { i18n.t("auth-submit-signup") }}
                </button>
            </form>
            <p>{i18n.tr("auth-have-account")} " " <A href="/login">{i18n.tr("nav-login")}</A></p>
        </section>
    }
}
