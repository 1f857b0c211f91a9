//! `/me`: the signed-in person's account.

use crate::api;
use crate::components::error_text;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use vinano_api::SessionInfo;

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
                        <Sessions/>
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
        <section class="card" aria-labelledby="security-title">
            <h2 id="security-title">{i18n.tr("me-security")}</h2>
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
        </section>
    }
}
