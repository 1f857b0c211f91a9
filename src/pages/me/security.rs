//! Me → Security: the password, and where the account is signed in.

use super::value;
use crate::api;
use crate::components::form::{Submit, TextField};
use crate::components::requests::Requests;
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use vinano_api::{validate, ChangePassword, SessionInfo};

/// Me → Security: change the password (the current one is required), optionally ending other sessions.
#[component]
pub(super) fn ChangePasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let current_ref = NodeRef::<Input>::new();
    let new_ref = NodeRef::<Input>::new();
    let others_ref = NodeRef::<Input>::new();
    let form = Submit::new();
    let (errors, pending) = (form.errors, form.pending);
    let done = RwSignal::new(None::<u64>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if form.busy() {
            return;
        }
        let req = ChangePassword {
            current_password: value(current_ref),
            new_password: value(new_ref),
            sign_out_others: others_ref.get().is_some_and(|el| el.checked()),
        };
        if let Err(mut e) = validate::password(&req.new_password) {
            e.field = "new_password";
            form.invalid(e);
            return;
        }
        done.set(None);
        form.run(async move { api::change_password(&req).await }, move |answer| {
            done.set(Some(answer.signed_out));
            for node in [current_ref, new_ref] {
                if let Some(el) = node.get() {
                    el.set_value("");
                }
            }
        });
    };
    view! {
        <h3>{i18n.tr("me-password")}</h3>
        <form class="form" on:submit=submit novalidate>
            <TextField id="password-current" name="current_password" label="me-password-current" kind="password" autocomplete="current-password" required=true errors=errors node_ref=current_ref/>
            <TextField id="password-new" name="new_password" label="reset-new-password" kind="password" autocomplete="new-password" hint="auth-password-hint" required=true errors=errors node_ref=new_ref/>
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

/// Me → Security: where the account is signed in, with a way to end each session or all of them.
#[component]
pub(super) fn Sessions() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let list = RwSignal::new(None::<Vec<SessionInfo>>);
    let clock = crate::components::time::use_clock();
    let requests = Requests::new();
    let load = move || requests.run(api::sessions(), move |sessions| list.set(Some(sessions)));
    load();
    let act = Submit::new();
    let busy = act.pending;
    // Ending this session (or all of them) signs the person out here too.
    let signed_out = move || {
        session.me.set(None);
        navigate("/login", Default::default());
    };
    let signed_out_here = signed_out.clone();
    let revoke = Callback::new(move |(id, current): (String, bool)| {
        let signed_out = signed_out_here.clone();
        act.run(async move { api::revoke_session(&id).await }, move |()| {
            if current {
                signed_out();
            } else {
                load();
            }
        });
    });
    let everywhere = move |_| {
        let signed_out = signed_out.clone();
        act.run(api::logout_everywhere(), move |()| signed_out());
    };
    view! {
        <div>
            <h3>{i18n.tr("me-sessions")}</h3>
            <ErrorAlert message=requests.error/>
            <ErrorAlert message=act.errors.general/>
            {move || match list.get() {
                None => view! { <p>{i18n.tr("loading")}</p> }.into_any(),
                Some(sessions) => {
                    view! {
                        <ul class="sessions">
                            {sessions
                                .into_iter()
                                .map(|s| {
                                    let seen = clock.minute(&s.last_seen_at);
                                    let started = clock.date(&s.created_at);
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
