//! The on-device editor's code inside a real dedicated Web Worker in headless Chromium: U²-Net-p run by
//! tract in WebAssembly gives the server's answer for the sample figure (within rounding); an instruction
//! is planned and run with the composer's settings, inside a brushed selection when there is one; what
//! can't be done on the device says why.
#![cfg(target_arch = "wasm32")]

use image::{DynamicImage, GenericImageView, GrayImage, Luma, Rgb, RgbImage};
use js_sys::{Object, Reflect, Uint8Array};
use vinano_device::entry::answer;
use vinano_imaging::matte::Saliency;
use vinano_imaging::{encode, OutputFormat};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// The model file `cargo xtask bootstrap` fetched, and the server's answer for the figure
/// (`crates/vision/tests/u2net.rs` keeps that one honest).
static MODEL: &[u8] = include_bytes!("../../../target/models/u2netp.onnx");
static NATIVE: &[u8] = include_bytes!("../../vision/tests/u2netp-figure.png");

#[wasm_bindgen_test]
fn the_segmentation_in_a_worker_is_the_servers() {
    let model = vinano_vision::U2Net::load(MODEL).unwrap();
    let (photo, _) = vinano_vision::sample::figure(480, 360);
    let here = model.saliency(&photo).unwrap();
    let native = image::load_from_memory(NATIVE).unwrap().to_luma8();
    assert_eq!(here.dimensions(), native.dimensions());
    let diffs: Vec<u8> = here.pixels().zip(native.pixels()).map(|(a, b)| a[0].abs_diff(b[0])).collect();
    let worst = diffs.iter().copied().max().unwrap();
    let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
    assert!(worst <= 3 && mean < 0.5, "worst {worst}, mean {mean}");
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

/// A 200 × 100 PNG: a grey-blue wall, left half a shade darker.
fn wall() -> Vec<u8> {
    let img =
        RgbImage::from_fn(200, 100, |x, _| if x < 100 { Rgb([90, 110, 150]) } else { Rgb([120, 140, 180]) });
    encode(&DynamicImage::ImageRgb8(img), OutputFormat::Png).unwrap().bytes
}

fn blob(bytes: &[u8]) -> Blob {
    let options = BlobPropertyBag::new();
    options.set_type("image/png");
    Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&Uint8Array::from(bytes)), &options)
        .unwrap()
}

async fn edit(words: &str, params: &str, image: Option<&[u8]>, selection: Option<String>) -> Object {
    let request = Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&request, &k.into(), v).unwrap();
    set("id", &7.into());
    set("instruction", &words.into());
    set("params", &params.into());
    if let Some(image) = image {
        set("image", &blob(image));
    }
    if let Some(selection) = selection {
        set("selection", &selection.into());
    }
    let (reply, _) = answer(&scope(), &request).await;
    assert_eq!(field(&reply, "id").as_f64(), Some(7.0));
    reply
}

fn result(reply: &Object) -> DynamicImage {
    assert_eq!(field(reply, "ok"), JsValue::TRUE, "{:?}", field(reply, "said").as_string());
    let bytes: Uint8Array = field(reply, "bytes").dyn_into().unwrap();
    image::load_from_memory(&bytes.to_vec()).unwrap()
}

fn said_key(reply: &Object) -> String {
    let said: vinano_api::Said = serde_json::from_str(&field(reply, "said").as_string().unwrap()).unwrap();
    said.key
}

#[wasm_bindgen_test]
async fn an_instruction_runs_on_the_device_with_the_settings() {
    // Warmer, then cropped square by the settings; the reply is the engine's summary, the plan comes along.
    let reply = edit("make it warmer", r#"{"aspect":"1:1","format":"webp"}"#, Some(&wall()), None).await;
    assert_eq!(field(&reply, "type").as_string().as_deref(), Some("image/webp"));
    let img = result(&reply);
    assert_eq!(img.dimensions(), (100, 100));
    let px = img.to_rgb8().get_pixel(10, 50).0;
    assert!(px[0] > 100 && px[2] < 170, "{px:?}");
    assert_eq!(said_key(&reply), "reply-done");
    let plan = field(&reply, "plan").as_string().unwrap();
    assert!(plan.contains("crop_aspect") || plan.contains("CropAspect"), "{plan}");
    // The file says how it was made, and nothing else.
    let bytes: Uint8Array = field(&reply, "bytes").dyn_into().unwrap();
    assert_eq!(
        vinano_imaging::provenance::read(&bytes.to_vec()),
        Some(vinano_imaging::provenance::Source::Enhanced)
    );
}

#[wasm_bindgen_test]
async fn a_brushed_area_is_the_only_part_changed() {
    // The left quarter brushed, at half size (as the app paints at screen size).
    let mask = GrayImage::from_fn(100, 50, |x, _| Luma([if x < 25 { 255 } else { 0 }]));
    let png = encode(&DynamicImage::ImageLuma8(mask), OutputFormat::Png).unwrap().bytes;
    let data_url = format!("data:image/png;base64,{}", base64(&png));
    let img = result(&edit("make this black and white", "{}", Some(&wall()), Some(data_url)).await).to_rgb8();
    let inside = img.get_pixel(10, 50).0;
    assert!(inside[0].abs_diff(inside[2]) <= 2, "{inside:?}");
    assert_eq!(img.get_pixel(180, 50).0, [120, 140, 180], "far from the selection, untouched");
}

#[wasm_bindgen_test]
async fn what_the_device_cannot_do_says_why() {
    let reply = edit("sing me a song", "{}", Some(&wall()), None).await;
    assert_eq!(field(&reply, "ok"), JsValue::FALSE);
    assert_eq!(said_key(&reply), "reply-not-understood");
    assert_eq!(said_key(&edit("make a video", "{}", Some(&wall()), None).await), "reason-device-no-clips");
    assert_eq!(
        said_key(&edit("make it warmer", "{}", Some(b"not an image"), None).await),
        "error-unsupported-image"
    );
    // The test server has no model to give: the background can't be found here, in words.
    assert_eq!(
        said_key(&edit("remove the background", "{}", Some(&wall()), None).await),
        "reason-segmentation-off"
    );
    // Brushed, but not the photo's shape.
    let mask = GrayImage::from_pixel(100, 100, Luma([255]));
    let png = encode(&DynamicImage::ImageLuma8(mask), OutputFormat::Png).unwrap().bytes;
    let odd = format!("data:image/png;base64,{}", base64(&png));
    assert_eq!(
        said_key(&edit("make this brighter", "{}", Some(&wall()), Some(odd)).await),
        "error-selection-shape"
    );
    // A poster needs no photo.
    let poster = result(&edit("a poster for a summer sale", "{}", None, None).await);
    assert_eq!(poster.dimensions(), vinano_engine::POSTER);
}

fn base64(bytes: &[u8]) -> String {
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    scope().btoa(&binary).unwrap()
}

async fn subject(image: &[u8]) -> Object {
    let request = Object::new();
    Reflect::set(&request, &"id".into(), &8.into()).unwrap();
    Reflect::set(&request, &"subject".into(), &true.into()).unwrap();
    Reflect::set(&request, &"image".into(), &blob(image)).unwrap();
    answer(&scope(), &request).await.0
}

#[wasm_bindgen_test]
async fn the_subject_is_found_where_it_stands() {
    // A cut-out (its own transparency is the matte): a 40 × 20 figure at x 140..180, y 60..80 of 200 × 100.
    let cutout = image::RgbaImage::from_fn(200, 100, |x, y| {
        let inside = (140..180).contains(&x) && (60..80).contains(&y);
        image::Rgba([200, 40, 40, if inside { 255 } else { 0 }])
    });
    let png = encode(&DynamicImage::ImageRgba8(cutout), OutputFormat::Png).unwrap().bytes;
    let reply = subject(&png).await;
    assert_eq!(field(&reply, "ok"), JsValue::TRUE);
    let (x, y) = (field(&reply, "x").as_f64().unwrap(), field(&reply, "y").as_f64().unwrap());
    // Across its centre; down, the middle of its upper half (rows 60..70).
    assert!((x - 0.8).abs() < 0.01 && (y - 0.65).abs() < 0.01, "{x} {y}");
    // A photo needs the model, which the test server doesn't have: said in words, not a crash.
    assert_eq!(said_key(&subject(&wall()).await), "reason-segmentation-off");
    // A fully transparent image has nothing to find.
    let clear = image::RgbaImage::from_pixel(50, 50, image::Rgba([0, 0, 0, 0]));
    let png = encode(&DynamicImage::ImageRgba8(clear), OutputFormat::Png).unwrap().bytes;
    assert_eq!(said_key(&subject(&png).await), "reason-no-subject");
}
