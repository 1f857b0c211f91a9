//! Me → Your data → Download a copy: ask for an export, see it being prepared (the page checks every few
//! seconds; an email also says when it is ready), and download it — after entering the password again when
//! this session hasn't in the last 10 minutes.

use super::value;
use crate::api;
use crate::components::form::{FieldMessage, FormErrors};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use std::time::Duration;
use vinano_api::{ExportInfo, ExportList};

/// `2026-11-29T12:00:00Z` as `2026-11-29 12:00 UTC`.
fn when(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

/// A byte count as people read it.
pub(crate) fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

fn busy(export: &ExportInfo) -> bool {
    matches!(export.status.as_str(), "pending" | "building")
}

/// The export card section.
#[component]
pub(super) fn ExportCopy(#[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = RwSignal::new(None::<ExportList>);
    let errors = FormErrors::new();
    let asking = RwSignal::new(false);
    let need_password = RwSignal::new(false);
    let password_ref = NodeRef::<Input>::new();

    let reload = move || {
        leptos::task::spawn_local(async move {
            match api::exports().await {
                Ok(fresh) => {
                    let newest = |l: &ExportList| l.exports.first().map(|e| (e.id.clone(), e.status.clone()));
                    let before = list.with_untracked(|l| l.as_ref().map(newest));
                    let after = newest(&fresh);
                    list.set(Some(fresh));
                    if before.is_some_and(|b| b != after) {
                        // Asked for, ready or failed: the tracker moved too, and the app-wide notice may change.
                        on_change.run(());
                        if let Ok(Some(me)) = api::me().await {
                            session.me.set(Some(me));
                        }
                    }
                }
                Err(e) => errors.api(i18n, &e),
            }
        });
    };
    reload();
    // While one is being prepared, look again every few seconds.
    if let Ok(timer) = set_interval_with_handle(
        move || {
            if list.with_untracked(|l| l.as_ref().and_then(|l| l.exports.first()).is_some_and(busy)) {
                reload();
            }
        },
        Duration::from_secs(2),
    ) {
        on_cleanup(move || timer.clear());
    }

    let ask = move |_| {
        if asking.get_untracked() {
            return;
        }
        asking.set(true);
        errors.clear();
        leptos::task::spawn_local(async move {
            match api::request_export().await {
                Ok(_) => reload(),
                Err(e) => errors.api(i18n, &e),
            }
            asking.set(false);
        });
    };

    let start_download = move |url: String| {
        need_password.set(false);
        session.me.update(|me| {
            if let Some(me) = me {
                me.export_ready_until = None;
            }
        });
        // The answer is an attachment: the browser saves it and stays on this page.
        let _ = window().location().set_href(&url);
    };
    let download = move |url: String| {
        errors.clear();
        leptos::task::spawn_local(async move {
            // Ask the server (not the clock here) whether this session still counts as freshly signed in.
            match api::exports().await {
                Ok(fresh) if fresh.reauth_until.is_some() => start_download(url),
                Ok(_) => {
                    need_password.set(true);
                    // After the form is shown.
                    request_animation_frame(move || {
                        if let Some(input) = password_ref.get_untracked() {
                            let _ = input.focus();
                        }
                    });
                }
                Err(e) => errors.api(i18n, &e),
            }
        });
    };
    let confirm = move |ev: SubmitEvent| {
        ev.prevent_default();
        let password = value(password_ref);
        let url = list.with_untracked(|l| {
            l.as_ref().and_then(|l| l.exports.first()).and_then(|e| e.download_url.clone())
        });
        errors.clear();
        leptos::task::spawn_local(async move {
            match api::reauth(&password).await {
                Ok(_) => {
                    if let Some(input) = password_ref.get_untracked() {
                        input.set_value("");
                    }
                    if let Some(url) = url {
                        start_download(url);
                    }
                }
                Err(e) => errors.api(i18n, &e),
            }
        });
    };

    view! {
        <h3 id="export-title">{i18n.tr("export-title")}</h3>
        <p>{i18n.tr("export-lead")}</p>
        <div class="export" aria-live="polite">
            {move || {
                let newest = list.get().and_then(|l| l.exports.into_iter().next());
                match newest {
                    Some(export) if busy(&export) => {
                        view! {
                            <p role="status" class="export-status">
                                <span class="spinner" aria-hidden="true"></span>
                                {i18n.t_args("export-preparing", [("time", when(&export.requested_at).into())])}
                            </p>
                        }
                            .into_any()
                    }
                    Some(export) if export.status == "ready" => {
                        let url = export.download_url.clone().unwrap_or_default();
                        let details = i18n.t_args(
                            "export-ready",
                            [
                                ("size", size_text(export.size_bytes.unwrap_or_default()).into()),
                                ("files", export.file_count.unwrap_or_default().into()),
                                ("until", when(export.expires_at.as_deref().unwrap_or_default()).into()),
                            ],
                        );
                        view! {
                            <p class="export-status">{details}</p>
                            <div class="export-actions">
                                <button type="button" class="btn btn-primary" on:click=move |_| download(url.clone())>
                                    {i18n.tr("export-download")}
                                </button>
                                <button type="button" class="btn btn-ghost" on:click=ask disabled=move || asking.get()>
                                    {i18n.tr("export-again")}
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                    other => {
                        let note = other.map(|e| match e.status.as_str() {
                            "failed" => e.error.unwrap_or_default(),
                            _ => i18n.t_args("export-expired", [("time", when(&e.requested_at).into())]),
                        });
                        view! {
                            {note.map(|n| view! { <p class="muted">{n}</p> })}
                            <button type="button" class="btn btn-primary" on:click=ask disabled=move || asking.get()>
                                {i18n.tr("export-ask")}
                            </button>
                        }
                            .into_any()
                    }
                }
            }}
        </div>
        <Show when=move || need_password.get()>
            <form class="form reauth" on:submit=confirm novalidate>
                <p id="reauth-why">{i18n.tr("export-reauth")}</p>
                <label for="reauth-password">{i18n.tr("export-password")}</label>
                <input id="reauth-password" name="password" type="password" autocomplete="current-password" required aria-invalid=errors.aria_invalid("password") aria-describedby=errors.described_by("password", Some("reauth-why")) node_ref=password_ref/>
                <FieldMessage field="password" errors=errors/>
                <button type="submit" class="btn btn-primary">{i18n.tr("export-reauth-submit")}</button>
            </form>
        </Show>
        <ErrorAlert message=errors.general/>
    }
}
