//! Me → Your data → Download a copy: ask for an export, see it being prepared (the page checks every few
//! seconds; an email also says when it is ready), and download it — after entering the password again when
//! this session hasn't in the last 10 minutes.

use super::value;
use crate::api;
use crate::components::form::{FieldMessage, Submit};
use crate::components::requests::{use_interval, Requests};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use std::time::Duration;
use vinano_api::{ExportInfo, ExportList, ExportStatus};

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
    matches!(export.status, ExportStatus::Pending | ExportStatus::Building)
}

/// The export card section.
#[component]
pub(super) fn ExportCopy(#[prop(into)] on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = crate::components::time::use_clock();
    let session = use_session();
    let list = RwSignal::new(None::<ExportList>);
    let requests = Requests::new();
    let asking = Submit::new();
    let confirming = Submit::new();
    // Every step of this card says what went wrong in one place.
    let errors = asking.errors;
    let need_password = RwSignal::new(false);
    // The export to download once the password is in.
    let pending_download = RwSignal::new(None::<String>);
    let password_ref = NodeRef::<Input>::new();

    let reload = move || {
        requests.call(api::exports(), move |answer| {
            match answer {
                Ok(fresh) => {
                    let newest = |l: &ExportList| l.exports.first().map(|e| (e.id.clone(), e.status));
                    let before = list.with_untracked(|l| l.as_ref().map(newest));
                    let after = newest(&fresh);
                    list.set(Some(fresh));
                    if before.is_some_and(|b| b != after) {
                        // Asked for, ready or failed: the tracker moved too, and the app-wide notice may change.
                        on_change.run(());
                        requests.refresh(api::me(), move |me| session.me.set(me));
                    }
                }
                Err(e) => errors.api(i18n, &e),
            }
        });
    };
    reload();
    // While one is being prepared, look again every few seconds.
    use_interval(Duration::from_secs(2), move || {
        if list.with_untracked(|l| l.as_ref().and_then(|l| l.exports.first()).is_some_and(busy)) {
            reload();
        }
    });

    let ask = move |_| {
        asking.run(api::request_export(), move |_| {
            // The whole app now watches for it (the notice appears wherever the person goes).
            session.me.update(|me| {
                if let Some(me) = me {
                    me.export_pending = true;
                }
            });
            reload();
        });
    };

    // Downloads the ready export `id` after asking the server (not this device's clock) that it is still
    // ready and that this session entered its password recently (`just_confirmed`: it did, a moment ago);
    // otherwise says why, or asks for the password.
    let download = move |id: String, just_confirmed: bool| {
        errors.clear();
        requests.call(api::exports(), move |answer| {
            let fresh = match answer {
                Ok(fresh) => fresh,
                Err(e) => return errors.api(i18n, &e),
            };
            let url = fresh.exports.iter().find(|e| e.id == id).and_then(|e| e.download_url.clone());
            let may = just_confirmed || fresh.reauth_until.is_some();
            list.set(Some(fresh));
            match url {
                None => errors.general.set(Some(i18n.t("export-gone"))),
                Some(url) if may => {
                    need_password.set(false);
                    session.me.update(|me| {
                        if let Some(me) = me {
                            me.export_ready_until = None;
                        }
                    });
                    // The answer is an attachment: the browser saves it and stays on this page.
                    let _ = window().location().set_href(&url);
                }
                Some(_) => {
                    pending_download.set(Some(id));
                    need_password.set(true);
                    // After the form is shown.
                    request_animation_frame(move || {
                        if let Some(input) = password_ref.get_untracked() {
                            let _ = input.focus();
                        }
                    });
                }
            }
        });
    };
    let confirm = move |ev: SubmitEvent| {
        ev.prevent_default();
        let password = value(password_ref);
        errors.clear();
        confirming.attempt(async move { api::reauth(&password).await }, move |answer| match answer {
            Ok(_) => {
                if let Some(input) = password_ref.get_untracked() {
                    input.set_value("");
                }
                if let Some(id) = pending_download.get_untracked() {
                    download(id, true);
                }
            }
            // Under the password field of this card.
            Err(e) => errors.api(i18n, &e),
        });
    };

    view! {
        <h3 id="export-title">{i18n.tr("export-title")}</h3>
        <p>{i18n.tr("export-lead")}</p>
        <div class="export" aria-live="polite">
            {move || {
                let exports = list.get().map(|l| l.exports).unwrap_or_default();
                let newest = exports.first().cloned();
                // The newest still downloadable one (a newer request may be in preparation or have failed).
                let ready = exports.iter().find(|e| e.status == ExportStatus::Ready).cloned();
                let preparing = newest.as_ref().is_some_and(busy);
                let note = match &newest {
                    Some(e) if busy(e) => Some(view! {
                        <p role="status" class="export-status">
                            <span class="spinner" aria-hidden="true"></span>
                            {i18n.t_args("export-preparing", [("time", clock.minute(&e.requested_at).into())])}
                        </p>
                    }.into_any()),
                    Some(e) if e.status == ExportStatus::Failed => Some(view! { <p class="alert">{i18n.said(e.error_said.as_ref(), e.error.as_deref().unwrap_or_default())}</p> }.into_any()),
                    Some(e) if e.status == ExportStatus::Expired && ready.is_none() => Some(view! {
                        <p class="muted">{i18n.t_args("export-expired", [("time", clock.minute(&e.requested_at).into())])}</p>
                    }.into_any()),
                    _ => None,
                };
                let ready_view = ready.map(|export| {
                    let details = i18n.t_args(
                        "export-ready",
                        [
                            ("size", size_text(export.size_bytes.unwrap_or_default()).into()),
                            ("files", export.file_count.unwrap_or_default().into()),
                            ("until", export.expires_at.as_ref().map(|t| clock.minute(t)).unwrap_or_default().into()),
                        ],
                    );
                    let id = export.id.clone();
                    view! {
                        <p class="export-status">{details}</p>
                        <button type="button" class="btn btn-primary" on:click=move |_| download(id.clone(), false)>
                            {i18n.tr("export-download")}
                        </button>
                    }
                });
                let has_ready = ready_view.is_some();
                view! {
                    {note}
                    <div class="export-actions">
                        {ready_view}
                        {(!preparing).then(|| view! {
                            <button type="button" class=if has_ready { "btn btn-ghost" } else { "btn btn-primary" } on:click=ask disabled=move || asking.pending.get()>
                                {if has_ready { i18n.t("export-again") } else { i18n.t("export-ask") }}
                            </button>
                        })}
                    </div>
                }
            }}
        </div>
        <Show when=move || need_password.get()>
            <form class="form reauth" on:submit=confirm novalidate>
                <p id="reauth-why">{i18n.tr("export-reauth")}</p>
                <label for="reauth-password">{i18n.tr("export-password")}</label>
                <input id="reauth-password" name="password" type="password" autocomplete="current-password" required aria-invalid=errors.aria_invalid("password") aria-describedby=errors.described_by("password", Some("reauth-why")) node_ref=password_ref/>
                <FieldMessage field="password" errors=errors/>
                <button type="submit" class="btn btn-primary" disabled=move || confirming.pending.get()>{i18n.tr("export-reauth-submit")}</button>
            </form>
        </Show>
        <ErrorAlert message=errors.general/>
    }
}
