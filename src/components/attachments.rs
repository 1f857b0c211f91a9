//! Photos attached to the unsent instruction. Each one is prepared in the image-prep worker (upright,
//! metadata stripped, downscaled), uploaded with a progress bar, and kept in the draft once uploaded, so a
//! reload doesn't lose it. A photo that can't be used says why on its own row; the others stay.

use crate::api;
use crate::components::error_text;
use crate::components::requests::Requests;
use crate::i18n::{use_i18n, I18n};
use crate::state::{check_upload, drafts, UploadProblem, MAX_SOURCE_MB};
use crate::worker::{self, PrepError, PrepErrorKind, PrepRequest};
use leptos::prelude::*;
use vinano_api::ImageInfo;

/// Where one attached photo is.
#[derive(Debug, Clone, PartialEq)]
pub enum AttachState {
    /// In the image-prep worker.
    Preparing,
    /// Being uploaded; the fraction sent so far.
    Uploading(f64),
    /// Stored on the server.
    Ready(Box<ImageInfo>),
    /// Refused, with the reason to show.
    Failed(String),
}

/// One attached photo.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Identifies the row.
    pub key: u32,
    /// The file name, as the person knows it.
    pub name: String,
    /// Thumbnail source: a local object URL at first (instant), the stored image for restored drafts.
    pub thumb: Option<String>,
    /// Where it is.
    pub state: RwSignal<AttachState>,
}

/// The draft's attachments, shared by the composer and the drop/paste handlers.
#[derive(Debug, Clone, Copy)]
pub struct Attachments {
    /// The rows, in the order attached.
    pub items: RwSignal<Vec<Attachment>>,
    /// Longest side of prepared uploads; `None` keeps the original resolution (still re-encoded, so
    /// still without metadata).
    pub max_side: RwSignal<Option<u32>>,
    /// The localStorage key of the draft the uploaded ones are saved under.
    draft_key: RwSignal<String>,
    next: StoredValue<u32>,
    /// The uploads end with the view.
    requests: Requests,
}

impl Attachments {
    /// An empty set, saved under the draft of a new conversation until [`Attachments::switch_draft`].
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            max_side: RwSignal::new(PrepRequest::default().max_side),
            draft_key: RwSignal::new(drafts::key(None)),
            next: StoredValue::new(1),
            requests: Requests::new(),
        }
    }

    /// Shows the attachments saved with another draft (the conversation changed).
    pub fn switch_draft(&self, key: String) {
        self.forget_all();
        let restored = drafts::load_attachments(&key);
        self.draft_key.set(key);
        let rows = restored
            .into_iter()
            .map(|info| Attachment {
                key: self.take_key(),
                name: String::new(),
                thumb: Some(info.url()),
                state: RwSignal::new(AttachState::Ready(Box::new(info))),
            })
            .collect();
        self.items.set(rows);
    }

    fn take_key(&self) -> u32 {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        key
    }

    /// Attaches files: each is checked, prepared and uploaded on its own.
    pub fn add_files(&self, files: Vec<web_sys::File>, i18n: I18n) {
        for file in files {
            let key = self.take_key();
            let max = f64::from(MAX_SOURCE_MB) * 1024.0 * 1024.0;
            let refused = check_upload(&file.type_(), file.size(), max).err().map(|problem| match problem {
                UploadProblem::WrongType => i18n.t("image-wrong-type"),
                UploadProblem::TooBig => i18n.t_args("image-too-big", [("mb", MAX_SOURCE_MB.into())]),
                UploadProblem::Empty => i18n.t("image-empty-file"),
            });
            let thumb =
                refused.is_none().then(|| web_sys::Url::create_object_url_with_blob(&file).ok()).flatten();
            let state = RwSignal::new(match &refused {
                Some(message) => AttachState::Failed(message.clone()),
                None => AttachState::Preparing,
            });
            self.items.update(|items| items.push(Attachment { key, name: file.name(), thumb, state }));
            if refused.is_some() {
                continue;
            }
            let this = *self;
            let request = PrepRequest { max_side: self.max_side.get_untracked(), ..PrepRequest::default() };
            self.requests.spawn(async move {
                let prepared = match worker::prepare(&file, request).await {
                    Ok(p) => p,
                    Err(e) => {
                        state.set(AttachState::Failed(prep_error_text(i18n, &e)));
                        return;
                    }
                };
                state.set(AttachState::Uploading(0.0));
                let progress = move |fraction: f64| state.set(AttachState::Uploading(fraction));
                match api::upload_image(&prepared.blob, &prepared.info.content_type, progress).await {
                    Ok(info) => {
                        state.set(AttachState::Ready(Box::new(info)));
                        this.save();
                        crate::state::telemetry::track("photo_attached", None);
                    }
                    Err(e) => state.set(AttachState::Failed(error_text(i18n, &e))),
                }
            });
        }
    }

    /// Removes one row.
    pub fn remove(&self, key: u32) {
        let mut removed = None;
        self.items.update(|items| {
            if let Some(i) = items.iter().position(|a| a.key == key) {
                removed = Some(items.remove(i));
            }
        });
        if let Some(a) = removed {
            revoke(&a);
        }
        self.save();
    }

    /// Empties the set and its saved draft (after a send).
    pub fn clear(&self) {
        self.forget_all();
        self.save();
    }

    fn forget_all(&self) {
        for a in self.items.get_untracked() {
            revoke(&a);
        }
        self.items.set(Vec::new());
    }

    /// The uploaded ones, in order.
    pub fn ready(&self) -> Vec<ImageInfo> {
        self.items.with(|items| {
            items
                .iter()
                .filter_map(|a| match a.state.get() {
                    AttachState::Ready(info) => Some(*info),
                    _ => None,
                })
                .collect()
        })
    }

    /// True while any photo is still being prepared or uploaded.
    pub fn busy(&self) -> bool {
        self.items.with(|items| {
            items.iter().any(|a| matches!(a.state.get(), AttachState::Preparing | AttachState::Uploading(_)))
        })
    }

    /// True when a photo could not be used and is still listed.
    pub fn has_failed(&self) -> bool {
        self.items.with(|items| items.iter().any(|a| matches!(a.state.get(), AttachState::Failed(_))))
    }

    fn save(&self) {
        let ready: Vec<ImageInfo> = self.items.with_untracked(|items| {
            items
                .iter()
                .filter_map(|a| match a.state.get_untracked() {
                    AttachState::Ready(info) => Some(*info),
                    _ => None,
                })
                .collect()
        });
        drafts::save_attachments(&self.draft_key.get_untracked(), &ready);
    }
}

impl Default for Attachments {
    fn default() -> Self {
        Self::new()
    }
}

fn revoke(a: &Attachment) {
    if let Some(url) = a.thumb.as_deref().filter(|u| u.starts_with("blob:")) {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}

/// The message for a photo the worker could not prepare.
pub fn prep_error_text(i18n: I18n, e: &PrepError) -> String {
    match e.kind {
        PrepErrorKind::TooLarge => i18n.problem(
            &vinano_api::Problem::new(vinano_api::Msg::ImageTooLarge)
                .num("width", e.width.into())
                .num("height", e.height.into())
                .num("limit_mp", e.max_megapixels.into()),
        ),
        kind => i18n.t(kind.i18n_key()),
    }
}

/// Upload sizes offered: long side in pixels, `None` for full resolution.
pub const UPLOAD_SIZES: [Option<u32>; 4] = [Some(1024), Some(2048), Some(4096), None];

/// The "Upload size" menu: how large prepared photos are (applies to photos attached afterwards).
#[component]
pub fn UploadSize(
    /// The draft's attachments.
    attachments: Attachments,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = |size: Option<u32>| size.map_or("full".to_string(), |s| s.to_string());
    let options = UPLOAD_SIZES
        .iter()
        .map(|&size| {
            let label = match size {
                Some(2048) => i18n.t("attach-size-recommended"),
                Some(px) => i18n.t_args("attach-size-px", [("px", px.into())]),
                None => i18n.t("attach-size-full"),
            };
            view! { <option value=value(size)>{label}</option> }
        })
        .collect_view();
    view! {
        <label class="upload-size">
            <span>{i18n.tr("attach-size")}</span>
            <select
                prop:value=move || value(attachments.max_side.get())
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    attachments.max_side.set(chosen.parse().ok());
                }
            >
                {options}
            </select>
        </label>
    }
}

/// The attached photos, each with its thumbnail, progress or problem, and a remove button.
#[component]
pub fn AttachmentList(
    /// The draft's attachments.
    attachments: Attachments,
) -> impl IntoView {
    let i18n = use_i18n();
    // Several photos are numbered as the instruction names them: image 1 is edited, the others go on it,
    // beside it or behind it.
    let several = move || attachments.items.with(|items| items.len() > 1);
    view! {
        <ul class="attachments" aria-label=i18n.tr("attach-list")>
            <For each=move || attachments.items.get() key=|a| a.key let:item>
                <AttachmentRow item=item attachments=attachments/>
            </For>
        </ul>
        <Show when=several>
            <p class="muted attachments-hint">{i18n.t("attach-numbered")}</p>
        </Show>
    }
}

#[component]
fn AttachmentRow(item: Attachment, attachments: Attachments) -> impl IntoView {
    let i18n = use_i18n();
    let state = item.state;
    let name = if item.name.is_empty() {
        match state.get_untracked() {
            AttachState::Ready(info) => crate::components::describe(i18n, &info),
            _ => String::new(),
        }
    } else {
        item.name.clone()
    };
    let label = name.clone();
    let thumb = item
        .thumb
        .clone()
        .map(|src| view! { <img src=src alt="" class="attachment-thumb" decoding="async"/> });
    let key = item.key;
    let number = move || {
        attachments.items.with(|items| {
            let at = items.iter().position(|a| a.key == key).filter(|_| items.len() > 1)?;
            Some(i18n.t_args("attach-number", [("n", (at as u64 + 1).into())]))
        })
    };
    view! {
        <li class="attachment" class:failed=move || matches!(state.get(), AttachState::Failed(_))>
            {thumb}
            <div class="attachment-body">
                <span class="attachment-name">
                    {move || number().map(|n| view! { <strong class="attachment-number">{n}" · "</strong> })}
                    {name}
                </span>
                {move || match state.get() {
                    AttachState::Preparing => {
                        view! { <span class="muted" role="status">{i18n.t("attach-preparing")}</span> }.into_any()
                    }
                    AttachState::Uploading(fraction) => {
                        let percent = (fraction * 100.0).round() as u32;
                        view! {
                            <progress
                                max="100"
                                value=percent.to_string()
                                aria-label=i18n.t_args("attach-uploading", [("name", label.clone().into())])
                            ></progress>
                        }
                            .into_any()
                    }
                    AttachState::Ready(info) => {
                        let size = i18n.t_args("attach-ready", [("width", info.width.into()), ("height", info.height.into())]);
                        view! { <span class="muted">{size}</span> }.into_any()
                    }
                    AttachState::Failed(message) => view! { <span class="alert" role="alert">{message}</span> }.into_any(),
                }}
            </div>
            <button
                type="button"
                class="btn btn-ghost btn-small"
                aria-label=i18n.t_args("attach-remove", [("name", item.name.clone().into())])
                on:click=move |_| attachments.remove(key)
            >
                "×"
            </button>
        </li>
    }
}
