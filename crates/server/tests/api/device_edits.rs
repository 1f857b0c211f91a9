//! "Edit on this device": a version made in the browser is saved with `POST .../device-edits` (its file and
//! steps) and joins the thread like an edit made here, marked, free; bad parts change nothing. The browser's
//! worker fetches the segmentation model from `GET /models/u2netp-<hash>.onnx`.

use crate::common::TestApp;
use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};
use vinano_imaging::provenance::{read, Source};

const BOUNDARY: &str = "vinano-device-edit";

/// A multipart body with an `edit` part (`edit` as JSON) and, when given, an `image` part.
fn body(edit: &Value, image: Option<&[u8]>) -> Vec<u8> {
    let mut out = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"edit\"; filename=\"blob\"\r\n\
         Content-Type: application/json\r\n\r\n{edit}\r\n"
    )
    .into_bytes();
    if let Some(image) = image {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"blob\"\r\n\
                 Content-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(image);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

async fn save(
    app: &TestApp,
    cookie: &str,
    conv: &str,
    edit: &Value,
    image: Option<&[u8]>,
) -> crate::common::Reply {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let uri = format!("/api/v1/conversations/{conv}/device-edits");
    app.request(Method::POST, &uri, Some(cookie), Some(&content_type), body(edit, image)).await
}

/// A 64 × 48 PNG as the device made it: a warm gradient.
fn result_png() -> (image::RgbImage, Vec<u8>) {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([200, (x * 3) as u8, (y * 4) as u8]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    (img, png)
}

fn plan(words: &str) -> String {
    serde_json::to_string(&vinano_engine::plan(words).unwrap()).unwrap()
}

async fn balance(app: &TestApp, cookie: &str) -> i64 {
    app.get("/api/v1/me/credits", Some(cookie)).await.json()["balance"].as_i64().unwrap()
}

#[tokio::test]
async fn a_version_made_on_the_device_joins_the_thread_marked_and_free() {
    let app = TestApp::new().await;
    let (cookie, conv, photo) = app.conversation_with_photo("dev", 64, 48).await;
    let before = balance(&app, &cookie).await;
    let (pixels, png) = result_png();

    // Made from a photo that never left the device: no parent.
    let edit = json!({"text": "make it warmer", "plan": plan("make it warmer"), "duration_ms": 42});
    let r = save(&app, &cookie, &conv, &edit, Some(&png)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let ex = r.json();
    assert_eq!(ex["prompt"]["text"], "make it warmer");
    assert_eq!(ex["prompt"]["image"], Value::Null);
    let image = &ex["reply"]["image"];
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(64), Some(48)));
    assert_eq!(image["content_type"], "image/png");
    assert_eq!(image["parent_id"], Value::Null);
    assert_eq!(image["generation"]["provider"], "device");
    assert_eq!(image["generation"]["duration_ms"], 42);
    assert!(ex["reply"]["text"].as_str().unwrap().starts_with("Done"), "{ex}");
    assert_eq!(balance(&app, &cookie).await, before, "the device did the work: nothing is charged");

    // The stored file has the very pixels sent, and ViNano's mark (and nothing else of the request).
    let id = image["id"].as_str().unwrap();
    let file = app.get(&format!("/api/v1/images/{id}"), Some(&cookie)).await.body;
    assert_eq!(read(&file), Some(Source::Enhanced));
    assert_eq!(image::load_from_memory(&file).unwrap().to_rgb8(), pixels);
    assert!(!String::from_utf8_lossy(&file).contains("warmer"));

    // The thread shows the instruction and its reply, and the conversation took its title from the words.
    let detail = app.get(&format!("/api/v1/conversations/{conv}"), Some(&cookie)).await.json();
    let texts: Vec<&str> =
        detail["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert_eq!(texts[0], "make it warmer");
    assert_eq!(detail["messages"][1]["image"]["id"], id);
    assert_eq!(detail["conversation"]["title"], "make it warmer");

    // Made from a version of the thread (downloaded to the device): that one is its parent.
    let edit = json!({"text": "flip it", "plan": plan("flip it"), "parent_id": photo});
    let ex = save(&app, &cookie, &conv, &edit, Some(&png)).await.json();
    assert_eq!(ex["reply"]["image"]["parent_id"], photo.as_str());
    assert_eq!(ex["prompt"]["image"]["id"], photo.as_str());
}

#[tokio::test]
async fn bad_parts_are_refused_in_words_and_store_nothing() {
    let app = TestApp::new().await;
    let (cookie, conv, _photo) = app.conversation_with_photo("devbad", 64, 48).await;
    let (other, other_conv, other_photo) = app.conversation_with_photo("devother", 64, 48).await;
    let (_, png) = result_png();
    let (images, messages) = (app.count("images").await, app.count("messages").await);
    let ok = json!({"text": "make it warmer", "plan": plan("make it warmer")});
    let key = |r: &crate::common::Reply| r.json()["key"].as_str().unwrap_or_default().to_string();

    let garbled = json!({"text": "make it warmer", "plan": "{not a plan"});
    let r = save(&app, &cookie, &conv, &garbled, Some(&png)).await;
    assert_eq!((r.status, key(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "error-device-edit-plan"));
    let clip = json!({"text": "make a video", "plan": plan("make a video")});
    assert_eq!(save(&app, &cookie, &conv, &clip, Some(&png)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let nothing = json!({"text": "make it warmer", "plan": "{\"operations\":[]}"});
    assert_eq!(
        save(&app, &cookie, &conv, &nothing, Some(&png)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = save(&app, &cookie, &conv, &ok, None).await;
    assert_eq!((r.status, key(&r).as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "error-device-edit-image"));
    let r = save(&app, &cookie, &conv, &ok, Some(b"not an image at all")).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let words = json!({"text": "   ", "plan": plan("make it warmer")});
    assert_eq!(save(&app, &cookie, &conv, &words, Some(&png)).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Not a multipart body at all.
    let uri = format!("/api/v1/conversations/{conv}/device-edits");
    let r = app.request(Method::POST, &uri, Some(&cookie), Some("application/json"), b"{}".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Someone else's version as the parent, someone else's conversation: not found.
    let theirs = json!({"text": "flip it", "plan": plan("flip it"), "parent_id": other_photo});
    assert_eq!(save(&app, &cookie, &conv, &theirs, Some(&png)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(save(&app, &cookie, &other_conv, &ok, Some(&png)).await.status, StatusCode::NOT_FOUND);
    assert_eq!((app.count("images").await, app.count("messages").await), (images, messages));
    let _ = other;

    // Over the upload limit: refused from its declared length, before it is read.
    let small = TestApp::with_config(|c| c.max_upload_bytes = 1024).await;
    let (cookie, conv, _) = small.conversation_with_photo("devbig", 16, 16).await;
    let big = vec![0u8; 200 * 1024];
    assert_eq!(save(&small, &cookie, &conv, &ok, Some(&big)).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_browser_gets_the_segmentation_model_from_the_site_and_keeps_it() {
    use sha2::Digest;
    let app = TestApp::new().await;
    let r = app.get(vinano_vision::U2NETP_URL, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(hex::encode(sha2::Sha256::digest(&r.body)), vinano_vision::U2NETP_SHA256);
    let cache = r.headers.get(header::CACHE_CONTROL).unwrap().to_str().unwrap();
    assert!(cache.contains("immutable") && cache.contains("public"), "{cache}");
    assert!(r.headers.get(header::CONTENT_ENCODING).is_none(), "weights are not compressed on the fly");

    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().to_path_buf();
    let off = TestApp::with_config(move |c| c.models_dir = Some(dir)).await;
    assert_eq!(off.get(vinano_vision::U2NETP_URL, None).await.status, StatusCode::NOT_FOUND);
}
