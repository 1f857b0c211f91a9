//! The selection editor: brush over part of a version to edit only there ("make this brighter") or to
//! erase it ("erase this"). A brush and an eraser of any size, invert, clear and undo; mouse, pen and
//! touch alike (pointer events; the page doesn't scroll under a finger that paints).
//!
//! With the segmentation model on the server, "Select subject" paints in the whole subject, and the tap
//! tool the one subject under a tap (of two people, the one tapped).
//!
//! The strokes are painted on a canvas over the photo, at most `vinano_api::SELECTION_SIDE` pixels on the long side with
//! the photo's exact shape; "Use selection" turns them into a grey PNG (white where brushed) that goes with
//! the next instruction, and the server scales it to the photo.

use crate::i18n::use_i18n;
use leptos::html::{Canvas, Dialog};
use leptos::prelude::*;
use vinano_api::ImageInfo;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// How many strokes "Undo" can take back.
const UNDO_DEPTH: usize = 20;
/// The colour strokes show in (the canvas is drawn half transparent over the photo).
const PAINT: &str = "#ff2d7a";
/// [`PAINT`] as RGB.
const PAINT_RGB: [u8; 3] = [0xff, 0x2d, 0x7a];

/// A selection ready to send: the version it was brushed on and the mask as a `data:` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brushed {
    /// The version it selects in.
    pub image_id: String,
    /// The mask, `data:image/png;base64,…`.
    pub png: String,
}

use vinano_api::selection_canvas as canvas_size;

/// What a press on the photo does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    /// Paints.
    Brush,
    /// Rubs paint out.
    Eraser,
    /// Selects the subject under the tap.
    Tap,
}

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// The editor over `brushing` (closed when `None`); `done` gets the selection.
#[component]
pub(super) fn MaskEditor(brushing: RwSignal<Option<ImageInfo>>, done: Callback<Brushed>) -> impl IntoView {
    let i18n = use_i18n();
    // "Select subject" is offered when the server has the segmentation model (its credits answer says so).
    let credits = super::use_editor().credits;
    // A version held on this device (not uploaded) is brushed by hand only.
    let device = super::use_editor().device;
    let local = move || brushing.with(|b| b.as_ref().is_some_and(|i| super::device::is_local(&i.id)));
    let can_find =
        move || !local() && credits.get().and_then(Result::ok).is_some_and(|c| c.engines.background);
    let finding = RwSignal::new(false);
    let dialog = NodeRef::<Dialog>::new();
    let canvas = NodeRef::<Canvas>::new();
    let tool = RwSignal::new(Tool::Brush);
    // Brush diameter in screen pixels.
    let size = RwSignal::new(32u32);
    let undo = StoredValue::new(Vec::<ImageData>::new());
    let can_undo = RwSignal::new(false);
    let last = StoredValue::new(None::<(f64, f64)>);
    let error = RwSignal::new(None::<String>);
    crate::components::dialog::sync_modal(dialog, move || brushing.with(Option::is_some));
    let dims = move || brushing.with(|b| b.as_ref().map(|i| canvas_size(i.width, i.height)));

    // A newly opened photo starts with nothing brushed.
    Effect::new(move |_| {
        let Some((w, h)) = dims() else { return };
        if let Some(c) = canvas.get() {
            c.set_width(w);
            c.set_height(h);
            undo.set_value(Vec::new());
            can_undo.set(false);
            error.set(None);
        }
    });

    // Screen position → canvas position, and how many canvas pixels one screen pixel is.
    let to_canvas = move |ev: &web_sys::PointerEvent| {
        let c = canvas.get_untracked()?;
        let rect = c.get_bounding_client_rect();
        let k = f64::from(c.width()) / rect.width().max(1.0);
        Some(((f64::from(ev.client_x()) - rect.left()) * k, (f64::from(ev.client_y()) - rect.top()) * k, k))
    };
    let snapshot = move || {
        let c = canvas.get_untracked()?;
        let ctx = context(&c)?;
        let data = ctx.get_image_data(0.0, 0.0, f64::from(c.width()), f64::from(c.height())).ok()?;
        undo.update_value(|u| {
            u.push(data);
            if u.len() > UNDO_DEPTH {
                u.remove(0);
            }
        });
        can_undo.set(true);
        Some(())
    };
    let stroke = move |from: (f64, f64), to: (f64, f64), k: f64| {
        let Some(ctx) = canvas.get_untracked().and_then(|c| context(&c)) else { return };
        let op = if tool.get_untracked() == Tool::Eraser { "destination-out" } else { "source-over" };
        let _ = ctx.set_global_composite_operation(op);
        ctx.set_stroke_style_str(PAINT);
        ctx.set_line_width(f64::from(size.get_untracked()) * k);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
        ctx.begin_path();
        ctx.move_to(from.0, from.1);
        ctx.line_to(to.0, to.1);
        ctx.stroke();
    };
    // The server's segmentation of the photo (all of it, or the subject at a tapped point given as
    // fractions of the width and height), painted as strokes (added to what is brushed already).
    let find = move |at: Option<(f64, f64)>| {
        let Some(image) = brushing.get_untracked() else { return };
        if finding.get_untracked() {
            return;
        }
        finding.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match crate::api::subject(&image.id, at).await {
                Ok(png) => {
                    snapshot();
                    if let Some(c) = canvas.get_untracked() {
                        if paint_png(&c, &png).await.is_none() {
                            error.set(Some(i18n.t("mask-subject-failed")));
                        }
                    }
                }
                Err(e) => error.set(Some(crate::components::error_text(i18n, &e))),
            }
            finding.set(false);
        });
    };
    let down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        let Some((x, y, k)) = to_canvas(&ev) else { return };
        if tool.get_untracked() == Tool::Tap {
            if let Some(c) = canvas.get_untracked() {
                let (w, h) = (f64::from(c.width().max(1)), f64::from(c.height().max(1)));
                find(Some(((x / w).clamp(0.0, 1.0), (y / h).clamp(0.0, 1.0))));
            }
            return;
        }
        if let Some(c) = canvas.get_untracked() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
        snapshot();
        error.set(None);
        stroke((x, y), (x, y), k);
        last.set_value(Some((x, y)));
    };
    let moved = move |ev: web_sys::PointerEvent| {
        let Some(from) = last.get_value() else { return };
        let Some((x, y, k)) = to_canvas(&ev) else { return };
        stroke(from, (x, y), k);
        last.set_value(Some((x, y)));
    };
    let up = move |_| last.set_value(None);

    let whole = move |f: &dyn Fn(&CanvasRenderingContext2d, f64, f64)| {
        let Some(c) = canvas.get_untracked() else { return };
        let Some(ctx) = context(&c) else { return };
        snapshot();
        f(&ctx, f64::from(c.width()), f64::from(c.height()));
    };
    let invert = move |_| {
        whole(&|ctx, w, h| {
            let _ = ctx.set_global_composite_operation("xor");
            ctx.set_fill_style_str(PAINT);
            ctx.fill_rect(0.0, 0.0, w, h);
        })
    };
    let clear = move |_| whole(&|ctx, w, h| ctx.clear_rect(0.0, 0.0, w, h));
    let take_back = move |_| {
        let Some(data) = undo.try_update_value(Vec::pop).flatten() else { return };
        if let Some(ctx) = canvas.get_untracked().and_then(|c| context(&c)) {
            let _ = ctx.put_image_data(&data, 0.0, 0.0);
        }
        can_undo.set(undo.with_value(|u| !u.is_empty()));
    };
    let finish = move |_| {
        let (Some(c), Some(image)) = (canvas.get_untracked(), brushing.get_untracked()) else { return };
        match export(&c) {
            Some(png) => {
                done.run(Brushed { image_id: image.id, png });
                brushing.set(None);
            }
            None => error.set(Some(i18n.t("mask-empty"))),
        }
    };

    view! {
        <dialog class="mask-editor" node_ref=dialog aria-label=i18n.tr("mask-title") on:close=move |_| brushing.set(None)>
            <div class="mask-bar">
                <h2 class="mask-title">{i18n.tr("mask-title")}</h2>
                <button type="button" class="btn btn-ghost btn-small icon-button" aria-label=i18n.tr("mask-cancel") on:click=move |_| brushing.set(None)>
                    "×"
                </button>
            </div>
            <p class="hint mask-hint">
                {move || if tool.get() == Tool::Tap { i18n.t("mask-tap-hint") } else { i18n.t("mask-hint") }}
            </p>
            <div class="mask-stage">
                <div
                    class="mask-frame"
                    style:aspect-ratio=move || dims().map(|(w, h)| format!("{w} / {h}"))
                    // As wide as the screen allows with the photo at most 58 % of the screen's height (set
                    // through the CSS object model: the Content-Security-Policy refuses style attributes).
                    style:width=move || {
                        dims().map(|(w, h)| format!("min(100%, calc(58dvh * {:.4}))", f64::from(w) / f64::from(h)))
                    }
                >
                    <img
                        class="mask-photo"
                        src=move || brushing.with(|b| b.as_ref().map(|i| super::device::src_of(device, i, 768)))
                        alt=move || brushing.with(|b| b.as_ref().map(|i| crate::components::describe(i18n, i)))
                        draggable="false"
                    />
                    <canvas
                        class="mask-canvas"
                        class:tapping=move || tool.get() == Tool::Tap
                        node_ref=canvas
                        aria-label=i18n.tr("mask-canvas")
                        on:pointerdown=down
                        on:pointermove=moved
                        on:pointerup=up
                        on:pointercancel=up
                        on:lostpointercapture=up
                    ></canvas>
                </div>
            </div>
            <div class="mask-tools" role="toolbar" aria-label=i18n.tr("mask-tools")>
                <div class="segmented">
                    <button type="button" class="btn btn-small" aria-pressed=move || (tool.get() == Tool::Brush).to_string() on:click=move |_| tool.set(Tool::Brush)>
                        {i18n.tr("mask-brush")}
                    </button>
                    <button type="button" class="btn btn-small" aria-pressed=move || (tool.get() == Tool::Eraser).to_string() on:click=move |_| tool.set(Tool::Eraser)>
                        {i18n.tr("mask-eraser")}
                    </button>
                    <Show when=can_find>
                        <button type="button" class="btn btn-small" aria-pressed=move || (tool.get() == Tool::Tap).to_string() on:click=move |_| tool.set(Tool::Tap)>
                            {i18n.tr("mask-tap")}
                        </button>
                    </Show>
                </div>
                <label class="mask-size">
                    <span>{i18n.tr("mask-size")}</span>
                    <input
                        type="range"
                        min="4"
                        max="120"
                        prop:value=move || size.get().to_string()
                        on:input=move |ev| size.set(event_target_value(&ev).parse().unwrap_or(32))
                    />
                </label>
                <Show when=can_find>
                    <button type="button" class="btn btn-ghost btn-small" disabled=move || finding.get() on:click=move |_| find(None)>
                        {move || if finding.get() { i18n.t("mask-subject-finding") } else { i18n.t("mask-subject") }}
                    </button>
                </Show>
                <button type="button" class="btn btn-ghost btn-small" on:click=invert>{i18n.tr("mask-invert")}</button>
                <button type="button" class="btn btn-ghost btn-small" on:click=clear>{i18n.tr("mask-clear")}</button>
                <button type="button" class="btn btn-ghost btn-small" disabled=move || !can_undo.get() on:click=take_back>
                    {i18n.tr("mask-undo")}
                </button>
            </div>
            <crate::components::ErrorAlert message=error/>
            <div class="mask-actions">
                <button type="button" class="btn btn-ghost" on:click=move |_| brushing.set(None)>{i18n.tr("mask-cancel")}</button>
                <button type="button" class="btn btn-primary mask-done" on:click=finish>{i18n.tr("mask-done")}</button>
            </div>
        </dialog>
    }
}

/// Paints a grey mask PNG (white = selected) onto the strokes canvas, in the strokes' colour.
async fn paint_png(strokes: &HtmlCanvasElement, png: &[u8]) -> Option<()> {
    let (w, h) = (strokes.width(), strokes.height());
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(png));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(web_sys::window()?.create_image_bitmap_with_blob(&blob).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let document = web_sys::window()?.document()?;
    let scratch: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    scratch.set_width(w);
    scratch.set_height(h);
    let s = context(&scratch)?;
    s.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(w), f64::from(h)).ok()?;
    let mut data = s.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)).ok()?.data().0;
    for px in data.chunks_exact_mut(4) {
        let coverage = px[0];
        px[..3].copy_from_slice(&PAINT_RGB);
        px[3] = coverage;
    }
    let painted = ImageData::new_with_u8_clamped_array_and_sh(wasm_bindgen::Clamped(&data), w, h).ok()?;
    s.put_image_data(&painted, 0.0, 0.0).ok()?;
    let ctx = context(strokes)?;
    ctx.set_global_composite_operation("source-over").ok()?;
    ctx.draw_image_with_html_canvas_element(&scratch, 0.0, 0.0).ok()?;
    Some(())
}

/// The strokes as a grey PNG (white where brushed, black elsewhere), or `None` when nothing is brushed.
fn export(strokes: &HtmlCanvasElement) -> Option<String> {
    let (w, h) = (strokes.width(), strokes.height());
    let ctx = context(strokes)?;
    let data = ctx.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)).ok()?.data();
    if !data.iter().skip(3).step_by(4).any(|&a| a >= 128) {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let out: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    out.set_width(w);
    out.set_height(h);
    let o = context(&out)?;
    // The strokes turned white (their coverage kept), on black.
    o.draw_image_with_html_canvas_element(strokes, 0.0, 0.0).ok()?;
    o.set_global_composite_operation("source-in").ok()?;
    o.set_fill_style_str("#fff");
    o.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    o.set_global_composite_operation("destination-over").ok()?;
    o.set_fill_style_str("#000");
    o.fill_rect(0.0, 0.0, f64::from(w), f64::from(h));
    out.to_data_url_with_type("image/png").ok()
}
