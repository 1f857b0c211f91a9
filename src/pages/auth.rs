//! `/login` and `/signup`.

use crate::api;
use crate::components::form::{input_value as value, FieldMessage, Submit, TextField};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use crate::state::today;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use vinano_api::{validate, LoginRequest, SignupRequest};

fn checked(node: NodeRef<Input>) -> bool {
    node.get().is_some_and(|el| el.checked())
}

/// Where signing in or up leads: the page that sent the person here (`?next=/s/…`, a path of this site
/// only), or the editor.
fn next_page() -> Memo<String> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| {
        query.read().get("next").and_then(|n| same_site_path(&n)).unwrap_or_else(|| "/image".into())
    })
}

/// `next` when it is a path on this site (`/…`, not `//host` or `/\host`, which browsers read as another
/// site).
pub(crate) fn same_site_path(next: &str) -> Option<String> {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    (local && !next.chars().any(char::is_control)).then(|| next.to_string())
}

/// `page` with `next` carried on (when it isn't the default).
fn with_next(page: &str, next: &str) -> String {
    match next {
        "/image" => page.to_string(),
        next => format!("{page}?next={}", js_sys::encode_uri_component(next)),
    }
}

/// The log-in form.
#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let login_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let next = next_page();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let req = LoginRequest { login: value(login_ref).trim().to_string(), password: value(password_ref) };
        let navigate = navigate.clone();
        let next = next.get_untracked();
        form.run(async move { api::login(&req).await }, move |me| {
            session.me.set(Some(me));
            navigate(&next, Default::default());
        });
    };

    view! {
        <section class="page narrow">
            <h1>{i18n.tr("auth-login-title")}</h1>
            <form class="form" on:submit=submit novalidate>
                <TextField id="login-login" name="login" label="auth-login-field" autocomplete="username" required=true errors=errors node_ref=login_ref/>
                <TextField id="login-password" name="password" label="auth-password" kind="password" autocomplete="current-password" required=true errors=errors node_ref=password_ref/>
                <ErrorAlert message=errors.general/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t("auth-working") } else { i18n.t("auth-submit-login") }}
                </button>
            </form>
            <p><A href="/forgot-password">{i18n.tr("auth-forgot-link")}</A></p>
            <p>{i18n.tr("auth-no-account")} " " <A href=move || with_next("/signup", &next.get())>{i18n.tr("nav-signup")}</A></p>
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
    // An invitation's link (`/signup?invite=…`), where sign-ups are by invitation.
    let query = leptos_router::hooks::use_query_map();
    let invite = Memo::new(move |_| query.read().get("invite").filter(|c| !c.is_empty()));
    let next = next_page();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.busy() {
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
            time_zone: crate::components::time::browser_zone(),
            invite: invite.get_untracked(),
        };
        if let Err(e) = validate::signup(&req, today()) {
            form.invalid(e);
            return;
        }
        let navigate = navigate.clone();
        let next = next.get_untracked();
        form.run(async move { api::signup(&req).await }, move |me| {
            session.me.set(Some(me));
            navigate(&next, Default::default());
        });
    };
    let max_date = today().to_string();
    // Who may sign up here: said before the form when the form can't make an account (closed; by
    // invitation, without one). The form shows while the answer is on its way.
    let policy = LocalResource::new(api::signup_policy);
    let refusal = move || match policy.get().and_then(Result::ok).as_deref() {
        Some("closed") => Some("auth-signups-closed"),
        Some("invite") if invite.get().is_none() => Some("auth-signups-invite"),
        _ => None,
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
            {move || refusal().map(|key| view! { <p class="notice" role="status" data-testid="signups">{i18n.t(key)}</p> })}
            {move || invite.get().is_some().then(|| view! { <p class="hint">{i18n.tr("auth-invited")}</p> })}
            <form class="form" on:submit=submit novalidate hidden=move || refusal().is_some()>
                <TextField id="signup-name" name="name" label="auth-name" autocomplete="name" required=true errors=errors node_ref=name_ref/>
                <TextField id="signup-email" name="email" label="auth-email" kind="email" autocomplete="email" required=true errors=errors node_ref=email_ref/>
                <TextField id="signup-username" name="username" label="auth-username" autocomplete="username" hint="auth-username-hint" required=true errors=errors node_ref=username_ref/>
                <TextField id="signup-password" name="password" label="auth-password" kind="password" autocomplete="new-password" hint="auth-password-hint" required=true errors=errors node_ref=password_ref/>
                <TextField id="signup-dob" name="date_of_birth" label="auth-dob" kind="date" hint="auth-dob-hint" max=max_date required=true errors=errors node_ref=dob_ref/>
                {accept("signup-terms", "accept_terms", "auth-accept-terms", terms_ref)}
                {accept("signup-privacy", "accept_privacy", "auth-accept-privacy", privacy_ref)}
                {accept("signup-responsibility", "accept_responsibility", "auth-accept-responsibility", responsibility_ref)}
                <ErrorAlert message=errors.general/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t("auth-working") } else { i18n.t("auth-submit-signup") }}
                </button>
            </form>
            <p>{i18n.tr("auth-have-account")} " " <A href=move || with_next("/login", &next.get())>{i18n.tr("nav-login")}</A></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_a_path_of_this_site_is_followed_after_signing_in() {
        assert_eq!(same_site_path("/s/abc"), Some("/s/abc".into()));
        assert_eq!(same_site_path("/image/1?x=2"), Some("/image/1?x=2".into()));
        for elsewhere in
            ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", "/a\nb"]
        {
            assert_eq!(same_site_path(elsewhere), None, "{elsewhere}");
        }
    }
}
