//! Me → Your data: the data-rights requests with their due dates, a copy of everything (export), the
//! share links (`shares.rs`), deleting images by date, and deleting the account (after a 30-day grace
//! period, during which logging in offers to keep it).

use super::export::ExportCopy;
use super::value;
use crate::api;
use crate::components::dialog::Confirm;
use crate::components::form::{Submit, TextField};
use crate::components::requests::Requests;
use crate::components::time::{use_clock, Clock};
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use crate::state::session::use_session;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use vinano_api::{DataRequest, DateRange, RequestKind, RequestStatus};

/// A stored value as people read it: times (`*_at` columns, Unix milliseconds) in the person's time zone.
fn cell(clock: Clock, column: &str, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::Number(n) if column.ends_with("_at") => match n.as_f64() {
            Some(ms) if ms > 0.0 => {
                let iso = String::from(js_sys::Date::new(&ms.into()).to_iso_string());
                clock.minute(&vinano_api::Timestamp(iso))
            }
            _ => "—".into(),
        },
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A same-page link that brings the card with this heading into view (the router leaves the hash alone).
fn jump(id: &'static str) -> impl Fn(leptos::ev::MouseEvent) + Copy {
    move |ev| {
        if let Some(target) = document().get_element_by_id(id) {
            ev.prevent_default();
            target.scroll_into_view();
            if let Some(heading) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&target) {
                let _ = heading.set_attribute("tabindex", "-1");
                let _ = heading.focus();
            }
        }
    }
}

/// Access: everything held about the person, one section per kind of data (as stored).
#[component]
fn Everything() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let data = RwSignal::new(None::<serde_json::Map<String, serde_json::Value>>);
    let requests = Requests::new();
    requests.run(api::personal_data(), move |all| data.set(Some(all)));
    view! {
        <h3>{i18n.tr("data-everything")}</h3>
        <p class="muted">{i18n.tr("data-everything-lead")}</p>
        <p>
            {i18n.tr("data-correct")} " "
            <a href="#account-title" on:click=jump("account-title")>{i18n.tr("data-correct-account")}</a>
            " · "
            <a href="#privacy-title" on:click=jump("privacy-title")>{i18n.tr("data-correct-privacy")}</a>
        </p>
        <ErrorAlert message=requests.error/>
        {move || {
            data.get().map(|all| {
                all.into_iter()
                    .map(|(table, rows)| {
                        let rows = rows.as_array().cloned().unwrap_or_default();
                        let columns: Vec<String> = rows
                            .first()
                            .and_then(|r| r.as_object())
                            .map(|o| o.keys().cloned().collect())
                            .unwrap_or_default();
                        let count = rows.len();
                        // A table is drawn when it is opened: someone with thousands of records doesn't
                        // wait for all of them to be laid out to see the page.
                        let opened = RwSignal::new(false);
                        let rows = StoredValue::new(rows);
                        let columns = StoredValue::new(columns);
                        let table_view = move || {
                            opened.get().then(|| {
                                let columns = columns.get_value();
                                view! {
                                    <div class="table-scroll">
                                        <table class="ledger">
                                            <thead>
                                                <tr>{columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                                            </thead>
                                            <tbody>
                                                {rows.with_value(|rows| {
                                                    rows.iter()
                                                        .map(|row| {
                                                            let cells = columns.iter().map(|c| view! { <td>{cell(clock, c, &row[c.as_str()])}</td> }).collect_view();
                                                            view! { <tr>{cells}</tr> }
                                                        })
                                                        .collect_view()
                                                })}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                            })
                        };
                        view! {
                            <details
                                class="data-table"
                                on:toggle=move |ev| {
                                    if event_target::<web_sys::Element>(&ev).has_attribute("open") {
                                        opened.set(true);
                                    }
                                }
                            >
                                <summary>{format!("{table} ({count})")}</summary>
                                {table_view}
                            </details>
                        }
                    })
                    .collect_view()
            })
        }}
    }
}

/// The Your data card.
#[component]
pub(super) fn YourData() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    let session = use_session();
    let list = RwSignal::new(Vec::<DataRequest>::new());
    let requests = Requests::new();
    // Emails about exports link to /me/data: bring this card into view there.
    let card = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(card) = card.get() {
            if window().location().pathname().is_ok_and(|p| p == "/me/data") {
                card.scroll_into_view();
            }
        }
    });
    let reload = move || requests.refresh(api::requests(), move |fresh| list.set(fresh));
    reload();

    let toasts = crate::components::toast::use_toasts();
    let dialogs = crate::components::dialog::use_dialogs();
    let navigate = StoredValue::new(leptos_router::hooks::use_navigate());
    let from_ref = NodeRef::<Input>::new();
    let to_ref = NodeRef::<Input>::new();
    let range = Submit::new();
    let range_errors = range.errors;
    let range_done = RwSignal::new(None::<String>);
    let delete_range = move |ev: SubmitEvent| {
        ev.prevent_default();
        let dates = DateRange { from: value(from_ref), to: value(to_ref) };
        let question = i18n.t_args(
            "data-range-confirm",
            [("from", dates.from.clone().into()), ("to", dates.to.clone().into())],
        );
        let dates = StoredValue::new(dates);
        let run = move |()| {
            range_done.set(None);
            range.run(async move { api::delete_range(&dates.get_value()).await }, move |done| {
                let mut text = i18n.t_args("data-range-done", [("count", done.deleted.into())]);
                if let Some(note) = &done.message {
                    text = format!("{text} {}", i18n.said(done.message_said.as_ref(), note));
                }
                range_done.set(Some(text));
                reload();
            });
        };
        dialogs.confirm(Confirm {
            question,
            confirm: i18n.t("data-range-submit"),
            danger: true,
            then: Callback::new(run),
        });
    };

    let password_ref = NodeRef::<Input>::new();
    let account = Submit::new();
    let account_errors = account.errors;
    let delete_account = move |ev: SubmitEvent| {
        ev.prevent_default();
        let run = move |()| {
            let password = value(password_ref);
            account.run(async move { api::request_deletion(&password).await }, move |()| {
                toasts.note(i18n.t("data-account-scheduled"));
                session.me.set(None);
                navigate.with_value(|go| go("/", Default::default()));
            });
        };
        dialogs.confirm(Confirm {
            question: i18n.t("data-account-confirm"),
            confirm: i18n.t("data-account-submit"),
            danger: true,
            then: Callback::new(run),
        });
    };

    view! {
        <section class="card" id="your-data" aria-labelledby="data-title" node_ref=card>
            <h2 id="data-title">{i18n.tr("data-title")}</h2>
            <h3>{i18n.tr("data-requests")}</h3>
            {move || {
                let list = list.get();
                if list.is_empty() {
                    return view! { <p class="muted">{i18n.tr("data-requests-none")}</p> }.into_any();
                }
                view! {
                    <table class="ledger requests">
                        <caption class="visually-hidden">{i18n.tr("data-requests")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{i18n.tr("data-request-what")}</th>
                                <th scope="col">{i18n.tr("data-request-status")}</th>
                                <th scope="col">{i18n.tr("data-request-received")}</th>
                                <th scope="col">{i18n.tr("data-request-due")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <tr>
                                            <td>{format!("{}: {}", i18n.t(kind_key(r.kind)), i18n.said(r.detail_said.as_ref(), &r.detail))}</td>
                                            <td>{i18n.t(status_key(r.status))}</td>
                                            <td>{clock.date(&r.received_at)}</td>
                                            <td>{clock.date(&r.due_at)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}

            <ExportCopy on_change=move |_| reload()/>

            <super::shares::SharedLinks/>

            <Everything/>

            <h3>{i18n.tr("data-range")}</h3>
            <form class="form inline-dates" on:submit=delete_range novalidate>
                <TextField id="range-from" name="from" label="data-range-from" kind="date" required=true errors=range_errors node_ref=from_ref/>
                <TextField id="range-to" name="to" label="data-range-to" kind="date" required=true errors=range_errors node_ref=to_ref/>
                <ErrorAlert message=range_errors.general/>
                <button type="submit" class="btn btn-ghost danger" disabled=move || range.pending.get()>{i18n.tr("data-range-submit")}</button>
                {move || range_done.get().map(|t| view! { <p role="status">{t}</p> })}
            </form>

            <h3>{i18n.tr("data-account")}</h3>
            <p>{i18n.tr("data-account-lead")}</p>
            <form class="form" on:submit=delete_account novalidate>
                <TextField id="delete-password" name="password" label="data-account-password" kind="password" autocomplete="current-password" required=true errors=account_errors node_ref=password_ref/>
                <ErrorAlert message=account_errors.general/>
                <button type="submit" class="btn btn-danger" disabled=move || account.pending.get()>{i18n.tr("data-account-submit")}</button>
            </form>
        </section>
    }
}

/// The words for what a data-rights request asks for.
fn kind_key(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Export => "data-request-kind-export",
        RequestKind::Deletion => "data-request-kind-deletion",
        RequestKind::Correction => "data-request-kind-correction",
    }
}

/// The words for where a data-rights request is.
fn status_key(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Received => "data-request-status-received",
        RequestStatus::InProgress => "data-request-status-in-progress",
        RequestStatus::Completed => "data-request-status-completed",
        RequestStatus::Cancelled => "data-request-status-cancelled",
    }
}
