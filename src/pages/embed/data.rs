//! "Your data here", at the foot of the widget: a visitor's data rights where they use ViNano — a copy of
//! everything they made on this site (the same ZIP as Me → Your data, saved from the widget) and deleting
//! everything at once (their account here, every photo and result).

use crate::api;
use crate::components::error_text;
use crate::i18n::I18n;
use leptos::prelude::*;
use leptos::task::spawn_local;
use vinano_api::ExportStatus;

/// The copy's file name.
const COPY_NAME: &str = "vinano-my-data.zip";

/// How long the widget waits for a copy to be built before it says to try later (it is kept 24 hours).
const EXPORT_WAIT_MS: u32 = 120_000;

/// Where the copy is.
#[derive(Debug, Clone, PartialEq)]
enum Copy {
    Idle,
    Preparing,
    /// In this page's memory, at this object URL, for the person to save (a download needs their tap: a
    /// browser refuses one started by a frame of another site on its own).
    Ready(String),
    Failed(String),
}

/// The panel. `deleted` is called once everything is deleted.
#[component]
pub fn YourData(i18n: I18n, deleted: Callback<()>) -> impl IntoView {
    let copy = RwSignal::new(Copy::Idle);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let download = move |_| {
        if copy.get_untracked() == Copy::Preparing {
            return;
        }
        copy.set(Copy::Preparing);
        spawn_local(async move {
            let outcome = fetch_copy(i18n).await;
            copy.set(match outcome {
                Ok(url) => Copy::Ready(url),
                Err(message) => Copy::Failed(message),
            });
        });
    };
    let forget = move |_| {
        deleting.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::widget_forget().await {
                Ok(()) => deleted.run(()),
                Err(e) => problem.set(Some(error_text(i18n, &e))),
            }
            deleting.set(false);
        });
    };
    view! {
        <details class="embed-data">
            <summary>{i18n.t("embed-data")}</summary>
            <p class="muted">{i18n.t("embed-data-lead")}</p>
            <p class="actions">
                <button type="button" class="btn" on:click=download disabled=move || copy.get() == Copy::Preparing>
                    {i18n.t("embed-data-copy")}
                </button>
                <button type="button" class="btn btn-danger" aria-expanded=move || confirming.get().to_string()
                    on:click=move |_| confirming.update(|c| *c = !*c)>
                    {i18n.t("embed-data-delete")}
                </button>
            </p>
            {move || match copy.get() {
                Copy::Idle => None,
                Copy::Preparing => Some(view! { <p role="status">{i18n.t("embed-data-preparing")}</p> }.into_any()),
                Copy::Ready(url) => Some(view! {
                    <p role="status">
                        {i18n.t("embed-data-ready")} " "
                        <a class="btn btn-primary" href=url download=COPY_NAME>{i18n.t("embed-data-save")}</a>
                    </p>
                }.into_any()),
                Copy::Failed(message) => Some(view! { <p role="alert">{message}</p> }.into_any()),
            }}
            <Show when=move || confirming.get()>
                <div class="embed-confirm" role="group" aria-label=i18n.t("embed-data-delete")>
                    <p>{i18n.t("embed-data-delete-question")}</p>
                    <p class="actions">
                        <button type="button" class="btn btn-danger" on:click=forget disabled=move || deleting.get()>
                            {i18n.t("embed-data-delete-confirm")}
                        </button>
                        <button type="button" class="btn" on:click=move |_| confirming.set(false)>
                            {i18n.t("embed-data-keep")}
                        </button>
                    </p>
                </div>
            </Show>
            {move || problem.get().map(|p| view! { <p role="alert">{p}</p> })}
        </details>
    }
}

/// Asks for a copy, waits until it is built, and holds it in this page: its object URL, or the reason in
/// the person's words when it can't.
async fn fetch_copy(i18n: I18n) -> Result<String, String> {
    let say = |e: api::ApiError| error_text(i18n, &e);
    // One being built already (asked earlier) is waited for instead.
    let id = match api::request_export().await {
        Ok(export) => export.id,
        Err(api::ApiError::Server { status: 409, .. }) => {
            let list = api::exports().await.map_err(say)?;
            list.exports.first().map(|e| e.id.clone()).ok_or_else(|| i18n.t("embed-data-slow"))?
        }
        Err(e) => return Err(say(e)),
    };
    let mut waited = 0;
    loop {
        let list = api::exports().await.map_err(say)?;
        let Some(export) = list.exports.into_iter().find(|e| e.id == id) else {
            return Err(i18n.t("embed-data-slow"));
        };
        match export.status {
            ExportStatus::Ready => break,
            ExportStatus::Pending | ExportStatus::Building if waited < EXPORT_WAIT_MS => {
                super::sleep(1000).await;
                waited += 1000;
            }
            ExportStatus::Pending | ExportStatus::Building => return Err(i18n.t("embed-data-slow")),
            _ => return Err(export.error.unwrap_or_else(|| i18n.t("embed-data-slow"))),
        }
    }
    let bytes = api::export_bytes(&id).await.map_err(say)?;
    object_url(&bytes).ok_or_else(|| i18n.t("embed-data-slow"))
}

/// An object URL of `bytes` as a ZIP.
fn object_url(bytes: &[u8]) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/zip");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
