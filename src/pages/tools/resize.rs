//! The social media resizer (`/tools/resize`), entirely on this device: one photo becomes each network's
//! image sizes, each cut around a focus point the person taps, drags, moves with the arrow keys or lets the
//! segmentation model find; downloaded one by one or as a ZIP made here.
//!
//! The image-prep worker makes the upright preview and, from the full-size photo, the files
//! (`vinano_imaging::crop::cut`); the previews are that preview shown through CSS `object-position`, which
//! [`crop_position`] computes from the same crop. Nothing is uploaded and no request goes to the API.

use super::archive::{self, Entry};
use super::{PhotoPicker, ToolPage};
use crate::components::attachments::prep_error_text;
use crate::i18n::use_i18n;
use crate::worker::{self, PrepRequest};
use leptos::prelude::*;
use vinano_imaging::crop::crop_position;
use web_sys::Blob;

/// The sizes made: (name key, width, height, file name).
pub const SIZES: [(&str, u32, u32, &str); 7] = [
    ("tools-resize-ig-square", 1080, 1080, "instagram-square"),
    ("tools-resize-ig-portrait", 1080, 1350, "instagram-portrait"),
    ("tools-resize-ig-story", 1080, 1920, "instagram-story"),
    ("tools-resize-fb-cover", 1640, 624, "facebook-cover"),
    ("tools-resize-x-header", 1500, 500, "x-header"),
    ("tools-resize-linkedin", 1584, 396, "linkedin-banner"),
    ("tools-resize-youtube", 1280, 720, "youtube-thumbnail"),
];

/// Longest side of the preview the worker makes.
const PREVIEW_SIDE: u32 = 1280;

/// The resizer's page; open to visitors too, since nothing of theirs reaches the server.
#[component]
pub fn Resizer() -> impl IntoView {
    view! { <ToolPage title="tools-resize-title" about="tools-resize-about" open=true><ResizeForm/></ToolPage> }
}

/// The chosen photo as shown here: the worker's upright preview, at an object URL.
struct Shown {
    url: String,
    blob: Blob,
    width: u32,
    height: u32,
}

impl Drop for Shown {
    fn drop(&mut self) {
        let _ = web_sys::Url::revoke_object_url(&self.url);
    }
}

/// What the page is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Busy {
    Idle,
    Preparing,
    Finding,
    Saving,
}

#[component]
fn ResizeForm() -> impl IntoView {
    let i18n = use_i18n();
    let photo = RwSignal::new(None::<web_sys::File>);
    let shown = RwSignal::new_local(None::<Shown>);
    let focus = RwSignal::new((0.5, 0.5));
    let busy = RwSignal::new(Busy::Idle);
    let said = RwSignal::new(None::<String>);
    // A new photo: an upright preview from the worker, the focus back in the middle.
    Effect::new(move |_| {
        let file = photo.get();
        shown.set(None);
        focus.set((0.5, 0.5));
        said.set(None);
        let Some(file) = file else { return };
        busy.set(Busy::Preparing);
        leptos::task::spawn_local(async move {
            let request = PrepRequest { max_side: Some(PREVIEW_SIDE), ..PrepRequest::default() };
            let prepared = worker::prepare(&file, request).await;
            // Another photo was chosen meanwhile: this one is no longer wanted.
            if photo.with_untracked(|p| p.as_ref() != Some(&file)) {
                return;
            }
            busy.set(Busy::Idle);
            match prepared {
                Ok(p) => {
                    let Ok(url) = web_sys::Url::create_object_url_with_blob(&p.blob) else { return };
                    shown.set(Some(Shown { url, blob: p.blob, width: p.info.width, height: p.info.height }));
                }
                Err(e) => said.set(Some(prep_error_text(i18n, &e))),
            }
        });
    });
    let stage = NodeRef::<leptos::html::Div>::new();
    let point = move |ev: &web_sys::PointerEvent| {
        let Some(stage) = stage.get() else { return };
        let rect = stage.get_bounding_client_rect();
        let fx = ((f64::from(ev.client_x()) - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0);
        let fy = ((f64::from(ev.client_y()) - rect.top()) / rect.height().max(1.0)).clamp(0.0, 1.0);
        focus.set((fx, fy));
    };
    let key = move |ev: leptos::ev::KeyboardEvent| {
        let (dx, dy) = match ev.key().as_str() {
            "ArrowLeft" => (-0.05, 0.0),
            "ArrowRight" => (0.05, 0.0),
            "ArrowUp" => (0.0, -0.05),
            "ArrowDown" => (0.0, 0.05),
            _ => return,
        };
        ev.prevent_default();
        focus.update(|(x, y)| (*x, *y) = ((*x + dx).clamp(0.0, 1.0), (*y + dy).clamp(0.0, 1.0)));
    };
    let find = move |_| {
        let Some(blob) = shown.with_untracked(|s| s.as_ref().map(|s| s.blob.clone())) else { return };
        busy.set(Busy::Finding);
        said.set(None);
        leptos::task::spawn_local(async move {
            match crate::device::subject(&blob).await {
                Ok(at) => focus.set(at),
                Err(_) => said.set(Some(i18n.t("tools-resize-no-subject"))),
            }
            busy.set(Busy::Idle);
        });
    };
    let stem = move || {
        photo
            .with_untracked(|p| p.as_ref().map(|f| f.name()))
            .map_or("photo".to_string(), |n| n.rsplit_once('.').map_or(n.clone(), |(s, _)| s.to_string()))
    };
    let download = move |which: Option<usize>| {
        let Some(file) = photo.get_untracked() else { return };
        let (focus, stem) = (focus.get_untracked(), stem());
        busy.set(Busy::Saving);
        said.set(None);
        leptos::task::spawn_local(async move {
            let chosen: Vec<usize> = which.map_or_else(|| (0..SIZES.len()).collect(), |i| vec![i]);
            let sizes: Vec<(u32, u32)> = chosen.iter().map(|&i| (SIZES[i].1, SIZES[i].2)).collect();
            match worker::cut_sizes(&file, &sizes, focus).await {
                Ok(files) => {
                    let entries: Vec<Entry> = chosen
                        .iter()
                        .zip(files)
                        .map(|(&i, bytes)| Entry { name: format!("{stem}-{}.jpg", SIZES[i].3), bytes })
                        .collect();
                    match entries.as_slice() {
                        [one] => archive::save(&one.bytes, &one.name, "image/jpeg"),
                        _ => archive::save(
                            &archive::zip(&entries),
                            &format!("{stem}-social.zip"),
                            "application/zip",
                        ),
                    }
                }
                Err(e) => said.set(Some(prep_error_text(i18n, &e))),
            }
            busy.set(Busy::Idle);
        });
    };
    let idle = move || busy.get() == Busy::Idle;
    let url = move || shown.with(|s| s.as_ref().map(|s| s.url.clone()));
    let position = move |tw: u32, th: u32| {
        let (x, y) = shown.with(|s| {
            s.as_ref().map_or((0.5, 0.5), |s| {
                let (w, h) = (f64::from(s.width), f64::from(s.height));
                crop_position(w, h, f64::from(tw), f64::from(th), focus.get())
            })
        });
        format!("{:.2}% {:.2}%", x * 100.0, y * 100.0)
    };
    let cards = SIZES
        .iter()
        .enumerate()
        .map(|(i, &(key, tw, th, _))| {
            view! {
                <li class="card resize-card">
                    <div class="resize-frame" style:aspect-ratio=format!("{tw} / {th}")>
                        <img class="resize-preview" src=url alt=move || i18n.t(key) style:object-position=move || position(tw, th)/>
                    </div>
                    <div class="resize-info">
                        <strong>{i18n.tr(key)}</strong>
                        <span class="muted">{format!("{tw} × {th}")}</span>
                    </div>
                    <button type="button" class="btn btn-ghost btn-small" disabled=move || !idle()
                        aria-label=move || i18n.t_args("tools-resize-download-one", [("size", i18n.t(key).into())])
                        on:click=move |_| download(Some(i))>
                        {i18n.tr("tools-resize-download")}
                    </button>
                </li>
            }
        })
        .collect_view();
    let percent = |v: f64| ((v * 100.0).round() as i64).into();
    let marker = move |v: f64| format!("{:.2}%", v * 100.0);
    view! {
        <div class="tool-form resize">
            <p class="hint">{i18n.tr("tools-resize-private")}</p>
            <PhotoPicker photo=photo/>
            <Show when=move || busy.get() == Busy::Preparing>
                <p class="muted" role="status">{i18n.tr("tools-resize-preparing")}</p>
            </Show>
            <Show when=move || shown.with(Option::is_some)>
                <p class="field-label" id="resize-focus-label">{i18n.tr("tools-resize-focus")}</p>
                <div node_ref=stage class="resize-stage" tabindex="0" role="img"
                    aria-label=move || {
                        let (x, y) = focus.get();
                        i18n.t_args("tools-resize-focus-at", [("x", percent(x)), ("y", percent(y))])
                    }
                    aria-describedby="resize-focus-hint"
                    on:pointerdown=move |ev| point(&ev)
                    on:pointermove=move |ev| if ev.buttons() & 1 == 1 { point(&ev) }
                    on:keydown=key>
                    <img class="resize-source" src=url alt=""/>
                    <span class="resize-focus" aria-hidden="true"
                        style:left=move || marker(focus.get().0) style:top=move || marker(focus.get().1)></span>
                </div>
                <small class="hint" id="resize-focus-hint">{i18n.tr("tools-resize-focus-hint")}</small>
                <div class="batch-actions">
                    <button type="button" class="btn btn-primary" disabled=move || !idle() on:click=move |_| download(None)>
                        {move || i18n.tr(if busy.get() == Busy::Saving { "tools-resize-saving" } else { "tools-resize-zip" })}
                    </button>
                    <button type="button" class="btn btn-ghost" disabled=move || !idle() on:click=find>
                        {move || i18n.tr(if busy.get() == Busy::Finding { "tools-resize-finding" } else { "tools-resize-find" })}
                    </button>
                </div>
            </Show>
            {move || said.get().map(|s| view! { <p class="field-error" role="alert">{s}</p> })}
            <ul class="resize-cards" hidden=move || shown.with(Option::is_none)>{cards}</ul>
        </div>
    }
}
