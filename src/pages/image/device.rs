//! "Edit on this device" in the editor: photos attached in this mode are prepared in the browser and never
//! uploaded; each instruction runs in the on-device worker ([`crate::device`]) on the newest version made
//! here (or on a version of the thread, downloaded), and its result is shown below the thread, marked as
//! not saved, with Save, Download, Select an area and Discard. Save sends that one version to the server,
//! where it joins the thread; until then, nothing of the photo, the words or the result has left the device.

use super::mask::Brushed;
use crate::api;
use crate::components::error_text;
use crate::device::{self, Failed};
use crate::i18n::{use_i18n, I18n};
use crate::worker::{self, PrepRequest};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use vinano_api::{DeviceEdit, EditParams, ImageInfo, Said};
use web_sys::Blob;

/// The prefix of a local version's id (never a server id, which has no dash).
const LOCAL: &str = "device-";

/// A version held on this device.
#[derive(Clone)]
pub struct LocalImage {
    /// How the editor's parts see it (id `device-<n>`; its URL is [`src_of`]'s).
    pub info: ImageInfo,
    /// An object URL of the file.
    pub url: String,
    /// The file.
    pub blob: SendWrapper<Blob>,
    /// The steps that made it (JSON), empty for a photo.
    pub plan: String,
    /// The server version it descends from, if any.
    pub server_parent: Option<String>,
    /// Milliseconds the device spent on it.
    pub ms: u64,
}

/// One exchange (or photo) of the on-device thread.
#[derive(Clone)]
pub struct Local {
    /// Its number (its image's id is `device-<key>`).
    pub key: u32,
    /// The instruction (empty for an attached photo).
    pub instruction: String,
    /// The reply and its English; `None` for a photo, or while it is being made.
    pub said: Option<(Said, String)>,
    /// The version it made (or the photo).
    pub image: Option<LocalImage>,
    /// Being saved to the server.
    pub saving: bool,
    /// Why it could not be made (the thread's version could not be downloaded) or saved.
    pub error: Option<String>,
}

/// The on-device state the editor's parts share.
#[derive(Clone, Copy)]
pub struct DeviceCtx {
    /// Whether this conversation edits on this device.
    pub on: RwSignal<bool>,
    /// The on-device thread, oldest first.
    pub entries: RwSignal<Vec<Local>>,
    /// The worker is busy with an instruction or a photo.
    pub busy: RwSignal<bool>,
    next: StoredValue<u32>,
}

thread_local! {
    // The unsaved versions on their way into the conversation their first save started (the editor is
    // made anew for it).
    static CARRIED: std::cell::RefCell<Option<(Vec<Local>, u32)>> = const { std::cell::RefCell::new(None) };
}

impl DeviceCtx {
    /// Off, with the versions carried into this conversation (see [`DeviceCtx::carry`]) if any.
    pub fn new() -> Self {
        let ctx = Self {
            on: RwSignal::new(false),
            entries: RwSignal::new(Vec::new()),
            busy: RwSignal::new(false),
            next: StoredValue::new(1),
        };
        ctx.restore();
        ctx
    }

    /// Hands the unsaved versions over to the conversation about to open (their first save started it).
    pub fn carry(&self) {
        let entries = self.entries.try_update_untracked(std::mem::take).unwrap_or_default();
        CARRIED.with(|c| *c.borrow_mut() = Some((entries, self.next.get_value())));
    }

    /// Takes back versions carried into this conversation.
    pub fn restore(&self) {
        if let Some((entries, next)) = CARRIED.with(|c| c.borrow_mut().take()) {
            self.next.set_value(next);
            self.entries.set(entries);
        }
    }

    fn next_key(&self) -> u32 {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        key
    }

    /// The newest version held here.
    pub fn newest(&self) -> Option<LocalImage> {
        self.entries.with(|e| e.iter().rev().find_map(|l| l.image.clone()))
    }

    /// The local version with image id `id`.
    pub fn find(&self, id: &str) -> Option<LocalImage> {
        self.entries.with(|e| e.iter().find_map(|l| l.image.clone().filter(|i| i.info.id == id)))
    }

    /// Drops every local version (and frees their files).
    pub fn clear(&self) {
        for entry in self.entries.get_untracked() {
            if let Some(image) = entry.image {
                let _ = web_sys::Url::revoke_object_url(&image.url);
            }
        }
        self.entries.set(Vec::new());
    }

    fn push(&self, entry: Local) {
        self.entries.update(|e| e.push(entry));
    }

    fn update(&self, key: u32, change: impl FnOnce(&mut Local)) {
        self.entries.update(|e| {
            if let Some(entry) = e.iter_mut().find(|l| l.key == key) {
                change(entry);
            }
        });
    }
}

/// Whether `id` names a version held on this device.
pub fn is_local(id: &str) -> bool {
    id.starts_with(LOCAL)
}

/// Where an image is shown from: its object URL when it is held here, else its preview of `size` px.
pub fn src_of(ctx: DeviceCtx, info: &ImageInfo, size: u32) -> String {
    match ctx.find(&info.id) {
        Some(local) => local.url,
        None => info.preview_url(size),
    }
}

fn local_image(key: u32, blob: Blob, content_type: String, size: (u32, u32), plan: String) -> LocalImage {
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap_or_default();
    LocalImage {
        info: ImageInfo {
            id: format!("{LOCAL}{key}"),
            parent_id: None,
            width: size.0,
            height: size.1,
            content_type,
            generation: None,
            feedback: None,
            commercial: false,
            training_consent: false,
            expires_at: None,
        },
        url,
        blob: SendWrapper::new(blob),
        plan,
        server_parent: None,
        ms: 0,
    }
}

/// Attaches photos on this device: each is prepared in the image-prep worker (upright, metadata-free,
/// downscaled) and shown in the on-device thread; none is uploaded.
pub fn attach(ctx: DeviceCtx, files: Vec<web_sys::File>, i18n: I18n, error: RwSignal<Option<String>>) {
    for file in files {
        let key = ctx.next_key();
        ctx.busy.set(true);
        leptos::task::spawn_local(async move {
            match worker::prepare(&file, PrepRequest::default()).await {
                Ok(prepared) => {
                    let size = (prepared.info.width, prepared.info.height);
                    let image =
                        local_image(key, prepared.blob, prepared.info.content_type, size, String::new());
                    let entry = Local {
                        key,
                        instruction: String::new(),
                        said: None,
                        image: Some(image),
                        saving: false,
                        error: None,
                    };
                    ctx.push(entry);
                }
                Err(e) => error.set(Some(crate::components::attachments::prep_error_text(i18n, &e))),
            }
            ctx.busy.set(false);
        });
    }
}

/// Runs `instruction` on this device: inside the brushed selection when there is one (on the version it
/// was brushed on), else on the newest version made here, else on `server_base` (a version of the thread,
/// downloaded), else on nothing (words that make an image).
pub fn send(
    ctx: DeviceCtx,
    instruction: String,
    params: EditParams,
    brushed: Option<Brushed>,
    server_base: Option<ImageInfo>,
    i18n: I18n,
) {
    let key = ctx.next_key();
    let base_local = match &brushed {
        Some(b) => ctx.find(&b.image_id),
        None => ctx.newest(),
    };
    let base_server = match (&brushed, &base_local) {
        (_, Some(_)) => None,
        (Some(b), None) => server_base.filter(|s| s.id == b.image_id),
        (None, None) => server_base,
    };
    ctx.push(Local {
        key,
        instruction: instruction.clone(),
        said: None,
        image: None,
        saving: false,
        error: None,
    });
    ctx.busy.set(true);
    leptos::task::spawn_local(async move {
        let fetched = match &base_server {
            Some(info) => match api::image_bytes(info).await {
                Ok(bytes) => Some(bytes_blob(&bytes, &info.content_type)),
                Err(e) => {
                    ctx.update(key, |l| l.error = Some(error_text(i18n, &e)));
                    ctx.busy.set(false);
                    return;
                }
            },
            None => None,
        };
        let blob = base_local.as_ref().map(|l| (*l.blob).clone()).or(fetched);
        let selection = brushed.as_ref().map(|b| b.png.as_str());
        let answer = device::edit(&instruction, &params, blob.as_ref(), selection).await;
        let parent = base_local.and_then(|l| l.server_parent).or(base_server.map(|s| s.id));
        ctx.update(key, |entry| match answer {
            Ok(edited) => {
                let size = (edited.width, edited.height);
                let mut image = local_image(key, edited.blob, edited.content_type, size, edited.plan);
                image.server_parent = parent;
                image.ms = edited.ms.round() as u64;
                entry.said = Some(edited.said);
                entry.image = Some(image);
            }
            Err(Failed::Said(said, english)) => entry.said = Some((said, english)),
            Err(Failed::Worker) => entry.error = Some(i18n.t("device-worker-failed")),
        });
        ctx.busy.set(false);
    });
}

fn bytes_blob(bytes: &[u8], content_type: &str) -> Blob {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let array = js_sys::Uint8Array::from(bytes);
    Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&array), &options)
        .unwrap_or_else(|_| Blob::new().expect("an empty Blob"))
}

/// Saves entry `key`'s version into the conversation (`conversation`: started first when `None`); `saved`
/// gets the conversation's id once the server has it.
pub fn save(ctx: DeviceCtx, key: u32, conversation: Option<String>, saved: Callback<String>, i18n: I18n) {
    let Some(entry) = ctx.entries.with_untracked(|e| e.iter().find(|l| l.key == key).cloned()) else {
        return;
    };
    let Some(image) = entry.image.clone() else { return };
    ctx.update(key, |l| {
        l.saving = true;
        l.error = None;
    });
    leptos::task::spawn_local(async move {
        let edit = DeviceEdit {
            text: entry.instruction.clone(),
            plan: image.plan.clone(),
            parent_id: image.server_parent.clone(),
            duration_ms: image.ms,
        };
        let outcome = async {
            let id = match conversation {
                Some(id) => id,
                None => api::create_conversation().await?.id,
            };
            api::save_device_edit(&id, &edit, &image.blob).await?;
            Ok::<_, api::ApiError>(id)
        }
        .await;
        match outcome {
            Ok(id) => {
                ctx.entries.update(|e| e.retain(|l| l.key != key));
                let _ = web_sys::Url::revoke_object_url(&image.url);
                crate::state::telemetry::track("device_saved", None);
                saved.run(id);
            }
            Err(e) => ctx.update(key, |l| {
                l.saving = false;
                l.error = Some(error_text(i18n, &e));
            }),
        }
    });
}

/// The switch in the composer's settings.
#[component]
pub fn DeviceSwitch(
    /// The editor's on-device state.
    ctx: DeviceCtx,
    /// The open conversation (the choice is remembered for it).
    conversation_id: Memo<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="device-switch">
            <input
                type="checkbox"
                prop:checked=move || ctx.on.get()
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    ctx.on.set(on);
                    crate::state::on_device::set_for_conversation(conversation_id.get_untracked().as_deref(), on);
                }
            />
            <span>
                <strong>{i18n.tr("device-switch")}</strong>
                <small class="muted">{i18n.tr("device-switch-hint")}</small>
            </span>
        </label>
    }
}

/// The on-device thread, under the server's.
#[component]
pub fn LocalThread(
    /// The editor's on-device state.
    ctx: DeviceCtx,
    /// The open conversation.
    conversation_id: Memo<Option<String>>,
    /// Called with the conversation's id when a version has been saved into it.
    saved: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let brushing = super::use_editor().brushing;
    let row = move |entry: Local| {
        let key = entry.key;
        let prompt = (!entry.instruction.is_empty()).then(|| {
            view! {
                <li class="msg msg-user">
                    <span class="msg-author">{i18n.tr("image-you")}</span>
                    <p class="msg-text">{entry.instruction.clone()}</p>
                </li>
            }
        });
        let words = match (&entry.said, entry.instruction.is_empty(), &entry.error) {
            (_, true, _) => i18n.t("device-photo"),
            (Some((said, english)), false, _) => i18n.said(Some(said), english),
            (None, false, Some(_)) => String::new(),
            (None, false, None) => i18n.t("device-working"),
        };
        let picture = entry.image.clone().map(|image| {
            let alt = if entry.instruction.is_empty() {
                i18n.t_args("image-original-alt", [("width", image.info.width.into()), ("height", image.info.height.into())])
            } else {
                i18n.t_args("device-result-alt", [("instruction", entry.instruction.clone().into())])
            };
            let (width, height) = (image.info.width.max(1), image.info.height.max(1));
            let file = format!("vinano-{key}.{}", extension(&image.info.content_type));
            let info = image.info.clone();
            let save_button = (!entry.instruction.is_empty()).then(|| {
                let saving = entry.saving;
                view! {
                    <button
                        type="button"
                        class="btn btn-primary btn-small"
                        disabled=saving
                        on:click=move |_| save(ctx, key, conversation_id.get_untracked(), saved, i18n)
                    >
                        {if saving { i18n.t("device-saving") } else { i18n.t("device-save") }}
                    </button>
                }
            });
            view! {
                <img
                    src=image.url.clone()
                    alt=alt
                    class="msg-image result"
                    width=width
                    height=height
                    style:width=format!("min(34rem, {width}px, calc(28rem * {width} / {height}))")
                    style:aspect-ratio=format!("{width} / {height}")
                />
                <div class="device-actions">
                    {save_button}
                    <a class="btn btn-ghost btn-small" href=image.url.clone() download=file>{i18n.tr("device-download")}</a>
                    <button type="button" class="btn btn-ghost btn-small" on:click=move |_| brushing.set(Some(info.clone()))>
                        {i18n.tr("device-brush")}
                    </button>
                    <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        on:click=move |_| {
                            let _ = web_sys::Url::revoke_object_url(&image.url);
                            ctx.entries.update(|e| e.retain(|l| l.key != key));
                        }
                    >
                        {i18n.tr("device-discard")}
                    </button>
                </div>
            }
        });
        let error = entry.error.clone().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> });
        view! {
            {prompt}
            <li class="msg msg-assistant msg-device" data-testid="device-reply">
                <span class="msg-author">{i18n.tr("device-not-saved")}</span>
                <p class="msg-text">{words}</p>
                {picture}
                {error}
            </li>
        }
    };
    view! {
        <Show when=move || ctx.entries.with(|e| !e.is_empty())>
            <ol class="thread device-thread" aria-label=i18n.tr("device-thread") aria-live="polite">
                <For each=move || ctx.entries.get() key=|l| (l.key, l.said.is_some(), l.image.is_some(), l.saving, l.error.clone()) let:entry>
                    {row(entry)}
                </For>
            </ol>
        </Show>
    }
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    }
}
