//! Brush edits through the API: "erase this" with a brushed selection fills it from its surroundings;
//! "make this brighter" changes only what was brushed; the selection is kept with the version (its steps
//! say so, and `GET /images/{id}/selection` returns it). Naming something to remove without a selection is
//! answered with a request to brush over it, never with a crop; a selection that doesn't fit the photo, is
//! empty, or covers everything to erase is refused in words with nothing stored. With a model provider, the
//! selection goes with the words (OpenAI's edits get it as their mask; Gemini gets the part of the photo
//! around it) and the answer changes only what was brushed.

use crate::common::TestApp;
use axum::http::StatusCode;
use base64::Engine as _;
use image::{GrayImage, Luma, Rgb, RgbImage};
use serde_json::{json, Value};
use vinano_imaging::{encode, DynamicImage, OutputFormat};

/// A striped wall, 320 × 240, with a red block at 140..200 × 90..150 on it.
fn photo() -> RgbImage {
    RgbImage::from_fn(320, 240, |x, y| {
        if (140..200).contains(&x) && (90..150).contains(&y) {
            Rgb([220, 30, 40])
        } else if (x + y) % 16 < 8 {
            Rgb([90, 110, 130])
        } else {
            Rgb([140, 150, 160])
        }
    })
}

/// A selection PNG (base64) of `w` × `h` selecting the box `(x0, y0, x1, y1)`.
fn selection(w: u32, h: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> String {
    let mask = GrayImage::from_fn(w, h, |x, y| {
        Luma([if (x0..x1).contains(&x) && (y0..y1).contains(&y) { 255 } else { 0 }])
    });
    let png = encode(&DynamicImage::ImageLuma8(mask), OutputFormat::Png).unwrap().bytes;
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))
}

async fn setup(app: &TestApp) -> (String, String, String) {
    let cookie = app.signup("sel").await;
    let bytes = encode(&DynamicImage::ImageRgb8(photo()), OutputFormat::Png).unwrap().bytes;
    let up = app.upload(&cookie, bytes).await;
    assert_eq!(up.status, StatusCode::CREATED);
    let image = up.json()["id"].as_str().unwrap().to_string();
    let conv = app.post_json("/api/v1/conversations", Some(&cookie), json!({})).await.json();
    (cookie, conv["id"].as_str().unwrap().to_string(), image)
}

async fn send(app: &TestApp, cookie: &str, conv: &str, body: Value) -> (StatusCode, Value) {
    let r = app.post_json(&format!("/api/v1/conversations/{conv}/messages"), Some(cookie), body).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

async fn pixels(app: &TestApp, cookie: &str, id: &str) -> RgbImage {
    let r = app.get(&format!("/api/v1/images/{id}"), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    image::load_from_memory(&r.body).unwrap().to_rgb8()
}

async fn message_count(app: &TestApp, cookie: &str, conv: &str) -> usize {
    let detail = app.get(&format!("/api/v1/conversations/{conv}"), Some(cookie)).await.json();
    detail["messages"].as_array().unwrap().len()
}

#[tokio::test]
async fn erase_this_fills_the_brushed_area_and_the_version_keeps_its_selection() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    // Brushed at half size (as the app paints on screen), a little past the block's edges.
    let body = json!({"text": "erase this", "image_id": image, "params": {"format": "png", "aspect": "original"},
                      "selection": selection(160, 120, (68, 43, 102, 77))});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let ex = app.complete(&cookie, &conv, ex).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let reply = ex["reply"]["text"].as_str().unwrap();
    assert!(reply.contains("erase the selected area"), "{reply}");
    let version = &ex["reply"]["image"];
    assert_eq!(version["generation"]["selection"], true, "{version}");
    let id = version["id"].as_str().unwrap();
    let out = pixels(&app, &cookie, id).await;
    assert_eq!(out.dimensions(), (320, 240));
    let red = out.pixels().filter(|p| p[0] > 180 && p[1] < 80).count();
    assert_eq!(red, 0, "the red block is gone");
    let before = photo();
    for (x, y, p) in out.enumerate_pixels() {
        if !(128..212).contains(&x) || !(78..162).contains(&y) {
            assert_eq!(p, before.get_pixel(x, y), "({x}, {y}) away from the selection changed");
        }
    }
    // The filled area continues the wall's stripes: its colours are the wall's two.
    let inside = out.get_pixel(170, 120).0;
    let wall: [[u8; 3]; 2] = [[90, 110, 130], [140, 150, 160]];
    assert!(
        wall.iter().any(|w: &[u8; 3]| w.iter().zip(inside).all(|(a, b)| a.abs_diff(b) <= 30)),
        "{inside:?}"
    );

    let r = app.get(&format!("/api/v1/images/{id}/selection"), Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "image/png");
    let mask = image::load_from_memory(&r.body).unwrap().to_luma8();
    assert_eq!(mask.dimensions(), (320, 240));
    assert!(mask.get_pixel(170, 120)[0] > 200 && mask.get_pixel(10, 10)[0] == 0);
    // Versions without one, and other people, get 404.
    assert_eq!(
        app.get(&format!("/api/v1/images/{image}/selection"), Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
    let other = app.signup("other").await;
    assert_eq!(
        app.get(&format!("/api/v1/images/{id}/selection"), Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_brush_edit_changes_only_what_was_brushed() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    let body = json!({"text": "make this much brighter", "image_id": image, "params": {"format": "png"},
                      "selection": selection(320, 240, (0, 0, 100, 240))});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let ex = app.complete(&cookie, &conv, ex).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let steps = ex["reply"]["image"]["generation"]["steps"].to_string();
    assert!(steps.contains("inside the selection"), "{steps}");
    let out = pixels(&app, &cookie, ex["reply"]["image"]["id"].as_str().unwrap()).await;
    let before = photo();
    for (x, y, p) in out.enumerate_pixels() {
        let was = before.get_pixel(x, y);
        if x < 90 {
            assert!(p[2] > was[2] + 40, "({x}, {y}) {p:?} vs {was:?}: not brighter");
        } else if x >= 110 {
            assert_eq!(p, was, "({x}, {y}) outside the selection changed");
        }
    }
}

#[tokio::test]
async fn naming_something_to_remove_without_a_selection_asks_for_one() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    for (text, key) in [
        ("remove the person on the left", "reply-needs-selection-erase"),
        ("把左邊的路人去掉", "reply-needs-selection-erase"),
        ("make the sky brighter", "reply-needs-selection-edit"),
    ] {
        let (status, ex) = send(&app, &cookie, &conv, json!({"text": text, "image_id": image})).await;
        assert_eq!(status, StatusCode::OK, "{ex}");
        assert!(ex["job"].is_null(), "{text}: no edit runs: {ex}");
        let reply = &ex["reply"];
        assert!(reply["image"].is_null(), "{text}: no new version");
        assert!(reply["text_said"].to_string().contains(key), "{text}: {reply}");
        assert!(reply["text"].as_str().unwrap().contains("\"Select area\""), "{text}: {reply}");
    }
    // With a selection, a step that changes the whole photo says so instead of ignoring the selection.
    let body = json!({"text": "rotate it 90 degrees", "image_id": image, "selection": selection(320, 240, (0, 0, 50, 50))});
    let (_, ex) = send(&app, &cookie, &conv, body).await;
    assert!(ex["job"].is_null());
    assert!(ex["reply"]["text"].as_str().unwrap().contains("whole photo"), "{ex}");
}

#[tokio::test]
async fn a_selection_that_does_not_fit_is_refused_in_words_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    let before = message_count(&app, &cookie, &conv).await;
    let white = selection(320, 240, (0, 0, 320, 240));
    for (mask, says) in [
        (selection(300, 300, (0, 0, 10, 10)), "doesn't fit this photo"),
        (selection(320, 240, (0, 0, 0, 0)), "selection is empty"),
        (white.clone(), "covers the whole photo"),
        ("data:image/png;base64,bm90IGEgcG5n".to_string(), "could not be read"),
        ("%%%".to_string(), "could not be read"),
    ] {
        let body = json!({"text": "erase this", "image_id": image, "selection": mask});
        let (status, problem) = send(&app, &cookie, &conv, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{says}: {problem}");
        assert!(problem.to_string().contains(says), "{says}: {problem}");
    }
    assert_eq!(message_count(&app, &cookie, &conv).await, before, "nothing was stored");
    // Brightening everything brushed is fine.
    let body = json!({"text": "make this brighter", "image_id": image, "selection": white});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    assert!(!ex["job"].is_null());
}

/// The photo with a provider's answer put back: blue (the fakes' answer) in the middle of the selection, the
/// photo unchanged away from it, the version marked as made inside a selection by the provider.
async fn check_put_back(app: &TestApp, cookie: &str, ex: &Value, provider: &str) {
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let version = &ex["reply"]["image"];
    assert_eq!(version["generation"]["selection"], true, "{version}");
    assert_eq!(version["generation"]["provider"], provider, "{version}");
    let out = pixels(app, cookie, version["id"].as_str().unwrap()).await;
    assert_eq!(out.dimensions(), (320, 240));
    let p = out.get_pixel(170, 120).0;
    assert!(p[2] > 200 && p[0] < 40, "the answer is inside the selection: {p:?}");
    let before = photo();
    for (x, y, p) in out.enumerate_pixels() {
        if !(130..210).contains(&x) || !(80..160).contains(&y) {
            assert_eq!(p, before.get_pixel(x, y), "({x}, {y}) away from the selection changed");
        }
    }
}

fn decode_b64(b64: &str) -> DynamicImage {
    image::load_from_memory(&base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
}

#[tokio::test]
async fn openai_edits_get_the_selection_as_their_mask_and_change_only_it() {
    use crate::providers::{config, start_fake, Answer};
    use vinano_server::providers::ProviderConfig;
    let (url, fake) = start_fake(&[Answer::Image]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::OpenAi(config(url)))).await;
    let (cookie, conv, image) = setup(&app).await;
    let text = "put a blue gift box here";
    let body = json!({"text": text, "image_id": image, "params": {"aspect": "1:1", "style": "mono", "format": "png"},
                      "selection": selection(160, 120, (70, 45, 100, 75))});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let ex = app.complete(&cookie, &conv, ex).await;
    // The settings' square crop and black and white would change the whole photo: not added.
    check_put_back(&app, &cookie, &ex, "openai:gpt-image-1").await;
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!((seen["prompt"].as_str(), seen["size"].as_str()), (Some(text), Some("auto")));
    assert_eq!(seen["image_size"], json!([320, 240]));
    assert_eq!(seen["mask_type"], "image/png");
    let mask = decode_b64(seen["mask_png"].as_str().unwrap()).to_rgba8();
    assert_eq!(mask.dimensions(), (320, 240), "the mask is the image's size");
    assert_eq!(mask.get_pixel(170, 120)[3], 0, "transparent where the model may paint");
    assert_eq!(mask.get_pixel(20, 20)[3], 255, "opaque elsewhere");
}

#[tokio::test]
async fn gemini_gets_the_part_around_the_selection_and_the_answer_is_put_back() {
    use crate::providers::{gemini_config, start_gemini, GeminiAnswer};
    use vinano_server::providers::ProviderConfig;
    let (url, fake) = start_gemini(&[GeminiAnswer::Image]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::Gemini(gemini_config(url)))).await;
    let (cookie, conv, image) = setup(&app).await;
    let body = json!({"text": "replace this with a blue box", "image_id": image, "params": {"format": "png"},
                      "selection": selection(320, 240, (140, 90, 200, 150))});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let ex = app.complete(&cookie, &conv, ex).await;
    check_put_back(&app, &cookie, &ex, "gemini:gemini-2.5-flash-image").await;
    let reply = ex["reply"]["text"].as_str().unwrap();
    assert!(reply.contains("changed the selected area; the rest of the photo is as it was"), "{reply}");
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    let part = &seen["contents"][0]["parts"][1]["inlineData"];
    let sent = decode_b64(part["data"].as_str().unwrap()).to_rgb8();
    // The selection (60 × 60) with some of its surroundings, not the whole photo: the red block's rows and
    // the wall around it.
    assert!(
        sent.width() >= 80 && sent.width() < 200 && sent.height() >= 80 && sent.height() < 200,
        "{:?}",
        sent.dimensions()
    );
    let red = sent.pixels().filter(|p| p[0] > 180 && p[1] < 80).count();
    assert_eq!(red, 60 * 60, "the crop holds the whole selected block");
}
