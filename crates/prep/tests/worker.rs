//! Runs the image-prep worker's code inside a real dedicated Web Worker in headless Chromium: a generated
//! JPEG with EXIF orientation 6 and a GPS block comes back upright, downscaled and without metadata, with
//! both the browser's decoder and ViNano's WASM decoder; a Display P3 photo comes back in sRGB from every
//! decoder; unreadable files get the right reason.
#![cfg(target_arch = "wasm32")]

use image::{DynamicImage, Rgb, RgbImage};
use js_sys::{Array, Object, Reflect, Uint8Array};
use vinano_imaging::{encode, DecodeLimits, OutputFormat};
use vinano_prep::entry::answer;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// A 400 × 300 JPEG, left half red and right half blue, with EXIF orientation 6 (rotate 90° clockwise to
/// display) and a GPS IFD carrying the marker text `GPS-SECRET`.
fn phone_photo() -> Vec<u8> {
    let img =
        RgbImage::from_fn(400, 300, |x, _| if x < 200 { Rgb([220, 20, 20]) } else { Rgb([20, 20, 220]) });
    let jpeg = encode(&DynamicImage::ImageRgb8(img), OutputFormat::Jpeg).unwrap().bytes;
    // TIFF, big endian: IFD0 = {Orientation = 6, GPSInfo -> IFD at 38}; GPS IFD = {ProcessingMethod -> 56}.
    let mut tiff = vec![b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 2];
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&[0, 1, 0x00, 0x1B, 0, 7, 0, 0, 0, 10, 0, 0, 0, 56, 0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS-SECRET");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn blob(bytes: &[u8], mime: &str) -> Blob {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_u8_array_sequence_and_options(&Array::of1(&Uint8Array::from(bytes)), &options).unwrap()
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

async fn prepare(file: Blob, max_side: u32, decoder: &str) -> Object {
    prepare_with(file, max_side, decoder, "auto").await
}

async fn prepare_with(file: Blob, max_side: u32, decoder: &str, encoder: &str) -> Object {
    let request = Object::new();
    Reflect::set(&request, &"id".into(), &7.into()).unwrap();
    Reflect::set(&request, &"file".into(), &file).unwrap();
    Reflect::set(&request, &"maxSide".into(), &max_side.into()).unwrap();
    Reflect::set(&request, &"decoder".into(), &decoder.into()).unwrap();
    Reflect::set(&request, &"encoder".into(), &encoder.into()).unwrap();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    answer(&scope, &request).await.0
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[wasm_bindgen_test]
async fn runs_in_a_dedicated_worker() {
    assert!(js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>().is_ok());
}

#[wasm_bindgen_test]
async fn a_rotated_phone_photo_comes_back_upright_small_and_without_gps() {
    let source = phone_photo();
    assert!(contains(&source, b"GPS-SECRET"));
    // Every decoder with every encoder; "auto" picks WebCodecs to decode JPEG and the browser to encode.
    for (decoder, encoder, used) in [
        ("browser", "wasm", ("browser", "wasm")),
        ("wasm", "browser", ("wasm", "browser")),
        ("webcodecs", "wasm", ("webcodecs", "wasm")),
        ("auto", "auto", ("webcodecs", "browser")),
    ] {
        let reply = prepare_with(blob(&source, "image/jpeg"), 200, decoder, encoder).await;
        assert_eq!(field(&reply, "ok"), JsValue::TRUE, "{decoder}: {reply:?}");
        assert_eq!(field(&reply, "id"), JsValue::from(7));
        assert_eq!(field(&reply, "decoder"), JsValue::from(used.0));
        assert_eq!(field(&reply, "encoder"), JsValue::from(used.1));
        assert_eq!(field(&reply, "type"), JsValue::from("image/jpeg"));
        assert_eq!(field(&reply, "sourceWidth"), JsValue::from(300), "{decoder}: upright source");
        assert_eq!(field(&reply, "sourceHeight"), JsValue::from(400), "{decoder}: upright source");
        assert_eq!((field(&reply, "width"), field(&reply, "height")), (150.into(), 200.into()), "{decoder}");

        let bytes = field(&reply, "bytes").unchecked_into::<Uint8Array>().to_vec();
        assert!(!contains(&bytes, b"Exif"), "{decoder}: EXIF survived");
        assert!(!contains(&bytes, b"GPS-SECRET"), "{decoder}: GPS survived");
        let pixels = vinano_imaging::decode(&bytes, DecodeLimits::default()).unwrap().image.to_rgb8();
        assert_eq!(pixels.dimensions(), (150, 200));
        // Upright means the sensor's red left half is now on top.
        let (top, bottom) = (pixels.get_pixel(75, 30), pixels.get_pixel(75, 170));
        assert!(top[0] > 170 && top[2] < 80, "{decoder}: top {top:?}");
        assert!(bottom[2] > 170 && bottom[0] < 80, "{decoder}: bottom {bottom:?}");
    }
}

/// A 64 × 48 JPEG of one brick colour as a phone stores it: in Display P3, with the profile embedded.
fn display_p3_photo(brick: [u8; 3]) -> Vec<u8> {
    use image::ImageEncoder;
    use moxcms::{ColorProfile, Layout};
    let to_p3 = ColorProfile::new_srgb()
        .create_transform_8bit(Layout::Rgb, &ColorProfile::new_display_p3(), Layout::Rgb, Default::default())
        .unwrap();
    let mut stored = [0u8; 3];
    to_p3.transform(&brick, &mut stored).unwrap();
    let img = RgbImage::from_pixel(64, 48, Rgb(stored));
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 100);
    encoder.set_icc_profile(ColorProfile::new_display_p3().encode().unwrap()).unwrap();
    encoder.write_image(&img, 64, 48, image::ExtendedColorType::Rgb8).unwrap();
    out
}

#[wasm_bindgen_test]
async fn a_display_p3_photo_comes_back_in_srgb_from_every_decoder() {
    let brick = [200u8, 100, 50];
    let source = display_p3_photo(brick);
    for decoder in ["browser", "wasm", "webcodecs"] {
        let reply = prepare_with(blob(&source, "image/jpeg"), 32, decoder, "wasm").await;
        assert_eq!(field(&reply, "ok"), JsValue::TRUE, "{decoder}: {reply:?}");
        let bytes = field(&reply, "bytes").unchecked_into::<Uint8Array>().to_vec();
        let pixels = vinano_imaging::decode(&bytes, DecodeLimits::default()).unwrap().image.to_rgb8();
        let got = pixels.get_pixel(16, 12).0;
        assert!(got.iter().zip(brick).all(|(a, b)| a.abs_diff(b) <= 6), "{decoder}: {got:?}, not {brick:?}");
        // The profile is gone with the rest of the metadata.
        assert!(!contains(&bytes, b"ICC_PROFILE"), "{decoder}: the profile survived");
    }
}

#[wasm_bindgen_test]
async fn full_resolution_keeps_every_pixel_but_still_drops_metadata() {
    let reply = prepare(blob(&phone_photo(), "image/jpeg"), 0, "auto").await;
    assert_eq!((field(&reply, "width"), field(&reply, "height")), (300.into(), 400.into()));
    let bytes = field(&reply, "bytes").unchecked_into::<Uint8Array>().to_vec();
    assert!(!contains(&bytes, b"GPS-SECRET"));
}

#[wasm_bindgen_test]
async fn unreadable_files_say_why() {
    let text = prepare(blob(b"definitely not a picture", "image/jpeg"), 2048, "auto").await;
    assert_eq!(field(&text, "ok"), JsValue::FALSE);
    assert_eq!(field(&text, "error"), JsValue::from("unsupported"));

    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    let reply = prepare(blob(&heic, "image/heic"), 2048, "auto").await;
    assert_eq!(field(&reply, "error"), JsValue::from("heic"));

    // Cut off before the frame header: the size can't even be read.
    let photo = phone_photo();
    let reply = prepare(blob(&photo[..120], "image/jpeg"), 2048, "wasm").await;
    assert_eq!(field(&reply, "error"), JsValue::from("corrupt"));

    // The first third of a photo (an upload cut off): the browser's own decoder would show it with a grey
    // lower part; every decoder path says it is damaged instead.
    for decoder in ["auto", "wasm", "browser"] {
        let reply = prepare(blob(&photo[..photo.len() / 3], "image/jpeg"), 2048, decoder).await;
        assert_eq!(field(&reply, "error"), JsValue::from("corrupt"), "{decoder}");
    }

    let empty = prepare(blob(&[], "image/jpeg"), 2048, "auto").await;
    assert_eq!(field(&empty, "error"), JsValue::from("corrupt"));

    // A PNG whose header declares 100 000 × 100 000 pixels: too large (with its size), not damaged.
    let huge = prepare(blob(&huge_png(), "image/png"), 2048, "auto").await;
    assert_eq!(field(&huge, "error"), JsValue::from("too_large"));
    assert_eq!(field(&huge, "width"), JsValue::from(100_000));
}

/// A real PNG whose header is edited to declare 100 000 × 100 000 pixels.
fn huge_png() -> Vec<u8> {
    let mut png = encode(&DynamicImage::ImageRgb8(RgbImage::new(4, 4)), OutputFormat::Png).unwrap().bytes;
    png[16..24].copy_from_slice(&[0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0]);
    png
}

/// Asks for `sizes` of `file` cut around `focus`, as the social media resizer does.
async fn cut(file: Blob, sizes: &[(u32, u32)], focus: (f64, f64)) -> Object {
    let request = Object::new();
    Reflect::set(&request, &"id".into(), &9.into()).unwrap();
    Reflect::set(&request, &"file".into(), &file).unwrap();
    let list: Array = sizes.iter().map(|&(w, h)| Array::of2(&w.into(), &h.into())).collect();
    Reflect::set(&request, &"sizes".into(), &list).unwrap();
    Reflect::set(&request, &"focus".into(), &Array::of2(&focus.0.into(), &focus.1.into())).unwrap();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    answer(&scope, &request).await.0
}

#[wasm_bindgen_test]
async fn the_resizer_s_sizes_come_back_exact_upright_cut_around_the_focus_and_without_gps() {
    // Upright, the phone photo is 300 × 400: red on top, blue below. A 3:1 header around a focus near the
    // top is red, near the bottom blue; a square keeps the full width.
    let photo = blob(&phone_photo(), "image/jpeg");
    for (focus, colour) in [((0.5, 0.1), [220, 20, 20]), ((0.5, 0.9), [20, 20, 220])] {
        let reply = cut(photo.clone(), &[(600, 200), (100, 100)], focus).await;
        assert_eq!(field(&reply, "ok"), JsValue::TRUE);
        assert_eq!(field(&reply, "type"), JsValue::from("image/jpeg"));
        let files: Array = field(&reply, "files").unchecked_into();
        assert_eq!(files.length(), 2);
        let header = files.get(0).unchecked_into::<Uint8Array>().to_vec();
        assert!(!contains(&header, b"GPS-SECRET"));
        let header = vinano_imaging::decode(&header, DecodeLimits::default()).unwrap().image.to_rgb8();
        assert_eq!(header.dimensions(), (600, 200));
        let middle = header.get_pixel(300, 100).0;
        assert!(middle.iter().zip(colour).all(|(a, b)| a.abs_diff(b) < 24), "{focus:?}: {middle:?}");
        let square = files.get(1).unchecked_into::<Uint8Array>().to_vec();
        let square = vinano_imaging::decode(&square, DecodeLimits::default()).unwrap().image;
        assert_eq!((square.width(), square.height()), (100, 100));
    }
}

#[wasm_bindgen_test]
async fn the_resizer_refuses_sizes_no_network_uses_and_unreadable_photos() {
    let photo = blob(&phone_photo(), "image/jpeg");
    for sizes in [vec![], vec![(0, 100)], vec![(5000, 100)], vec![(100, 100); 13]] {
        let reply = cut(photo.clone(), &sizes, (0.5, 0.5)).await;
        assert_eq!(field(&reply, "ok"), JsValue::FALSE, "{sizes:?}");
        assert_eq!(field(&reply, "error"), JsValue::from("unsupported"));
    }
    let huge = cut(blob(&huge_png(), "image/png"), &[(100, 100)], (0.5, 0.5)).await;
    assert_eq!(field(&huge, "error"), JsValue::from("too_large"));
}
