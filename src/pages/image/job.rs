//! An edit job under its prompt: a live progress bar with Cancel while it runs (Server-Sent Events), the
//! reason and Retry when it failed or was cancelled.

use crate::api;
use crate::components::form::Submit;
use crate::components::ErrorAlert;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use vinano_api::{JobInfo, JobState};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The job's state, kept live until it finishes; `finished` runs once it has (to show the result).
#[component]
pub fn JobStatus(
    /// The job as the thread last saw it.
    job: JobInfo,
    /// Called when the job finishes, or after a retry is queued.
    finished: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(job.id.clone());
    let current = RwSignal::new(job.clone());
    let act = Submit::new();

    if !job.state.is_finished() {
        if let Ok(source) = web_sys::EventSource::new(&api::job_events_url(&job.id)) {
            let stream = SendWrapper::new(source.clone());
            let on_message =
                Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                    let Some(update) =
                        e.data().as_string().and_then(|d| serde_json::from_str::<JobInfo>(&d).ok())
                    else {
                        return;
                    };
                    let done = update.state.is_finished();
                    current.set(update);
                    if done {
                        stream.close();
                        finished.run(());
                    }
                });
            source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            let source = SendWrapper::new((source, on_message));
            on_cleanup(move || source.0.close());
        }
    }

    let cancel =
        move |_| act.run(async move { api::cancel_job(&id.get_value()).await }, move |job| current.set(job));
    let retry =
        move |_| act.run(async move { api::retry_job(&id.get_value()).await }, move |_| finished.run(()));

    view! {
        <div class="job" role="group" aria-label=i18n.tr("job-label")>
            {move || {
                let job = current.get();
                match job.state {
                    JobState::Queued | JobState::Running => {
                        let text = if job.state == JobState::Queued {
                            i18n.t("job-queued")
                        } else {
                            i18n.t_args("job-running", [("percent", job.progress.into())])
                        };
                        view! {
                            <progress max="100" value=job.progress.to_string() aria-label=text.clone()></progress>
                            <span class="muted" role="status">{text}</span>
                            <button type="button" class="btn btn-ghost btn-small" on:click=cancel disabled=move || act.pending.get()>
                                {i18n.tr("job-cancel")}
                            </button>
                        }
                            .into_any()
                    }
                    JobState::Failed | JobState::Cancelled => {
                        let reason = match (job.state, job.error.map(|e| i18n.said(job.error_said.as_ref(), &e))) {
                            (JobState::Cancelled, _) => i18n.t("job-cancelled"),
                            (_, Some(reason)) => i18n.t_args("job-failed", [("reason", reason.into())]),
                            (_, None) => i18n.t("job-failed-unknown"),
                        };
                        view! {
                            <span class="muted" role="status">{reason}</span>
                            <button type="button" class="btn btn-ghost btn-small" on:click=retry disabled=move || act.pending.get()>
                                {i18n.tr("job-retry")}
                            </button>
                        }
                            .into_any()
                    }
                    JobState::Succeeded => ().into_any(),
                }
            }}
            <ErrorAlert message=act.errors.general/>
        </div>
    }
}
