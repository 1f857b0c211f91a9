//! "Something went wrong": shown when a request failed on our side (right away) or the app crashed (on the
//! next page load). The report was already sent; the person may add what they were doing, which goes with a
//! second report of the same problem.

use crate::i18n::use_i18n;
use crate::state::telemetry;
use leptos::ev::SubmitEvent;
use leptos::html::Textarea;
use leptos::prelude::*;
use vinano_api::ErrorReport;

/// The notice, with its optional description box.
#[component]
pub fn ProblemReport() -> impl IntoView {
    let i18n = use_i18n();
    let problem = RwSignal::new(telemetry::take_crash());
    let open = RwSignal::new(false);
    let sent = RwSignal::new(false);
    telemetry::on_report(move |report| {
        // One notice at a time: a failing page may fail again while the person is writing.
        if problem.try_get_untracked().is_some_and(|p| p.is_none()) {
            open.set(false);
            sent.set(false);
            problem.set(Some(report));
        }
    });
    let text_ref = NodeRef::<Textarea>::new();
    let close = move |_| problem.set(None);
    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        let words = text_ref.get_untracked().map(|t| t.value()).unwrap_or_default();
        let words = words.trim();
        if let Some(report) = problem.get_untracked() {
            let with_words = ErrorReport {
                description: (!words.is_empty()).then(|| words.chars().take(2000).collect()),
                ..report
            };
            telemetry::send_report(&with_words);
        }
        sent.set(true);
    };
    move || {
        problem.get().map(|report| {
            let lead = if report.kind == "panic" { "problem-crashed" } else { "problem-request" };
            view! {
                <aside class="problem" aria-labelledby="problem-lead">
                    <p id="problem-lead" role="status">{i18n.tr(lead)}</p>
                    {move || {
                        if sent.get() {
                            view! {
                                <p role="status">{i18n.tr("problem-thanks")}</p>
                                <button type="button" class="btn btn-ghost btn-small" on:click=close>{i18n.tr("problem-close")}</button>
                            }
                                .into_any()
                        } else if open.get() {
                            view! {
                                <form class="form" on:submit=send>
                                    <label for="problem-text">{i18n.tr("problem-label")}</label>
                                    <textarea id="problem-text" name="description" rows="3" maxlength="2000" node_ref=text_ref></textarea>
                                    <div class="problem-actions">
                                        <button type="submit" class="btn btn-primary btn-small">{i18n.tr("problem-send")}</button>
                                        <button type="button" class="btn btn-ghost btn-small" on:click=close>{i18n.tr("problem-close")}</button>
                                    </div>
                                </form>
                            }
                                .into_any()
                        } else {
                            view! {
                                <div class="problem-actions">
                                    <button type="button" class="btn btn-primary btn-small" on:click=move |_| {
                                        open.set(true);
                                        request_animation_frame(move || {
                                            if let Some(t) = text_ref.get_untracked() {
                                                let _ = t.focus();
                                            }
                                        });
                                    }>{i18n.tr("problem-tell")}</button>
                                    <button type="button" class="btn btn-ghost btn-small" on:click=close>{i18n.tr("problem-close")}</button>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </aside>
            }
        })
    }
}
