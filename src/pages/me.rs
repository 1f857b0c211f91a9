//! `/me`: the signed-in person's account.

use crate::api;
use crate::components::error_text;
use crate::components::form::{FieldMessage, FormErrors};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use vinano_api::{validate, ChangePassword, Me, ProfileUpdate, SessionInfo};

fn value(node: NodeRef<Input>) -> String {
    node.get().map(|el| el.value()).unwrap_or_default()
}

/// Every IANA time zone the browser knows, `UTC` first.
fn time_zones() -> Vec<String> {
    let mut zones = vec!["UTC".to_string()];
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok();
    let supported = intl
        .as_ref()
        .and_then(|intl| js_sys::Reflect::get(intl, &"supportedValuesOf".into()).ok())
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
    if let (Some(intl), Some(f)) = (intl, supported) {
        if let Ok(list) = f.call1(&intl, &"timeZone".into()) {
            zones.extend(
                js_sys::Array::from(&list).iter().filter_map(|v| v.as_string()).filter(|z| z != "UTC"),
            );
        }
    }
    zones
}

/// Me → Account: see and correct the profile. A new email address is confirmed from its inbox first.
#[component]
fn Profile(
    /// The account as loaded.
    me: Me,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name_ref = NodeRef::<Input>::new();
    let username_ref = NodeRef::<Input>::new();
    let email_ref = NodeRef::<Input>::new();
    let language_ref = NodeRef::<Select>::new();
    let zone_ref = NodeRef::<Select>::new();
    let errors = FormErrors::new();
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let resent = RwSignal::new(false);
    let since = me.created_at.get(..10).unwrap_or_default().to_string();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let select = |node: NodeRef<Select>| node.get().map(|el| el.value()).unwrap_or_default();
        let req = ProfileUpdate {
            name: Some(value(name_ref)),
            username: Some(value(username_ref)),
            email: Some(value(email_ref)),
            language: Some(select(language_ref)),
            time_zone: Some(select(zone_ref)),
            avatar_image_id: None,
        };
        if let Err(e) = validate::profile(&req) {
            errors.invalid(e);
            return;
        }
        errors.clear();
        saved.set(false);
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::update_profile(&req).await {
                Ok(me) => {
                    session.me.set(Some(me));
                    saved.set(true);
                }
                Err(e) => errors.api(i18n, &e),
            }
            pending.set(false);
        });
    };
    let resend = move |_| {
        leptos::task::spawn_local(async move {
            match api::resend_verification().await {
                Ok(()) => resent.set(true),
                Err(e) => errors.api(i18n, &e),
            }
        });
    };
    // Follows the account as it changes (a new address pending, then confirmed).
    let status = move || {
        let (verified, pending) = session
            .me
            .with(|m| m.as_ref().map(|m| (m.email_verified, m.pending_email.clone())).unwrap_or_default());
        if verified && pending.is_none() {
            return view! { <p class="muted">{i18n.tr("me-email-verified")}</p> }.into_any();
        }
        let text = match pending {
            Some(pending) => i18n.t_args("me-email-pending", [("email", pending.into())]),
            None => i18n.t("me-email-unverified"),
        };
        view! {
            <p class="notice">
                {text} " "
                <button type="button" class="btn btn-ghost btn-small" on:click=resend>{i18n.tr("me-email-resend")}</button>
            </p>
            {move || resent.get().then(|| view! { <p role="status">{i18n.tr("me-email-resent")}</p> })}
        }
        .into_any()
    };
    let shown_name = move || session.me.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let language = me.language.clone();
    let zone = me.time_zone.clone();
    let input = move |id: &'static str,
                      name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      current: String,
                      node: NodeRef<Input>| {
        view! {
            <label for=id>{i18n.tr(label)}</label>
            <input
                id=id
                name=name
                type=kind
                value=current
                required
                aria-invalid=errors.aria_invalid(name)
                aria-describedby=errors.described_by(name, None)
                node_ref=node
            />
            <FieldMessage field=name errors=errors/>
        }
    };
    view! {
        <section class="card" aria-labelledby="account-title">
            <h2 id="account-title">{i18n.tr("me-account")}</h2>
            <p>{move || i18n.t_args("me-signed-in-as", [("name", shown_name().into())])}</p>
            {status}
            <form class="form" on:submit=submit novalidate>
                {input("profile-name", "name", "auth-name", "text", me.name.clone(), name_ref)}
                {input("profile-username", "username", "auth-username", "text", me.username.clone(), username_ref)}
                {input("profile-email", "email", "auth-email", "email", me.email.clone(), email_ref)}
                <label for="profile-language">{i18n.tr("me-language")}</label>
                <select id="profile-language" name="language" node_ref=language_ref>
                    {[("en", "English"), ("zh-Hant", "繁體中文"), ("zh-Hans", "简体中文")]
                        .into_iter()
                        .map(|(code, name)| view! { <option value=code selected=language == code>{name}</option> })
                        .collect_view()}
                </select>
                <FieldMessage field="language" errors=errors/>
                <label for="profile-time-zone">{i18n.tr("me-time-zone")}</label>
                <select id="profile-time-zone" name="time_zone" node_ref=zone_ref>
                    {time_zones()
                        .into_iter()
                        .map(|z| {
                            let selected = z == zone;
                            view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldMessage field="time_zone" errors=errors/>
                <ErrorAlert message=errors.general/>
                <button type="submit" class="btn btn-primary" disabled=move || pending.get()>{i18n.tr("me-save")}</button>
                {move || saved.get().then(|| view! { <p role="status">{i18n.tr("me-saved")}</p> })}
            </form>
            <dl class="facts">
                <dt>{i18n.tr("auth-dob")}</dt>
                <dd>{me.date_of_birth.to_string()}</dd>
            </dl>
            <p class="muted">{i18n.t_args("me-member-since", [("date", since.into())])}</p>
        </section>
    }
}

/// Me → Security: change the password (the current one is required), optionally ending other sessions.
#[component]
fn ChangePasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let current_ref = NodeRef::<Input>::new();
    let new_ref = NodeRef::<Input>::new();
    let others_ref = NodeRef::<Input>::new();
    let errors = FormErrors::new();
    let pending = RwSignal::new(false);
    let done = RwSignal::new(None::<u64>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req = ChangePassword {
            current_password: value(current_ref),
            new_password: value(new_ref),
            sign_out_others: others_ref.get().is_some_and(|el| el.checked()),
        };
        if let Err(mut e) = validate::password(&req.new_password) {
            e.field = "new_password";
            errors.invalid(e);
            return;
        }
        errors.clear();
        done.set(None);
        pending.set(true);
        leptos::task::spawn_local(async move {
            match api::change_password(&req).await {
                Ok(answer) => {
                    done.set(Some(answer.signed_out));
                    for node in [current_ref, new_ref] {
                        if let Some(el) = node.get() {
                            el.set_value("");
                        }
                    }
                }
                Err(e) => errors.api(i18n, &e),
            }
            pending.set(false);
        });
    };
    view! {
        <h3>{i18n.tr("me-password")}</h3>
        <form class="form" on:submit=submit novalidate>
            <label for="password-current">{i18n.tr("me-password-current")}</label>
            <input
                id="password-current"
                name="current_password"
                type="password"
                autocomplete="current-password"
                required
                aria-invalid=errors.aria_invalid("current_password")
                aria-describedby=errors.described_by("current_password", None)
                node_ref=current_ref
            />
            <FieldMessage field="current_password" errors=errors/>
            <label for="password-new">{i18n.tr("reset-new-password")}</label>
            <input
                id="password-new"
                name="new_password"
                type="password"
                autocomplete="new-password"
                required
                aria-invalid=errors.aria_invalid("new_password")
                aria-describedby=errors.described_by("new_password", Some("password-new-hint"))
                node_ref=new_ref
            />
            <small id="password-new-hint" class="hint">{i18n.tr("auth-password-hint")}</small>
            <FieldMessage field="new_password" errors=errors/>
            <div class="check">
                <input id="password-others" name="sign_out_others" type="checkbox" checked node_ref=others_ref/>
                <label for="password-others">{i18n.tr("me-password-others")}</label>
            </div>
            <ErrorAlert message=errors.general/>
            <button type="submit" class="btn btn-primary" disabled=move || pending.get()>{i18n.tr("me-password-submit")}</button>
            {move || done.get().map(|n| view! { <p role="status">{i18n.t_args("me-password-done", [("count", n.into())])}</p> })}
        </form>
    }
}

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

/// Me → Security: where the account is signed in, with a way to end each session or all of them.
#[component]
fn Sessions() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let list = RwSignal::new(None::<Vec<SessionInfo>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let load = move || {
        leptos::task::spawn_local(async move {
            match api::sessions().await {
                Ok(sessions) => list.set(Some(sessions)),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        });
    };
    load();
    let revoke = Callback::new(move |(id, current): (String, bool)| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::revoke_session(&id).await {
                Ok(()) if current => {
                    session.me.set(None);
                    navigate("/login", Default::default());
                }
                Ok(()) => load(),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
            busy.set(false);
        });
    });
    let navigate_all = use_navigate();
    let everywhere = move |_| {
        let navigate = navigate_all.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::logout_everywhere().await {
                Ok(()) => {
                    session.me.set(None);
                    navigate("/login", Default::default());
                }
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <div>
            <h3>{i18n.tr("me-sessions")}</h3>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || match list.get() {
                None => view! { <p>{i18n.tr("loading")}</p> }.into_any(),
                Some(sessions) => {
                    view! {
                        <ul class="sessions">
                            {sessions
                                .into_iter()
                                .map(|s| {
                                    let seen = s.last_seen_at.replace('T', " ").chars().take(16).collect::<String>();
                                    let started = s.created_at.get(..10).unwrap_or_default().to_string();
                                    let (id, current) = (s.id.clone(), s.current);
                                    let label = if current { i18n.t("me-session-end-this") } else { i18n.t("me-session-end") };
                                    view! {
                                        <li class="session">
                                            <div>
                                                <strong>{s.device.clone()}</strong>
                                                {current.then(|| view! { <span class="badge">{i18n.tr("me-session-current")}</span> })}
                                                <p class="muted">
                                                    {i18n.t_args(
                                                        "me-session-facts",
                                                        [("ip", s.ip.clone().into()), ("started", started.into()), ("seen", seen.into())],
                                                    )}
                                                </p>
                                            </div>
                                            <button
                                                type="button"
                                                class="btn btn-ghost btn-small"
                                                disabled=move || busy.get()
                                                aria-label=format!("{label}: {}", s.device)
                                                on:click=move |_| revoke.run((id.clone(), current))
                                            >
                                                {label.clone()}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <button type="button" class="btn" disabled=move || busy.get() on:click=everywhere>
                {i18n.tr("me-logout-everywhere")}
            </button>
        </div>
    }
}
