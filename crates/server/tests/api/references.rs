//! Instructions with several images: the photo edited is "image 1", the others sent with it (`references`)
//! are "image 2" onwards. A logo goes in the asked corner at the asked size, photos go side by side, the
//! steps can start from another image; and every bad request (someone else's image, too many, a number
//! that didn't come, another image's own edit, no photo at all) is refused in words with nothing run.

use crate::common::TestApp;
use axum::http::{Method, StatusCode};
use image::{DynamicImage, Rgb, RgbImage};
use serde_json::{json, Value};

/// Uploads a `w` × `h` PNG of one colour; its id.
async fn solid(app: &TestApp, cookie: &str, w: u32, h: u32, rgb: [u8; 3]) -> String {
    let img = DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb(rgb)));
    let png = vinano_imaging::encode(&img, vinano_imaging::OutputFormat::Png).unwrap().bytes;
    let r = app.request(Method::POST, "/api/v1/images", Some(cookie), Some("image/png"), png).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&r.body));
    r.json()["id"].as_str().unwrap().to_string()
}

async fn send(app: &TestApp, cookie: &str, conv: &str, body: Value) -> (StatusCode, Value) {
    let r = app.post_json(&format!("/api/v1/conversations/{conv}/messages"), Some(cookie), body).await;
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

/// Sends the instruction and returns the finished result's pixels and its reply.
async fn result(app: &TestApp, cookie: &str, conv: &str, body: Value) -> (RgbImage, Value) {
    let (status, ex) = send(app, cookie, conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let ex = app.complete(cookie, conv, ex).await;
    assert_eq!(ex["job"]["state"], "succeeded", "{ex}");
    let id = ex["reply"]["image"]["id"].as_str().unwrap();
    let bytes = app.get(&format!("/api/v1/images/{id}"), Some(cookie)).await.body;
    (image::load_from_memory(&bytes).unwrap().to_rgb8(), ex["reply"].clone())
}

fn near(p: &Rgb<u8>, rgb: [u8; 3]) -> bool {
    p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 6)
}

async fn conversation(app: &TestApp, cookie: &str) -> String {
    app.post_json("/api/v1/conversations", Some(cookie), json!({})).await.json()["id"]
        .as_str()
        .unwrap()
        .into()
}

#[tokio::test]
async fn a_second_image_goes_in_the_asked_corner_side_by_side_or_under_the_first() {
    let app = TestApp::new().await;
    let cookie = app.signup("rhea").await;
    let conv = conversation(&app, &cookie).await;
    let (grey, green, blue) = ([40, 40, 40], [0, 200, 0], [20, 40, 230]);
    let photo = solid(&app, &cookie, 200, 100, grey).await;
    let logo = solid(&app, &cookie, 40, 40, green).await;

    // 25 % of 200 px wide (50 × 50), 4 px (4 % of 100) from the right and bottom edges.
    let text = "put image 2 in the bottom right corner of image 1";
    let body = json!({"text": text, "image_id": photo, "references": [logo], "params": {"format": "png"}});
    let (out, reply) = result(&app, &cookie, &conv, body).await;
    assert_eq!(out.dimensions(), (200, 100));
    assert_eq!(reply["image"]["parent_id"], photo.as_str());
    for (x, y) in [(147, 47), (195, 95), (170, 70)] {
        assert!(near(out.get_pixel(x, y), green), "({x}, {y}) is {:?}", out.get_pixel(x, y));
    }
    for (x, y) in [(20, 20), (170, 20), (144, 70), (198, 98)] {
        assert!(near(out.get_pixel(x, y), grey), "({x}, {y}) is {:?}", out.get_pixel(x, y));
    }
    let said = reply["text"].as_str().unwrap();
    assert!(said.contains("image 2 placed at the bottom right (25% wide)"), "{said}");

    // Side by side: each in a cell the size of the photo.
    let other = solid(&app, &cookie, 60, 60, blue).await;
    let body = json!({"text": "put them side by side", "image_id": photo, "references": [other]});
    let (out, _) = result(&app, &cookie, &conv, body).await;
    assert_eq!(out.dimensions(), (400, 100));
    assert!(near(out.get_pixel(100, 50), grey) && near(out.get_pixel(300, 50), blue));

    // Starting from image 2: the result is image 2's size and its child.
    let text = "put image 1 in the top left corner of image 2";
    let body = json!({"text": text, "image_id": photo, "references": [other], "params": {"format": "png"}});
    let (out, reply) = result(&app, &cookie, &conv, body).await;
    assert_eq!(out.dimensions(), (60, 60));
    assert_eq!(reply["image"]["parent_id"], other.as_str());
    assert!(near(out.get_pixel(5, 5), grey) && near(out.get_pixel(55, 55), blue));
}

#[tokio::test]
async fn bad_references_are_refused_in_words_and_nothing_runs() {
    let app = TestApp::new().await;
    let cookie = app.signup("remy").await;
    let conv = conversation(&app, &cookie).await;
    let photo = solid(&app, &cookie, 64, 64, [90, 90, 90]).await;
    let logo = solid(&app, &cookie, 16, 16, [0, 200, 0]).await;
    let jobs = app.count("jobs").await;
    let messages = app.count("messages").await;

    // Someone else's image: not found, as if it didn't exist.
    let stranger = app.signup("stranger").await;
    let theirs = solid(&app, &stranger, 16, 16, [1, 2, 3]).await;
    let body = json!({"text": "put image 2 in the corner", "image_id": photo, "references": [theirs]});
    assert_eq!(send(&app, &cookie, &conv, body).await.0, StatusCode::NOT_FOUND);

    // Five images in all.
    let many = vec![logo.clone(); 4];
    let (status, body) =
        send(&app, &cookie, &conv, json!({"text": "side by side", "image_id": photo, "references": many}))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("at most 4 images"), "{body}");

    // Other images without any photo to edit.
    let empty = conversation(&app, &cookie).await;
    let (status, body) =
        send(&app, &cookie, &empty, json!({"text": "side by side", "references": [logo]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("photo to edit"), "{body}");
    assert_eq!(app.count("messages").await, messages, "nothing stored");

    // Answered in words, with no job: a number that didn't come, none at all, another image's own edit.
    for (text, references, words) in [
        ("put image 3 in the corner", vec![logo.clone()], "only 2 came with it"),
        ("put image 2 in the corner", vec![], "needs another image"),
        ("put them side by side", vec![], "at least two"),
        ("make image 2 brighter", vec![logo.clone()], "choose it as the photo to edit"),
    ] {
        let (status, ex) =
            send(&app, &cookie, &conv, json!({"text": text, "image_id": photo, "references": references}))
                .await;
        assert_eq!(status, StatusCode::OK, "{text}: {ex}");
        assert!(ex["job"].is_null(), "{text}: {ex}");
        assert!(ex["reply"]["text"].as_str().unwrap().contains(words), "{text}: {ex}");
    }
    assert_eq!(app.count("jobs").await, jobs, "no job ran");
}

#[tokio::test]
async fn an_image_deleted_before_the_job_runs_fails_it_with_why() {
    // No worker until the logo is gone.
    let app = TestApp::with_config(|c| c.job_workers = 0).await;
    let cookie = app.signup("rory").await;
    let conv = conversation(&app, &cookie).await;
    let photo = solid(&app, &cookie, 64, 64, [90, 90, 90]).await;
    let logo = solid(&app, &cookie, 16, 16, [0, 200, 0]).await;
    let body = json!({"text": "add my logo to the corner", "image_id": photo, "references": [logo]});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    assert!(ex["job"]["id"].is_string(), "{ex}");
    let r = app.request(Method::DELETE, &format!("/api/v1/images/{logo}"), Some(&cookie), None, vec![]).await;
    assert!(r.status.is_success(), "{}", String::from_utf8_lossy(&r.body));
    vinano_server::jobs::spawn_workers(&app.state, 1);
    let ex = app.complete(&cookie, &conv, ex).await;
    assert_eq!(ex["job"]["state"], "failed", "{ex}");
    assert!(ex["job"].to_string().contains("was deleted"), "{ex}");
}

#[tokio::test]
async fn words_the_rules_cant_do_with_the_images_go_to_the_model_provider_with_all_of_them() {
    use crate::providers::{config, start_fake, Answer};
    use vinano_server::providers::ProviderConfig;
    let (url, fake) = start_fake(&[Answer::Image, Answer::Image]).await;
    let app = TestApp::with_config(|c| c.provider = Some(ProviderConfig::OpenAi(config(url)))).await;
    let (cookie, conv, photo) = app.conversation_with_photo("iris", 80, 40).await;
    let jacket = solid(&app, &cookie, 30, 20, [200, 0, 0]).await;

    // Not something the rules can do: the provider gets the words and both images, the edited one first.
    let text = "dress the person in image 1 in the jacket from image 2";
    let body = json!({"text": text, "image_id": photo, "references": [jacket]});
    let (status, ex) = send(&app, &cookie, &conv, body).await;
    assert_eq!(status, StatusCode::OK, "{ex}");
    let done = app.complete(&cookie, &conv, ex).await;
    assert_eq!(done["job"]["state"], "succeeded", "{done}");
    assert_eq!(done["reply"]["image"]["generation"]["provider"], "openai:gpt-image-1");
    let seen = fake.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(seen["prompt"], text);
    assert!(seen["image_size"].is_null(), "several images go as image[]: {seen}");
    assert_eq!(
        seen["images"],
        json!([{"file": "image-1.png", "size": [80, 40]}, {"file": "image-2.png", "size": [30, 20]}])
    );

    // What the rules do place stays local, provider or not.
    let body =
        json!({"text": "put image 2 in the top left corner", "image_id": photo, "references": [jacket]});
    let (_, ex) = send(&app, &cookie, &conv, body).await;
    let done = app.complete(&cookie, &conv, ex).await;
    assert_eq!(done["reply"]["image"]["generation"]["provider"], "local", "{done}");
    assert_eq!(fake.seen.lock().unwrap().len(), 1, "the provider was asked once");
}
