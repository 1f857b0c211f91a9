//! The on-device editor's worker side: an instruction is planned and run on the person's photo here, with
//! the same engine, rules and models as the server's, and nothing leaves the device.
//!
//! The segmentation model (background steps) is fetched once from this site (`vinano_vision::U2NETP_URL`), checked
//! against its pinned SHA-256 and kept for the worker's life; the browser's cache keeps the file.

use crate::protocol::{self, get, set};
use js_sys::{Array, Object, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use vinano_api::{EditParams, Msg, Problem};
use vinano_engine::{settings, EditPlan, Tools};
use vinano_imaging::matte::{self, Saliency};
use vinano_imaging::selection::Selection;
use vinano_imaging::text::Fonts;
use vinano_imaging::{DecodeLimits, DynamicImage, ImagingError, OutputFormat};
use vinano_vision::U2Net;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent, Response};

/// Starts listening for requests and tells the page it is ready. Called by the device binary's `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let scope = reply_scope.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let (reply, transfer) = answer(&scope, &event.data()).await;
            let _ = scope.post_message_with_transfer(&reply, &transfer);
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let ready = Object::new();
    set(&ready, protocol::READY, &true.into());
    let _ = scope.post_message(&ready);
}

/// The reply to one request (see [`protocol`]), and the buffers to transfer with it.
pub async fn answer(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> (Object, Array) {
    let reply = Object::new();
    set(&reply, protocol::ID, &get(request, protocol::ID));
    let transfer = Array::new();
    let started = now(scope);
    if get(request, protocol::SUBJECT).is_truthy() {
        match subject(scope, request).await {
            Ok((x, y)) => {
                set(&reply, protocol::OK, &true.into());
                set(&reply, protocol::X, &x.into());
                set(&reply, protocol::Y, &y.into());
            }
            Err(problem) => {
                set(&reply, protocol::OK, &false.into());
                say(&reply, problem);
            }
        }
        set(&reply, protocol::MS, &(now(scope) - started).into());
        return (reply, transfer);
    }
    match edit(scope, request).await {
        Ok(done) => {
            set(&reply, protocol::OK, &true.into());
            let bytes = Uint8Array::from(&done.bytes[..]);
            transfer.push(&bytes.buffer());
            set(&reply, protocol::BYTES, &bytes);
            set(&reply, protocol::TYPE, &done.format.mime().into());
            set(&reply, protocol::WIDTH, &done.width.into());
            set(&reply, protocol::HEIGHT, &done.height.into());
            set(&reply, protocol::PLAN, &serde_json::to_string(&done.plan).unwrap_or_default().into());
            say(&reply, done.said);
        }
        Err(problem) => {
            set(&reply, protocol::OK, &false.into());
            say(&reply, problem);
        }
    }
    set(&reply, protocol::MS, &(now(scope) - started).into());
    (reply, transfer)
}

/// The reply's words: as a key with its values, and in English.
fn say(reply: &Object, problem: Problem) {
    let english = vinano_api::problem::words::english(problem.msg.key(), &problem.args);
    let said = serde_json::to_string(&vinano_api::Said::from(problem)).unwrap_or_default();
    set(reply, protocol::SAID, &said.into());
    set(reply, protocol::ENGLISH, &english.into());
}

fn now(scope: &DedicatedWorkerGlobalScope) -> f64 {
    scope.performance().as_ref().map_or(0.0, web_sys::Performance::now)
}

/// What an edit made.
struct Done {
    bytes: Vec<u8>,
    format: OutputFormat,
    width: u32,
    height: u32,
    plan: EditPlan,
    said: Problem,
}

async fn edit(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> Result<Done, Problem> {
    let instruction = get(request, protocol::INSTRUCTION).as_string().unwrap_or_default();
    vinano_api::validate::prompt(&instruction).map_err(|e| e.problem)?;
    let params: EditParams = get(request, protocol::PARAMS)
        .as_string()
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or_default();
    let selection = get(request, protocol::SELECTION).as_string();
    let mut plan = vinano_engine::plan_with(&instruction, selection.is_some()).map_err(|e| e.said())?;
    if !plan.in_selection {
        plan.operations.extend(settings::operations(&params));
    }
    // A clip needs the server's encoder and may need its video model.
    if plan.video().is_some() {
        return Err(Msg::ReasonDeviceNoClips.into());
    }
    let fonts = Fonts::bundled();
    let missing: String = plan.texts().iter().flat_map(|t| fonts.missing(t)).collect();
    if !missing.is_empty() {
        return Err(Problem::new(Msg::NoFont).text("chars", missing));
    }
    let limits = vinano_imaging::prep::PrepOptions::default().limits;
    let image = if plan.creates_image() { None } else { Some(read_image(request, limits).await?) };
    let size = image.as_ref().map(|i| (i.width(), i.height()));
    plan.check_budget(size, limits.max_pixels).map_err(|e| e.said())?;
    let image = image.unwrap_or_else(|| DynamicImage::new_rgb8(1, 1));
    let area = match (&selection, size) {
        (Some(encoded), Some(size)) => {
            let bytes = data_url_bytes(scope, encoded).ok_or(Problem::new(Msg::SelectionUnreadable))?;
            Some(Selection::new(vinano_engine::mask::read(&bytes, size, &plan)?))
        }
        (Some(_), None) => return Err(Msg::SelectionNoPhoto.into()),
        _ => None,
    };
    let model = match plan.needs_segmentation() && !matte::is_transparent(&image) {
        true => Some(model(scope).await?),
        false => None,
    };
    let saliency = model.as_deref().map(|m| m as &dyn Saliency);
    let tools = Tools {
        fonts: &fonts,
        saliency,
        faces: None,
        selection: area.as_ref(),
        attached: vinano_engine::Attached::NONE,
    };
    let result = vinano_engine::run(&plan, &image, tools).map_err(|e| e.said())?;
    let asked = settings::output_format(params.format);
    let (format, as_png) = settings::result_format(asked, matte::is_transparent(&result));
    let format = format.unwrap_or_else(|| OutputFormat::for_image(&result));
    let encoded = vinano_imaging::encode(&result, format).map_err(|_| Problem::new(Msg::ImageDamaged))?;
    let source = plan.provenance(false, size.is_none());
    let bytes = vinano_imaging::provenance::mark(encoded.bytes, format, source);
    let summary = plan.summary_said();
    let said = match as_png {
        true => Problem::new(Msg::ReplyWithNote)
            .list("reply", [summary])
            .list("note", [Problem::from(Msg::ReplyTransparentAsPng)]),
        false => summary,
    };
    Ok(Done { bytes, format, width: result.width(), height: result.height(), plan, said })
}

/// Where to centre crops of the photo to keep its subject ([`matte::focus`] of the segmentation model's
/// mask, or of the photo's own transparency), as fractions of its width and height.
async fn subject(scope: &DedicatedWorkerGlobalScope, request: &JsValue) -> Result<(f64, f64), Problem> {
    let image = read_image(request, vinano_imaging::prep::PrepOptions::default().limits).await?;
    let mask = match matte::alpha_of(&image) {
        Some(alpha) => alpha,
        None => {
            // The model looks at 320 × 320: a copy of a few hundred pixels says as much as the original.
            let (w, h) = vinano_imaging::prep::fit(image.width(), image.height(), Some(640));
            let small = vinano_imaging::prep::resize_exact(&image, w, h).map_err(imaging_problem)?;
            model(scope)
                .await?
                .saliency(&small.to_rgb8())
                .map_err(|_| Problem::new(Msg::ReasonDeviceModel))?
        }
    };
    matte::focus(&mask).ok_or(Problem::new(Msg::ReasonNoSubject))
}

/// The photo to edit, decoded upright in sRGB within `limits` (the header is read first: a pixel flood is
/// refused before anything is allocated for it).
async fn read_image(request: &JsValue, limits: DecodeLimits) -> Result<DynamicImage, Problem> {
    let blob: Blob =
        get(request, protocol::IMAGE).dyn_into().map_err(|_| Problem::new(Msg::SelectionNoPhoto))?;
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(|_| Problem::new(Msg::ImageDamaged))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    vinano_imaging::probe(&bytes, limits).map_err(imaging_problem)?;
    vinano_imaging::decode(&bytes, limits).map(|d| d.image).map_err(imaging_problem)
}

fn imaging_problem(e: ImagingError) -> Problem {
    match e {
        ImagingError::UnsupportedFormat => Msg::UnsupportedImage.into(),
        ImagingError::Heic => Msg::Heic.into(),
        ImagingError::TooLarge { width, height, max_megapixels } => Problem::new(Msg::ImageTooLarge)
            .num("width", width.into())
            .num("height", height.into())
            .num("limit_mp", max_megapixels.into()),
        ImagingError::Corrupt | ImagingError::Encode => Msg::ImageDamaged.into(),
    }
}

/// The bytes of a `data:` URL's base64 payload.
fn data_url_bytes(scope: &DedicatedWorkerGlobalScope, url: &str) -> Option<Vec<u8>> {
    let b64 = url.split_once(',').map_or(url, |(_, b)| b);
    let binary = scope.atob(b64).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect::<Option<Vec<u8>>>()
}

thread_local! {
    static MODEL: RefCell<Option<Rc<U2Net>>> = const { RefCell::new(None) };
}

/// The segmentation model: fetched from this site and prepared on first use, then kept.
async fn model(scope: &DedicatedWorkerGlobalScope) -> Result<Rc<U2Net>, Problem> {
    if let Some(model) = MODEL.with(|m| m.borrow().clone()) {
        return Ok(model);
    }
    let off = || Problem::new(Msg::ReasonDeviceModel);
    let response: Response = JsFuture::from(scope.fetch_with_str(vinano_vision::U2NETP_URL))
        .await
        .map_err(|_| off())?
        .dyn_into()
        .map_err(|_| off())?;
    if response.status() == 404 {
        return Err(Msg::ReasonSegmentationOff.into());
    }
    if !response.ok() {
        return Err(off());
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| off())?).await.map_err(|_| off())?;
    let model = Rc::new(U2Net::load(&Uint8Array::new(&buffer).to_vec()).map_err(|_| off())?);
    MODEL.with(|m| *m.borrow_mut() = Some(model.clone()));
    Ok(model)
}
