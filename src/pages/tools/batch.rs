//! Several photos through one tool or instruction (product photos, batch edit). Each photo is prepared in
//! the image-prep worker, uploaded and edited in turn, all in one new conversation, with its own progress
//! and Cancel; the results download together as a ZIP made in the browser.

use super::archive::{self, Entry};
use crate::api;
use crate::components::attachments::prep_error_text;
use crate::components::error_text;
use crate::components::requests::Requests;
use crate::i18n::{use_i18n, I18n};
use crate::state::connectivity::sleep;
use crate::state::{check_upload, idempotency_key, UploadProblem, MAX_SOURCE_MB};
use crate::worker::{self, PrepRequest};
use leptos::prelude::*;
use leptos_router::components::A;
use std::time::Duration;
use vinano_api::{ImageInfo, JobState, PostMessage, Tool};

/// The most photos one batch takes.
pub const MAX_BATCH: usize = 20;

/// How often a running edit is asked how far it has got.
const POLL: Duration = Duration::from_millis(400);

/// Where one photo of a batch is.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Its turn has not come.
    Waiting,
    /// In the image-prep worker.
    Preparing,
    /// Being uploaded (percent sent).
    Uploading(u8),
    /// Being edited (percent done).
    Editing(u8),
    /// Made: the result.
    Done(Box<ImageInfo>),
    /// Not made, and why.
    Failed(String),
    /// Cancelled by the person.
    Cancelled,
}

impl Step {
    fn is_active(&self) -> bool {
        matches!(self, Step::Preparing | Step::Uploading(_) | Step::Editing(_))
    }
}

/// One photo of a batch. Its signals are reference-counted: they live as long as the row or its turn
/// needs them, whichever view part was current when the photo was picked.
#[derive(Debug, Clone)]
struct Item {
    key: u32,
    file: web_sys::File,
    /// A local object URL of the photo, for its thumbnail.
    preview: Option<String>,
    step: ArcRwSignal<Step>,
    /// The person asked to cancel it.
    cancel: ArcRwSignal<bool>,
}

/// What a batch does to each photo.
#[derive(Debug, Clone)]
pub struct Work {
    /// The instruction, as the thread shows it (a tool's summary).
    pub text: String,
    /// A tool's form, when the batch is a tool's.
    pub tool: Option<Tool>,
}

/// A batch: its photos, and the conversation it runs in once started.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    items: RwSignal<Vec<Item>>,
    running: RwSignal<bool>,
    conversation: RwSignal<Option<String>>,
    /// A photo refused when added, or the batch's own failure.
    pub problem: RwSignal<Option<String>>,
    next: StoredValue<u32>,
    requests: Requests,
}

impl Batch {
    /// An empty batch whose requests end with the current view.
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            running: RwSignal::new(false),
            conversation: RwSignal::new(None),
            problem: RwSignal::new(None),
            next: StoredValue::new(0),
            requests: Requests::new(),
        }
    }

    /// How many photos it has.
    pub fn len(&self) -> usize {
        self.items.with(Vec::len)
    }

    /// True once started (running or finished).
    pub fn started(&self) -> bool {
        self.conversation.with(Option::is_some) || self.running.get()
    }

    /// The only photo, when there is exactly one.
    pub fn single(&self) -> Option<web_sys::File> {
        self.items.with_untracked(|items| match items.as_slice() {
            [one] => Some(one.file.clone()),
            _ => None,
        })
    }

    /// Adds photos (up to [`MAX_BATCH`]); a file that isn't a usable photo, or one too many, is said in
    /// [`Batch::problem`] and left out.
    pub fn add(&self, files: Vec<web_sys::File>, i18n: I18n) {
        self.problem.set(None);
        for file in files {
            if self.len() >= MAX_BATCH {
                self.problem.set(Some(i18n.t_args("tools-batch-too-many", [("max", MAX_BATCH.into())])));
                break;
            }
            let max = f64::from(MAX_SOURCE_MB) * 1024.0 * 1024.0;
            if let Err(problem) = check_upload(&file.type_(), file.size(), max) {
                let why = match problem {
                    UploadProblem::WrongType => i18n.t("image-wrong-type"),
                    UploadProblem::TooBig => i18n.t_args("image-too-big", [("mb", MAX_SOURCE_MB.into())]),
                    UploadProblem::Empty => i18n.t("image-empty-file"),
                };
                self.problem.set(Some(format!("{}: {why}", file.name())));
                continue;
            }
            let key = self.next.get_value();
            self.next.set_value(key + 1);
            let preview = web_sys::Url::create_object_url_with_blob(&file).ok();
            let item = Item {
                key,
                file,
                preview,
                step: ArcRwSignal::new(Step::Waiting),
                cancel: ArcRwSignal::new(false),
            };
            self.items.update(|items| items.push(item));
        }
    }

    fn remove(&self, key: u32) {
        self.items.update(|items| {
            if let Some(i) = items.iter().position(|item| item.key == key) {
                let item = items.remove(i);
                if let Some(url) = item.preview {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            }
        });
    }

    /// Starts the batch: a new conversation called `title`, then each photo in turn.
    pub fn start(&self, title: String, work: Work, i18n: I18n) {
        if self.running.get_untracked() || self.len() == 0 {
            return;
        }
        self.running.set(true);
        self.problem.set(None);
        let this = *self;
        self.requests.spawn(async move {
            let conversation = match api::create_conversation().await {
                Ok(c) => c.id,
                Err(e) => {
                    this.problem.set(Some(error_text(i18n, &e)));
                    this.running.set(false);
                    return;
                }
            };
            let _ = api::rename_conversation(&conversation, &title).await;
            this.conversation.set(Some(conversation.clone()));
            for item in this.items.get_untracked() {
                let step = run(&item, &conversation, &work, i18n).await;
                item.step.set(step);
            }
            this.running.set(false);
        });
    }

    /// Downloads every result as one ZIP named after `name`.
    fn download(&self, name: &str, suffix: &'static str, i18n: I18n) {
        let done: Vec<(String, ImageInfo)> = self.items.with_untracked(|items| {
            items
                .iter()
                .filter_map(|item| match item.step.get_untracked() {
                    Step::Done(info) => Some((item.file.name(), *info)),
                    _ => None,
                })
                .collect()
        });
        let (this, name) = (*self, format!("{name}.zip"));
        self.requests.spawn(async move {
            let mut taken = Vec::new();
            let mut entries = Vec::with_capacity(done.len());
            for (original, info) in done {
                match api::image_bytes(&info).await {
                    Ok(bytes) => {
                        let stem = original.rsplit_once('.').map_or(original.as_str(), |(s, _)| s);
                        let ext = extension(&info.content_type);
                        let name = archive::unique_name(&format!("{stem}-{suffix}.{ext}"), &mut taken);
                        entries.push(Entry { name, bytes });
                    }
                    Err(e) => {
                        this.problem.set(Some(error_text(i18n, &e)));
                        return;
                    }
                }
            }
            archive::save(&archive::zip(&entries), &name, "application/zip");
        });
    }
}

/// The file extension of a stored image's type.
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "jpg",
    }
}

/// One photo's turn: prepared, uploaded, edited, and its result found; cancelled between any two of
/// those (an upload the person cancelled is deleted again).
async fn run(item: &Item, conversation: &str, work: &Work, i18n: I18n) -> Step {
    if item.cancel.get_untracked() {
        return Step::Cancelled;
    }
    item.step.set(Step::Preparing);
    let prepared = match worker::prepare(&item.file, PrepRequest::default()).await {
        Ok(p) => p,
        Err(e) => return Step::Failed(prep_error_text(i18n, &e)),
    };
    if item.cancel.get_untracked() {
        return Step::Cancelled;
    }
    item.step.set(Step::Uploading(0));
    let step = item.step.clone();
    let progress = move |f: f64| step.set(Step::Uploading((f * 100.0).round().clamp(0.0, 100.0) as u8));
    let photo = match api::upload_image(&prepared.blob, &prepared.info.content_type, progress).await {
        Ok(info) => info,
        Err(e) => return Step::Failed(error_text(i18n, &e)),
    };
    if item.cancel.get_untracked() {
        let _ = api::delete_image(&photo.id, true, false).await;
        return Step::Cancelled;
    }
    item.step.set(Step::Editing(0));
    let body = PostMessage {
        text: work.text.clone(),
        image_id: Some(photo.id.clone()),
        tool: work.tool.clone(),
        ..PostMessage::default()
    };
    let exchange = match api::post_message(conversation, &body, &idempotency_key()).await {
        Ok(exchange) => exchange,
        Err(e) => return Step::Failed(error_text(i18n, &e)),
    };
    // An answer instead of a job: the instruction could not be done, and the answer says why.
    let Some(mut job) = exchange.job else {
        let reply = exchange.reply.map(|m| i18n.said(m.text_said.as_ref(), &m.text));
        return Step::Failed(reply.unwrap_or_else(|| i18n.t("tools-batch-failed")));
    };
    let mut asked_to_stop = false;
    while !job.state.is_finished() {
        sleep(POLL).await;
        if item.cancel.get_untracked() && !asked_to_stop {
            asked_to_stop = true;
            if let Ok(now) = api::cancel_job(&job.id).await {
                job = now;
                continue;
            }
        }
        job = match api::job(&job.id).await {
            Ok(job) => job,
            Err(e) => return Step::Failed(error_text(i18n, &e)),
        };
        item.step.set(Step::Editing(job.progress));
    }
    match job.state {
        JobState::Succeeded => {}
        JobState::Cancelled => return Step::Cancelled,
        _ => {
            let reason = job.error.as_deref().map(|e| i18n.said(job.error_said.as_ref(), e));
            return Step::Failed(reason.unwrap_or_else(|| i18n.t("tools-batch-failed")));
        }
    }
    // The result is the reply to this photo's instruction.
    match api::conversation(conversation).await {
        Ok(detail) => detail
            .messages
            .into_iter()
            .find(|m| m.reply_to.as_deref() == Some(exchange.prompt.id.as_str()) && m.image.is_some())
            .and_then(|m| m.image)
            .map_or_else(|| Step::Failed(i18n.t("tools-batch-failed")), |image| Step::Done(Box::new(image))),
        Err(e) => Step::Failed(error_text(i18n, &e)),
    }
}

/// The batch's photos with how far each has got and a Cancel (or Remove, before it starts) for each; the
/// overall count, the ZIP of the results and the way to the conversation.
#[component]
pub fn BatchList(
    batch: Batch,
    /// The ZIP's name (without ".zip").
    zip_name: Signal<String>,
    /// Added to each result's name in the ZIP ("shoe-product.jpg").
    suffix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |item: Item| {
        let Item { key, file, preview, step, cancel } = item;
        // Handles for this row's view, owned by it; the photo's turn holds the signals themselves.
        let (step, cancel) = (RwSignal::from(step), RwSignal::from(cancel));
        let name = file.name();
        let label = name.clone();
        let status = move || match step.get() {
            Step::Waiting if batch.running.get() => i18n.t("tools-batch-waiting"),
            Step::Waiting => String::new(),
            Step::Preparing => i18n.t("tools-batch-preparing"),
            Step::Uploading(p) => i18n.t_args("tools-batch-uploading", [("percent", p.into())]),
            Step::Editing(p) => i18n.t_args("tools-batch-editing", [("percent", p.into())]),
            Step::Done(_) => i18n.t("tools-batch-done"),
            Step::Failed(why) => why,
            Step::Cancelled => i18n.t("tools-batch-cancelled"),
        };
        let percent = move || match step.get() {
            Step::Uploading(p) | Step::Editing(p) => Some(p),
            Step::Preparing => Some(0),
            _ => None,
        };
        let result = move || match step.get() {
            Step::Done(info) => Some(view! {
                <img class="batch-result" src=info.preview_url(256) alt=i18n.t_args("tools-batch-result-alt", [("name", name.clone().into())])/>
            }),
            _ => None,
        };
        let can_cancel = move || {
            !cancel.get()
                && (step.with(Step::is_active) || (batch.running.get() && step.get() == Step::Waiting))
        };
        let can_remove = move || !batch.started();
        let failed = move || matches!(step.get(), Step::Failed(_));
        view! {
            <li class="batch-item" class:failed=failed>
                {preview.map(|src| view! { <img class="batch-thumb" src=src alt=""/> })}
                <div class="batch-info">
                    <span class="batch-name">{label.clone()}</span>
                    {move || percent().map(|p| view! {
                        <progress max="100" value=p.to_string() aria-label=i18n.t_args("tools-batch-progress", [("name", label.clone().into())])></progress>
                    })}
                    <span class="muted batch-status" role="status">{status}</span>
                </div>
                {result}
                <Show when=can_cancel>
                    <button type="button" class="btn btn-ghost btn-small" on:click=move |_| cancel.set(true)>
                        {i18n.tr("tools-batch-cancel")}
                    </button>
                </Show>
                <Show when=can_remove>
                    <button type="button" class="btn btn-ghost btn-small" on:click=move |_| batch.remove(key)>
                        {i18n.tr("tools-batch-remove")}
                    </button>
                </Show>
            </li>
        }
    };
    let done = move || {
        batch.items.with(|items| items.iter().filter(|i| matches!(i.step.get(), Step::Done(_))).count())
    };
    let finished = move || batch.started() && !batch.running.get();
    view! {
        <ul class="batch-list" aria-label=i18n.tr("tools-batch-photos")>
            <For each=move || batch.items.get() key=|item| item.key children=row/>
        </ul>
        <Show when=move || batch.started()>
            <p class="batch-summary" role="status">
                {move || i18n.t_args("tools-batch-summary", [("done", done().into()), ("total", batch.len().into())])}
            </p>
        </Show>
        <Show when=finished>
            <div class="batch-actions">
                <button type="button" class="btn btn-primary" disabled=move || done() == 0
                    on:click=move |_| batch.download(&zip_name.get_untracked(), suffix, i18n)>
                    {i18n.tr("tools-batch-zip")}
                </button>
                {move || batch.conversation.get().map(|id| view! {
                    <A href=format!("/image/{id}") attr:class="btn btn-ghost">{i18n.tr("tools-batch-open")}</A>
                })}
            </div>
        </Show>
    }
}

/// The file input of a batch: several photos at once.
#[component]
pub fn BatchPicker(batch: Batch) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !batch.started()>
            <label class="btn btn-ghost file-button">
                {move || i18n.tr(if batch.len() == 0 { "tools-batch-pick" } else { "tools-batch-add" })}
                <input class="visually-hidden" type="file" accept="image/*" multiple on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    let files = input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
                    input.set_value("");
                    batch.add(files, i18n);
                }/>
            </label>
        </Show>
        {move || batch.problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
    }
}
